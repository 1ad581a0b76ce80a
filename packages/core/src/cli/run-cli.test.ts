import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildKubeconfig } from "../client/index.js";
import { RecordingTransport, discoveryReply, type FakeHandler } from "../client/testing/index.js";
import { runCli } from "./register-client-commands.js";

let dir = "";
let kubeconfig = "";

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "skiff-cli-"));
  kubeconfig = join(dir, "admin.kubeconfig");
  await writeFile(
    kubeconfig,
    buildKubeconfig({ clusterName: "skiff", server: "https://127.0.0.1:6443", caCertPem: "CA", user: "admin", token: "t" }),
  );
});
after(() => rm(dir, { recursive: true, force: true }));

async function cli(argv: string[], handler: FakeHandler, stdin = "") {
  const transport = new RecordingTransport((req) => discoveryReply(req.path) ?? handler(req));
  let stdout = "";
  let stderr = "";
  const code = await runCli(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    defaultKubeconfig: kubeconfig,
    defaultDataDir: dir,
    transportFactory: () => transport,
    readStdin: async () => stdin,
    now: () => Date.parse("2026-01-01T00:10:00Z"),
  });
  const requests = transport.summary().filter((r) => !/^GET \/apis?(\/|$)(v1|apps\/v1)?$/.test(r));
  return { code, stdout, stderr, requests, transport };
}

const podTable = {
  kind: "Table",
  apiVersion: "meta.k8s.io/v1",
  metadata: { resourceVersion: "10" },
  columnDefinitions: [
    { name: "Name", type: "string", format: "name", priority: 0 },
    { name: "Status", type: "string", priority: 0 },
    { name: "Node", type: "string", priority: 1 },
  ],
  rows: [{ cells: ["web", "Running", "n1"], object: { metadata: { name: "web", namespace: "default", labels: { app: "web" } } } }],
};

const notFound = (what: string, name: string) => ({
  status: 404,
  body: { kind: "Status", apiVersion: "v1", status: "Failure", reason: "NotFound", code: 404, message: `${what} "${name}" not found` },
});

test("get lists a server-side Table in the context's namespace", async () => {
  const r = await cli(["get", "po"], () => ({ body: podTable }));
  assert.equal(r.code, 0);
  assert.equal(r.stdout, "NAME   STATUS\nweb    Running\n");
  assert.deepEqual(r.requests, ["GET /api/v1/namespaces/default/pods?limit=500"]);
  assert.match(r.transport.requests.at(-1)!.headers!["accept"]!, /^application\/json;as=Table;v=v1;g=meta.k8s.io/);
});

test("get -A -o wide --show-labels -l adds columns and sends the selector", async () => {
  const r = await cli(["get", "pods", "-A", "-o", "wide", "--show-labels", "-l", "app=web"], () => ({ body: podTable }));
  assert.equal(r.stdout, "NAMESPACE   NAME   STATUS    NODE   LABELS\ndefault     web    Running   n1     app=web\n");
  assert.deepEqual(r.requests, ["GET /api/v1/pods?labelSelector=app=web&limit=500"]);
});

test("an empty list says so on stderr", async () => {
  const r = await cli(["get", "deploy", "-n", "prod"], () => ({ body: { ...podTable, rows: [] } }));
  assert.equal(r.code, 0);
  assert.equal(r.stdout, "");
  assert.equal(r.stderr, "No resources found in prod namespace.\n");
  assert.deepEqual(r.requests, ["GET /apis/apps/v1/namespaces/prod/deployments?limit=500"]);
});

test("server and client errors print one line and exit 1", async () => {
  const missing = await cli(["get", "pod", "nope"], () => notFound("pods", "nope"));
  assert.equal(missing.code, 1);
  assert.equal(missing.stderr, 'Error from server (NotFound): pods "nope" not found\n');
  const unknown = await cli(["get", "widgets"], () => undefined);
  assert.equal(unknown.code, 1);
  assert.equal(unknown.stderr, 'error: the server doesn\'t have a resource type "widgets"\n');
  const badOutput = await cli(["get", "pods", "-o", "xml"], () => undefined);
  assert.equal(badOutput.code, 1);
  assert.match(badOutput.stderr, /^error: unable to match a printer suitable for the output format "xml"/);
});

test("-o json|name|jsonpath ask for plain JSON and print objects", async () => {
  const list = {
    apiVersion: "apps/v1",
    kind: "DeploymentList",
    metadata: { resourceVersion: "7" },
    items: [{ metadata: { name: "a", namespace: "x", managedFields: [{}] }, spec: { replicas: 2 } }],
  };
  const named = await cli(["get", "deployments.apps", "-o", "name"], () => ({ body: list }));
  assert.equal(named.stdout, "deployment.apps/a\n");
  assert.equal(named.transport.requests.at(-1)!.headers!["accept"], "application/json");
  const json = await cli(["get", "deploy", "-o", "json"], () => ({ body: list }));
  const parsed = JSON.parse(json.stdout);
  assert.equal(parsed.kind, "List");
  assert.equal(parsed.items[0].kind, "Deployment");
  assert.equal(parsed.items[0].metadata.managedFields, undefined);
  const jp = await cli(["get", "deploy", "-o", "jsonpath={.items[*].spec.replicas}"], () => ({ body: list }));
  assert.equal(jp.stdout, "2");
  const one = await cli(["get", "deploy", "a", "-o", "yaml"], () => ({ body: list.items[0] }));
  assert.match(one.stdout, /^apiVersion: apps\/v1\nkind: Deployment\nmetadata:\n  name: a\n/);
});

test("get -w lists, then watches from the list's resourceVersion", async () => {
  const r = await cli(["get", "pods", "-w"], (req) =>
    req.query?.["watch"]
      ? { lines: [{ type: "MODIFIED", object: { ...podTable, columnDefinitions: [], rows: [{ ...podTable.rows[0]!, cells: ["web", "Terminating", "n1"] }] } }] }
      : { body: podTable },
  );
  assert.equal(r.code, 0);
  assert.equal(r.stdout, "NAME   STATUS\nweb    Running\nweb    Terminating\n");
  assert.deepEqual(r.requests, [
    "GET /api/v1/namespaces/default/pods?limit=500",
    "GET /api/v1/namespaces/default/pods?resourceVersion=10&watch=true",
  ]);
});

test("apply server-side applies each object and reports created, configured, unchanged", async () => {
  const file = join(dir, "app.yaml");
  await writeFile(
    file,
    [
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: new}\ndata: {a: '1'}",
      "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: changed, namespace: prod}\nspec: {replicas: 2}",
      "apiVersion: v1\nkind: Namespace\nmetadata: {name: same}",
    ].join("\n---\n"),
  );
  const r = await cli(["apply", "-f", file, "--force-conflicts"], (req) => {
    const name = req.path.split("/").pop()!;
    if (req.method === "GET") {
      return name === "new" ? notFound("configmaps", "new") : { body: { metadata: { name, resourceVersion: "5" } } };
    }
    if (name === "new") return { status: 201, body: { metadata: { name, resourceVersion: "6" } } };
    return { status: 200, body: { metadata: { name, resourceVersion: name === "same" ? "5" : "9" } } };
  });
  assert.equal(r.stderr, "");
  assert.equal(r.code, 0);
  assert.equal(r.stdout, "configmap/new created\ndeployment.apps/changed configured\nnamespace/same unchanged\n");
  const patches = r.transport.requests.filter((q) => q.method === "PATCH");
  assert.deepEqual(
    patches.map((p) => `${p.path}?fieldManager=${p.query?.["fieldManager"]}&force=${p.query?.["force"]}`),
    [
      "/api/v1/namespaces/default/configmaps/new?fieldManager=skiff&force=true",
      "/apis/apps/v1/namespaces/prod/deployments/changed?fieldManager=skiff&force=true",
      "/api/v1/namespaces/same?fieldManager=skiff&force=true",
    ],
  );
  assert.equal(patches[0]!.headers!["content-type"], "application/apply-patch+yaml");
  assert.equal(JSON.parse(patches[0]!.body as string).metadata.namespace, "default");
});

test("apply refuses an object from another namespace than -n", async () => {
  const r = await cli(["apply", "-f", "-", "-n", "other"], () => undefined, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: prod}\n");
  assert.equal(r.code, 1);
  assert.match(r.stderr, /the namespace from the provided object "prod" does not match the namespace "other"/);
});

test("delete sends the propagation policy, prints kubectl's line and waits until gone", async () => {
  const r = await cli(["delete", "pod", "web", "--cascade=foreground", "--grace-period=0"], (req) =>
    req.method === "DELETE"
      ? { body: { kind: "Pod", metadata: { name: "web", uid: "u1", deletionTimestamp: "x" } } }
      : req.query?.["watch"]
        ? { lines: [{ type: "DELETED", object: { metadata: { name: "web", uid: "u1" } } }] }
        : { body: { kind: "PodList", metadata: { resourceVersion: "20" }, items: [{ metadata: { name: "web", uid: "u1" } }] } },
  );
  assert.equal(r.code, 0);
  assert.equal(r.stdout, 'pod "web" deleted\n');
  assert.deepEqual(JSON.parse(r.transport.requests.find((q) => q.method === "DELETE")!.body as string), {
    kind: "DeleteOptions",
    apiVersion: "v1",
    propagationPolicy: "Foreground",
    gracePeriodSeconds: 0,
  });
  assert.deepEqual(r.requests.slice(1), [
    "GET /api/v1/namespaces/default/pods?fieldSelector=metadata.name=web",
    "GET /api/v1/namespaces/default/pods?fieldSelector=metadata.name=web&resourceVersion=20&timeoutSeconds=300&allowWatchBookmarks=true&watch=true",
  ]);
});

test("delete of a missing object fails unless --ignore-not-found", async () => {
  const failing = await cli(["delete", "deploy/gone", "--wait=false"], () => notFound("deployments.apps", "gone"));
  assert.equal(failing.code, 1);
  assert.equal(failing.stderr, 'Error from server (NotFound): deployments.apps "gone" not found\n');
  const quiet = await cli(["delete", "deploy", "gone", "--ignore-not-found"], () => notFound("deployments.apps", "gone"));
  assert.equal(quiet.code, 0);
  assert.equal(quiet.stdout + quiet.stderr, "");
});

test("describe prints identity, fields and events found by uid", async () => {
  const r = await cli(["describe", "pod", "web"], (req) =>
    req.path.endsWith("/events")
      ? {
          body: {
            kind: "EventList",
            items: [{ type: "Normal", reason: "Scheduled", message: "assigned to n1", lastTimestamp: "2026-01-01T00:09:50Z", source: { component: "scheduler" } }],
          },
        }
      : {
          body: {
            apiVersion: "v1",
            kind: "Pod",
            metadata: { name: "web", namespace: "default", uid: "u1", labels: { app: "web" } },
            spec: { restartPolicy: "Always", containers: [{ name: "c", image: "busybox" }] },
          },
        },
  );
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^Name:         web\nNamespace:    default\nLabels:       app=web\nAnnotations:  <none>\n/);
  assert.match(r.stdout, /Spec:\n  Restart Policy:  Always\n  Containers:\n    Name:   c\n    Image:  busybox\n/);
  assert.match(r.stdout, /Events:\n  Type    Reason     Age   From       Message\n  ----    ------     ----  ----       -------\n  Normal  Scheduled  10s   scheduler  assigned to n1\n$/);
  assert.ok(r.requests.includes("GET /api/v1/namespaces/default/events?fieldSelector=involvedObject.name=web,involvedObject.namespace=default,involvedObject.uid=u1&limit=500"));
});

test("kubeconfig prints the admin kubeconfig path or content", async () => {
  const path = await cli(["kubeconfig"], () => undefined);
  assert.equal(path.stdout, kubeconfig + "\n");
  const raw = await cli(["kubeconfig", "--data-dir", dir, "--raw"], () => undefined);
  assert.match(raw.stdout, /current-context: admin@skiff/);
  const missing = await cli(["kubeconfig", "--data-dir", join(dir, "nope")], () => undefined);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /^error: no admin kubeconfig at /);
});
