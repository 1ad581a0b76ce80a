/**
 * The stock kubectl 1.32 drives a real `skiff server` over HTTPS: discovery,
 * tables, every write verb (create, apply client- and server-side, replace,
 * edit, label, annotate, patch, scale, delete), watches, waits, explain and a
 * CustomResourceDefinition with its custom resources. Assertions read what a
 * user sees: kubectl's printed messages, table cells and the objects it
 * prints back.
 *
 * One server for the whole file; each test uses its own object names, so a
 * failing test does not take the next one down with it. The few tests that
 * build on an earlier one (the basics example, the CRD) say so.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse as parseYaml, stringify as toYaml } from "yaml";
import { kubectlFor, kubectlPath, type KubectlResult } from "../support/kubectl.js";
import { spawnKubectl, type KubectlProcess } from "../support/kubectl-process.js";
import { parsePrintedTable, rowOf } from "../support/kubectl-table.js";
import { repoRoot, startSkiffServer, type SkiffServer } from "../support/skiff-server.js";

const basicsDir = join(repoRoot, "examples/basics");
const crdDir = join(repoRoot, "examples/crd");

/** Shape of the objects the tests read back with `-o json`. */
interface Printed {
  kind: string;
  apiVersion: string;
  metadata: {
    name: string;
    namespace?: string;
    uid: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    finalizers?: string[];
    deletionTimestamp?: string;
    ownerReferences?: { uid: string }[];
    managedFields?: { manager: string; operation: string; fieldsV1?: Record<string, unknown> }[];
  };
  data?: Record<string, string>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  spec?: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  items?: any[];
}

function pod(name: string, labels: Record<string, string>, namespace?: string) {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, labels, ...(namespace ? { namespace } : {}) },
    spec: { containers: [{ name: "app", image: "busybox:1.36", ports: [{ containerPort: 80 }] }] },
  };
}

function deployment(name: string, replicas: number, env: { name: string; value: string }[]) {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, labels: { app: name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: "app", image: "busybox:1.36", env }] },
      },
    },
  };
}

function configMap(name: string, data: Record<string, string>, extra: Record<string, unknown> = {}) {
  return { apiVersion: "v1", kind: "ConfigMap", metadata: { name, ...extra }, data };
}

function replicaSetOwnedBy(name: string, owner: Printed) {
  return {
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    metadata: {
      name,
      labels: { app: owner.metadata.name },
      ownerReferences: [
        { apiVersion: "apps/v1", kind: "Deployment", name: owner.metadata.name, uid: owner.metadata.uid, controller: true, blockOwnerDeletion: true },
      ],
    },
    spec: {
      replicas: 0,
      selector: { matchLabels: { app: owner.metadata.name } },
      template: {
        metadata: { labels: { app: owner.metadata.name } },
        spec: { containers: [{ name: "app", image: "busybox:1.36" }] },
      },
    },
  };
}

describe("stock kubectl 1.32 against skiff server", { skip: existsSync(kubectlPath) ? false : `${kubectlPath} is not installed` }, () => {
  let server: SkiffServer | undefined;
  let kubectl: ReturnType<typeof kubectlFor>;
  let workDir: string;
  const background: KubectlProcess[] = [];

  before(async () => {
    workDir = mkdtempSync(join(tmpdir(), "skiff-e2e-kubectl-"));
    server = await startSkiffServer();
    kubectl = kubectlFor(server.kubeconfig);
  });

  after(async () => {
    await Promise.all(background.map((p) => p.stop()));
    await server?.stop();
    rmSync(workDir, { recursive: true, force: true });
  });

  const describeRun = (args: string[], r: KubectlResult) =>
    `kubectl ${args.join(" ")} → exit ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`;

  /** Runs kubectl; a hung command is killed after 30 s so one server bug cannot stall the file. */
  const run = (args: string[], options: { input?: string; env?: Record<string, string> } = {}) =>
    kubectl(args, { timeoutMs: 30_000, ...options });

  /** Runs kubectl, asserts it succeeded, returns stdout. */
  async function ok(args: string[], options: { input?: string; env?: Record<string, string> } = {}): Promise<string> {
    const r = await run(args, options);
    assert.equal(r.code, 0, describeRun(args, r));
    return r.stdout;
  }

  /** Runs kubectl, asserts it failed with exit 1, returns stderr. */
  async function fails(args: string[], options: { input?: string } = {}): Promise<string> {
    const r = await run(args, options);
    assert.equal(r.code, 1, describeRun(args, r));
    return r.stderr;
  }

  async function getJson(args: string[]): Promise<Printed> {
    return JSON.parse(await ok(["get", ...args, "-o", "json"])) as Printed;
  }

  /** Writes a manifest file (YAML) for `-f` and returns its path. */
  function manifest(fileName: string, ...objects: unknown[]): string {
    const path = join(workDir, fileName);
    writeFileSync(path, objects.map((o) => toYaml(o)).join("---\n"));
    return path;
  }

  function watch(args: string[], env?: Record<string, string>): KubectlProcess {
    const p = spawnKubectl(server!.kubeconfig, args, { timeoutMs: 90_000, ...(env ? { env } : {}) });
    background.push(p);
    return p;
  }

  describe("discovery", () => {
    test("version reports a v1.32 server", async () => {
      const out = JSON.parse(await ok(["version", "-o", "json"])) as {
        clientVersion: { gitVersion: string };
        serverVersion: { gitVersion: string; major: string; minor: string };
      };
      assert.match(out.clientVersion.gitVersion, /^v1\.32\./);
      assert.match(out.serverVersion.gitVersion, /^v1\.32\.\d+/);
      assert.equal(out.serverVersion.major, "1");
      assert.equal(out.serverVersion.minor, "32");
      assert.match(await ok(["version"]), /^Server Version: v1\.32\.\d+/m);
    });

    test("api-resources lists built-in kinds with short names, group versions and scope", async () => {
      const table = parsePrintedTable(await ok(["api-resources"]));
      assert.deepEqual(table.headers, ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"]);
      const expected: [string, string, string, string, string][] = [
        ["pods", "po", "v1", "true", "Pod"],
        ["services", "svc", "v1", "true", "Service"],
        ["configmaps", "cm", "v1", "true", "ConfigMap"],
        ["namespaces", "ns", "v1", "false", "Namespace"],
        ["deployments", "deploy", "apps/v1", "true", "Deployment"],
        ["replicasets", "rs", "apps/v1", "true", "ReplicaSet"],
        ["customresourcedefinitions", "crd,crds", "apiextensions.k8s.io/v1", "false", "CustomResourceDefinition"],
      ];
      for (const [name, shortNames, apiVersion, namespaced, kind] of expected) {
        assert.deepEqual(rowOf(table, name), { NAME: name, SHORTNAMES: shortNames, APIVERSION: apiVersion, NAMESPACED: namespaced, KIND: kind });
      }
      // `get po` resolves through the short names kubectl just listed.
      const r = await run(["get", "po"]);
      assert.equal(r.code, 0, describeRun(["get", "po"], r));
    });

    test("api-versions lists the served group versions", async () => {
      const versions = (await ok(["api-versions"])).trim().split("\n");
      for (const v of ["v1", "apps/v1", "apiextensions.k8s.io/v1", "batch/v1", "rbac.authorization.k8s.io/v1"]) {
        assert.ok(versions.includes(v), `${v} missing from:\n${versions.join("\n")}`);
      }
      assert.ok(!versions.includes("example.com/v1"), "the CRD's group must not be served before the CRD exists");
    });
  });

  describe("errors", () => {
    test("get of a missing object is NotFound with exit 1", async () => {
      assert.equal((await fails(["get", "pod", "nope"])).trim(), 'Error from server (NotFound): pods "nope" not found');
      assert.equal(
        (await fails(["get", "deployment", "nope"])).trim(),
        'Error from server (NotFound): deployments.apps "nope" not found',
      );
    });
  });

  describe("create", () => {
    // Builds the basics example (web-config, web deployment, web service) the later tests read and scale.
    test("create -f of the basics example with strict validation", async () => {
      const out = await ok(["create", "-f", basicsDir, "--validate=strict"]);
      assert.deepEqual(out.trim().split("\n").sort(), ["configmap/web-config created", "deployment.apps/web created", "service/web created"]);
      const cm = await getJson(["configmap", "web-config"]);
      assert.deepEqual(cm.data, { greeting: "hello from skiff" });
    });

    test("create of an existing object is AlreadyExists with exit 1", async () => {
      const file = join(basicsDir, "web-config.yaml");
      const stderr = await fails(["create", "-f", file]);
      assert.match(stderr, /Error from server \(AlreadyExists\): error when creating ".*web-config\.yaml": configmaps "web-config" already exists/);
    });
  });

  describe("get", () => {
    before(async () => {
      await ok(["apply", "-f", manifest("get-namespace.yaml", { apiVersion: "v1", kind: "Namespace", metadata: { name: "e2e-other" } })]);
      await ok([
        "create",
        "-f",
        manifest(
          "get-pods.yaml",
          pod("get-a", { app: "e2e-get", tier: "front" }),
          pod("get-b", { app: "db" }),
          pod("get-c", { app: "e2e-get" }, "e2e-other"),
        ),
      ]);
    });

    test("pods table has the pod columns and a Pending row", async () => {
      const table = parsePrintedTable(await ok(["get", "pods"]));
      assert.deepEqual(table.headers, ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]);
      const row = rowOf(table, "get-a");
      assert.equal(row["READY"], "0/1");
      assert.equal(row["STATUS"], "Pending");
      assert.equal(row["RESTARTS"], "0");
      assert.match(row["AGE"]!, /^\d+s$/);
      assert.ok(!table.rows.some((r) => r["NAME"] === "get-c"), "get-c lives in another namespace");
    });

    test("-o wide adds the priority-1 pod columns", async () => {
      const table = parsePrintedTable(await ok(["get", "pods", "-o", "wide"]));
      assert.deepEqual(table.headers, ["NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE", "NOMINATED NODE", "READINESS GATES"]);
      const row = rowOf(table, "get-a");
      assert.equal(row["IP"], "<none>");
      assert.equal(row["NODE"], "<none>");
    });

    test("-o yaml prints the stored object with defaults", async () => {
      const obj = parseYaml(await ok(["get", "pod", "get-a", "-o", "yaml"])) as Printed;
      assert.equal(obj.kind, "Pod");
      assert.equal(obj.apiVersion, "v1");
      assert.equal(obj.metadata.name, "get-a");
      assert.equal(obj.metadata.namespace, "default");
      assert.match(obj.metadata.uid, /^[0-9a-f-]{36}$/);
      assert.deepEqual(obj.spec.containers[0].ports, [{ containerPort: 80, protocol: "TCP" }]);
    });

    test("-o json of a list parses and holds this namespace's pods", async () => {
      const list = await getJson(["pods"]);
      assert.equal(list.kind, "List");
      const names = list.items!.map((i: Printed) => i.metadata.name).sort();
      assert.ok(names.includes("get-a") && names.includes("get-b"), names.join(","));
      assert.ok(!names.includes("get-c"));
    });

    test("-o jsonpath with a label selector", async () => {
      assert.equal(await ok(["get", "pods", "-l", "app=e2e-get", "-o", "jsonpath={.items[*].metadata.name}"]), "get-a");
      const all = await ok(["get", "pods", "-A", "-l", "app=e2e-get", "-o", "jsonpath={.items[*].metadata.name}"]);
      assert.deepEqual(all.split(" ").sort(), ["get-a", "get-c"]);
    });

    test("-A adds the NAMESPACE column from each row's metadata", async () => {
      const table = parsePrintedTable(await ok(["get", "pods", "-A"]));
      assert.deepEqual(table.headers.slice(0, 3), ["NAMESPACE", "NAME", "READY"]);
      assert.equal(rowOf(table, "get-a")["NAMESPACE"], "default");
      assert.equal(rowOf(table, "get-c")["NAMESPACE"], "e2e-other");
    });

    test("-l app=e2e-get filters on the server", async () => {
      const table = parsePrintedTable(await ok(["get", "pods", "-l", "app=e2e-get"]));
      assert.deepEqual(table.rows.map((r) => r["NAME"]), ["get-a"]);
      const setBased = parsePrintedTable(await ok(["get", "pods", "-l", "app in (e2e-get,db),tier!=front"]));
      assert.deepEqual(setBased.rows.map((r) => r["NAME"]), ["get-b"]);
    });

    test("--field-selector metadata.name", async () => {
      const table = parsePrintedTable(await ok(["get", "pods", "--field-selector", "metadata.name=get-b"]));
      assert.deepEqual(table.rows.map((r) => r["NAME"]), ["get-b"]);
    });

    test("--show-labels adds the LABELS column", async () => {
      const table = parsePrintedTable(await ok(["get", "pods", "--show-labels"]));
      assert.equal(table.headers.at(-1), "LABELS");
      assert.equal(rowOf(table, "get-a")["LABELS"], "app=e2e-get,tier=front");
      assert.equal(rowOf(table, "get-b")["LABELS"], "app=db");
    });

    test("deployments table: the controller created the pods; none is ready without a node", async () => {
      const table = parsePrintedTable(await ok(["get", "deployments"]));
      assert.deepEqual(table.headers, ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"]);
      const row = rowOf(table, "web");
      assert.equal(row["READY"], "0/2");
      assert.equal(row["UP-TO-DATE"], "2");
      assert.equal(row["AVAILABLE"], "0");
      const wide = rowOf(parsePrintedTable(await ok(["get", "deploy", "web", "-o", "wide"])), "web");
      assert.equal(wide["CONTAINERS"], "web");
      assert.equal(wide["IMAGES"], "localhost:5001/busybox:latest");
      assert.equal(wide["SELECTOR"], "app=web");
    });

    test("services table", async () => {
      const table = parsePrintedTable(await ok(["get", "services"]));
      assert.deepEqual(table.headers, ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"]);
      const row = rowOf(table, "web");
      assert.equal(row["TYPE"], "ClusterIP");
      // No cluster IP allocator runs yet: the cell is `<none>` until one does, an IPv4 address after.
      assert.match(row["CLUSTER-IP"]!, /^(<none>|\d+\.\d+\.\d+\.\d+)$/);
      assert.equal(row["EXTERNAL-IP"], "<none>");
      assert.equal(row["PORT(S)"], "80/TCP");
      assert.equal(rowOf(parsePrintedTable(await ok(["get", "svc", "web", "-o", "wide"])), "web")["SELECTOR"], "app=web");
    });

    test("configmaps table", async () => {
      const table = parsePrintedTable(await ok(["get", "cm"]));
      assert.deepEqual(table.headers, ["NAME", "DATA", "AGE"]);
      assert.equal(rowOf(table, "web-config")["DATA"], "1");
    });

    test("get cm -w shows a configmap created while it watches", async () => {
      const w = watch(["get", "cm", "-w"]);
      // The list comes first; the watch resumes from its resourceVersion, so nothing created after it is missed.
      await w.waitForOutput(/^web-config\s+1\s+/m);
      assert.ok(!/^watch-cm\s/m.test(w.stdout()));
      await ok(["create", "-f", manifest("watch-cm.yaml", configMap("watch-cm", { a: "1", b: "2" }))]);
      await w.waitForOutput(/^watch-cm\s+2\s+\d+s\s*$/m);
      const r = await w.stop();
      assert.equal(r.stderr, "", "the watch printed errors");
    });
  });

  describe("generator commands (protobuf bodies)", () => {
    test("create namespace, configmap, secret, service and deployment", async () => {
      assert.equal((await ok(["create", "namespace", "gen-ns"])).trim(), "namespace/gen-ns created");
      assert.equal((await ok(["create", "configmap", "gen-cm", "-n", "gen-ns", "--from-literal=k=v"])).trim(), "configmap/gen-cm created");
      assert.equal((await ok(["create", "secret", "generic", "gen-secret", "-n", "gen-ns", "--from-literal=p=s3cret"])).trim(), "secret/gen-secret created");
      assert.equal((await ok(["create", "service", "clusterip", "gen-svc", "-n", "gen-ns", "--tcp=80:8080"])).trim(), "service/gen-svc created");
      assert.equal((await ok(["create", "deployment", "gen-dep", "-n", "gen-ns", "--image=busybox", "--replicas=2", "--port=80"])).trim(), "deployment.apps/gen-dep created");
      assert.equal((await getJson(["cm", "gen-cm", "-n", "gen-ns"]) as unknown as { data: { k: string } }).data.k, "v");
      const secret = (await getJson(["secret", "gen-secret", "-n", "gen-ns"])) as unknown as { data: { p: string } };
      assert.equal(Buffer.from(secret.data.p, "base64").toString(), "s3cret");
      const svc = (await getJson(["svc", "gen-svc", "-n", "gen-ns"])) as unknown as { spec: { ports: { port: number; targetPort: number }[] } };
      assert.deepEqual([svc.spec.ports[0]!.port, svc.spec.ports[0]!.targetPort], [80, 8080]);
      const dep = (await getJson(["deploy", "gen-dep", "-n", "gen-ns"])) as unknown as { spec: { replicas: number; template: { spec: { containers: { image: string }[] } } } };
      assert.equal(dep.spec.replicas, 2);
      assert.equal(dep.spec.template.spec.containers[0]!.image, "busybox");
    });
  });

  describe("describe", () => {
    test("describe pod", async () => {
      const out = await ok(["describe", "pod", "get-a"]);
      assert.match(out, /^Name:\s+get-a$/m);
      assert.match(out, /^Namespace:\s+default$/m);
      assert.match(out, /^Labels:\s+app=e2e-get$/m);
      assert.match(out, /^\s+tier=front$/m);
      assert.match(out, /^Status:\s+Pending$/m);
      assert.match(out, /^Containers:\n\s+app:\n/m);
      assert.match(out, /^\s+Image:\s+busybox:1\.36$/m);
      assert.match(out, /^\s+Port:\s+80\/TCP$/m);
    });

    test("describe deployment", async () => {
      const out = await ok(["describe", "deployment", "web"]);
      assert.match(out, /^Name:\s+web$/m);
      assert.match(out, /^Selector:\s+app=web$/m);
      assert.match(out, /^Replicas:\s+2 desired \| 2 updated \| 2 total \| 0 available \| 2 unavailable$/m);
      assert.match(out, /^StrategyType:\s+RollingUpdate$/m);
      assert.match(out, /^\s+GREETING:\s+<set to the key 'greeting' of config map 'web-config'>/m);
    });

    test("describe configmap", async () => {
      const out = await ok(["describe", "configmap", "web-config"]);
      assert.match(out, /^Name:\s+web-config$/m);
      assert.match(out, /^greeting:\n----\nhello from skiff$/m);
    });
  });

  describe("apply", () => {
    test("client-side apply: created, configured (strategic merge), unchanged", async () => {
      const first = manifest("apply-1.yaml", deployment("apply-dep", 1, [{ name: "A", value: "1" }, { name: "B", value: "keep" }]));
      assert.equal((await ok(["apply", "-f", first])).trim(), "deployment.apps/apply-dep created");
      const created = await getJson(["deployment", "apply-dep"]);
      assert.ok(created.metadata.annotations?.["kubectl.kubernetes.io/last-applied-configuration"], "last-applied annotation missing");

      // Change replicas and A, drop B: the patch must update by merge key and delete what was applied before.
      const second = manifest("apply-2.yaml", deployment("apply-dep", 3, [{ name: "A", value: "2" }]));
      assert.equal((await ok(["apply", "-f", second])).trim(), "deployment.apps/apply-dep configured");
      const changed = await getJson(["deployment", "apply-dep"]);
      assert.equal(changed.spec.replicas, 3);
      assert.deepEqual(changed.spec.template.spec.containers[0].env, [{ name: "A", value: "2" }]);
      assert.equal(changed.spec.template.spec.containers[0].image, "busybox:1.36");

      assert.equal((await ok(["apply", "-f", second])).trim(), "deployment.apps/apply-dep unchanged");
    });

    test("server-side apply, a conflict between managers, then --force-conflicts", async () => {
      const mine = manifest("ssa-1.yaml", configMap("ssa-cm", { key: "one", other: "x" }));
      assert.equal((await ok(["apply", "--server-side", "-f", mine])).trim(), "configmap/ssa-cm serverside-applied");
      assert.deepEqual((await getJson(["cm", "ssa-cm"])).data, { key: "one", other: "x" });

      const theirs = manifest("ssa-2.yaml", configMap("ssa-cm", { key: "two" }));
      const stderr = await fails(["apply", "--server-side", "--field-manager=intruder", "-f", theirs]);
      assert.match(stderr, /conflict/i);
      assert.match(stderr, /\.data\.key/);
      assert.match(stderr, /"kubectl"/, "the conflict names the manager that owns the field");
      assert.match(stderr, /--force-conflicts/);
      assert.equal((await getJson(["cm", "ssa-cm"])).data?.["key"], "one", "a refused apply must not change the object");

      assert.equal(
        (await ok(["apply", "--server-side", "--field-manager=intruder", "--force-conflicts", "-f", theirs])).trim(),
        "configmap/ssa-cm serverside-applied",
      );
      const after = JSON.parse(await ok(["get", "cm", "ssa-cm", "-o", "json", "--show-managed-fields"])) as Printed;
      assert.equal(after.data?.["key"], "two");
      assert.equal(after.data?.["other"], "x", "fields only the first manager applied stay");
      const intruder = after.metadata.managedFields?.find((m) => m.manager === "intruder");
      assert.equal(intruder?.operation, "Apply");
      assert.ok((intruder?.fieldsV1?.["f:data"] as Record<string, unknown> | undefined)?.["f:key"], JSON.stringify(after.metadata.managedFields));
    });
  });

  describe("replace and edit", () => {
    test("replace -f", async () => {
      await ok(["create", "-f", manifest("replace-1.yaml", configMap("replace-cm", { a: "1", b: "1" }))]);
      const out = await ok(["replace", "-f", manifest("replace-2.yaml", configMap("replace-cm", { a: "2" }))]);
      assert.equal(out.trim(), "configmap/replace-cm replaced");
      assert.deepEqual((await getJson(["cm", "replace-cm"])).data, { a: "2" });
    });

    test("edit with KUBE_EDITOR", async () => {
      await ok(["create", "-f", manifest("edit.yaml", configMap("edit-cm", { color: "red", size: "3" }))]);
      const out = await ok(["edit", "cm", "edit-cm"], { env: { KUBE_EDITOR: "sed -i 's/size: \"3\"/size: \"5\"/'" } });
      assert.equal(out.trim(), "configmap/edit-cm edited");
      assert.deepEqual((await getJson(["cm", "edit-cm"])).data, { color: "red", size: "5" });
    });
  });

  describe("label, annotate and patch", () => {
    before(async () => {
      await ok(["create", "-f", manifest("meta.yaml", configMap("meta-cm", { a: "1" }))]);
    });

    test("label: add, refuse without --overwrite, overwrite, remove", async () => {
      assert.equal((await ok(["label", "cm", "meta-cm", "tier=front"])).trim(), "configmap/meta-cm labeled");
      assert.equal(await ok(["get", "cm", "meta-cm", "-o", "jsonpath={.metadata.labels.tier}"]), "front");
      assert.match(await fails(["label", "cm", "meta-cm", "tier=back"]), /'tier' already has a value \(front\), and --overwrite is false/);
      assert.equal((await ok(["label", "cm", "meta-cm", "tier=back", "--overwrite"])).trim(), "configmap/meta-cm labeled");
      assert.equal(await ok(["get", "cm", "meta-cm", "-o", "jsonpath={.metadata.labels.tier}"]), "back");
      assert.equal((await ok(["label", "cm", "meta-cm", "tier-"])).trim(), "configmap/meta-cm unlabeled");
      assert.equal((await getJson(["cm", "meta-cm"])).metadata.labels?.["tier"], undefined);
    });

    test("annotate: add, refuse without --overwrite, overwrite, remove", async () => {
      assert.equal((await ok(["annotate", "cm", "meta-cm", "owner=alice"])).trim(), "configmap/meta-cm annotated");
      assert.equal(await ok(["get", "cm", "meta-cm", "-o", "jsonpath={.metadata.annotations.owner}"]), "alice");
      assert.match(await fails(["annotate", "cm", "meta-cm", "owner=bob"]), /--overwrite is false but found the following declared annotation\(s\): 'owner' already has a value \(alice\)/);
      assert.equal((await ok(["annotate", "cm", "meta-cm", "owner=bob", "--overwrite"])).trim(), "configmap/meta-cm annotated");
      assert.equal(await ok(["get", "cm", "meta-cm", "-o", "jsonpath={.metadata.annotations.owner}"]), "bob");
      assert.equal((await ok(["annotate", "cm", "meta-cm", "owner-"])).trim(), "configmap/meta-cm annotated");
      assert.equal((await getJson(["cm", "meta-cm"])).metadata.annotations?.["owner"], undefined);
    });

    test("patch --type json", async () => {
      await ok(["create", "-f", manifest("patch-json.yaml", configMap("patch-json", { a: "1" }))]);
      const ops = [
        { op: "add", path: "/data/b", value: "2" },
        { op: "replace", path: "/data/a", value: "10" },
      ];
      assert.equal((await ok(["patch", "cm", "patch-json", "--type", "json", "-p", JSON.stringify(ops)])).trim(), "configmap/patch-json patched");
      assert.deepEqual((await getJson(["cm", "patch-json"])).data, { a: "10", b: "2" });
      // A failing `test` operation rejects the whole patch (422 Invalid, which kubectl prints as "The request is invalid").
      const stderr = await fails(["patch", "cm", "patch-json", "--type", "json", "-p", '[{"op":"test","path":"/data/a","value":"nope"},{"op":"remove","path":"/data/a"}]']);
      assert.match(stderr, /The request is invalid: .*test/);
      assert.deepEqual((await getJson(["cm", "patch-json"])).data, { a: "10", b: "2" });
    });

    test("patch --type merge", async () => {
      await ok(["create", "-f", manifest("patch-merge.yaml", configMap("patch-merge", { a: "1", b: "2" }))]);
      const patch = '{"data":{"a":null,"c":"3"}}';
      assert.equal((await ok(["patch", "cm", "patch-merge", "--type", "merge", "-p", patch])).trim(), "configmap/patch-merge patched");
      assert.deepEqual((await getJson(["cm", "patch-merge"])).data, { b: "2", c: "3" });
      // kubectl compares the object it read with the one the PATCH returned: a no-op patch must not write
      // (same resourceVersion), as kube-apiserver skips no-op updates.
      assert.equal((await ok(["patch", "cm", "patch-merge", "--type", "merge", "-p", patch])).trim(), "configmap/patch-merge patched (no change)");
    });

    test("patch --type strategic merges containers and env by name", async () => {
      await ok(["create", "-f", manifest("patch-smp.yaml", deployment("patch-smp", 1, [{ name: "X", value: "1" }]))]);
      const patch = {
        spec: {
          template: {
            spec: {
              containers: [
                { name: "app", env: [{ name: "Y", value: "2" }] },
                { name: "sidecar", image: "busybox:1.37" },
              ],
            },
          },
        },
      };
      const out = await ok(["patch", "deployment", "patch-smp", "--type", "strategic", "-p", JSON.stringify(patch)]);
      assert.equal(out.trim(), "deployment.apps/patch-smp patched");
      const containers = (await getJson(["deployment", "patch-smp"])).spec.template.spec.containers as {
        name: string;
        image: string;
        env?: unknown[];
      }[];
      assert.deepEqual(containers.map((c) => [c.name, c.image]), [["app", "busybox:1.36"], ["sidecar", "busybox:1.37"]]);
      // Without `$setElementOrder`, upstream strategic merge puts the patch's items first, then the
      // server-only ones (strategicpatch.normalizeElementOrder): env becomes [Y, X].
      assert.deepEqual(containers[0]!.env, [{ name: "Y", value: "2" }, { name: "X", value: "1" }]);
    });
  });

  describe("scale", () => {
    test("scale deployment/web, with and without --current-replicas", async () => {
      assert.equal((await ok(["scale", "deployment/web", "--replicas=3"])).trim(), "deployment.apps/web scaled");
      assert.equal((await getJson(["deployment", "web"])).spec.replicas, 3);
      // --current-replicas reads the scale subresource and PUTs it back (without a Content-Type).
      assert.equal((await ok(["scale", "deployment/web", "--current-replicas=3", "--replicas=4"])).trim(), "deployment.apps/web scaled");
      assert.equal((await getJson(["deployment", "web"])).spec.replicas, 4);
      assert.match(await fails(["scale", "deployment/web", "--current-replicas=3", "--replicas=5"]), /Expected replicas to be 3, was 4/);
      assert.equal((await getJson(["deployment", "web"])).spec.replicas, 4);
    });
  });

  describe("delete", () => {
    test("delete by name", async () => {
      await ok(["create", "-f", manifest("del-name.yaml", configMap("del-name", { a: "1" }))]);
      assert.equal((await ok(["delete", "cm", "del-name"])).trim(), 'configmap "del-name" deleted');
      assert.equal((await fails(["get", "cm", "del-name"])).trim(), 'Error from server (NotFound): configmaps "del-name" not found');
    });

    test("delete -f", async () => {
      const file = manifest("del-file.yaml", configMap("del-file", { a: "1" }), pod("del-file-pod", { app: "del" }));
      await ok(["create", "-f", file]);
      assert.deepEqual((await ok(["delete", "-f", file])).trim().split("\n"), ['configmap "del-file" deleted', 'pod "del-file-pod" deleted']);
      assert.match(await fails(["get", "cm", "del-file"]), /NotFound/);
      assert.match(await fails(["get", "pod", "del-file-pod"]), /NotFound/);
    });

    test("delete --cascade=orphan: the owner goes, the dependents stay without owner reference", async () => {
      await ok(["create", "-f", manifest("orphan-dep.yaml", deployment("orphan-dep", 0, []))]);
      const owner = await getJson(["deployment", "orphan-dep"]);
      await ok(["create", "-f", manifest("orphan-rs.yaml", replicaSetOwnedBy("orphan-rs", owner))]);
      // DELETE with propagationPolicy=Orphan adds the `orphan` finalizer; the garbage collector
      // strips the dependents' owner references, removes the finalizer, and kubectl's wait ends.
      const out = await ok(["delete", "deployment", "orphan-dep", "--cascade=orphan", "--timeout=20s"]);
      assert.equal(out.trim(), 'deployment.apps "orphan-dep" deleted');
      assert.match(await fails(["get", "deployment", "orphan-dep"]), /NotFound/);
      const rs = await getJson(["replicaset", "orphan-rs"]);
      assert.deepEqual(rs.metadata.ownerReferences ?? [], []);
    });

    test("delete --cascade=foreground: the owner waits for its dependents, then both are gone", async () => {
      await ok(["create", "-f", manifest("fg-dep.yaml", deployment("fg-dep", 0, []))]);
      const owner = await getJson(["deployment", "fg-dep"]);
      await ok(["create", "-f", manifest("fg-rs.yaml", replicaSetOwnedBy("fg-rs", owner))]);
      const out = await ok(["delete", "deployment", "fg-dep", "--cascade=foreground", "--timeout=20s"]);
      assert.equal(out.trim(), 'deployment.apps "fg-dep" deleted');
      assert.match(await fails(["get", "deployment", "fg-dep"]), /NotFound/);
      assert.match(await fails(["get", "replicaset", "fg-rs"]), /NotFound/);
    });

    test("delete --cascade=background removes the owner at once", async () => {
      await ok(["create", "-f", manifest("bg-dep.yaml", deployment("bg-dep", 0, []))]);
      const owner = await getJson(["deployment", "bg-dep"]);
      await ok(["create", "-f", manifest("bg-rs.yaml", replicaSetOwnedBy("bg-rs", owner))]);
      const out = await ok(["delete", "deployment", "bg-dep", "--cascade=background", "--timeout=15s"]);
      assert.equal(out.trim(), 'deployment.apps "bg-dep" deleted');
      assert.match(await fails(["get", "deployment", "bg-dep"]), /NotFound/);
    });

    test(
      "delete --cascade=background: the garbage collector removes the dependents afterwards",
      async () => {
        const deadline = Date.now() + 10_000;
        for (;;) {
          const r = await run(["get", "replicaset", "bg-rs"]);
          if (r.code === 1 && /NotFound/.test(r.stderr)) return;
          assert.ok(Date.now() < deadline, "replicaset bg-rs was not collected within 10 s");
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
      },
    );

    test("delete namespace removes its content, then the namespace", async () => {
      await ok([
        "apply",
        "-f",
        manifest(
          "doomed-ns.yaml",
          { apiVersion: "v1", kind: "Namespace", metadata: { name: "doomed-ns" } },
          { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "inside", namespace: "doomed-ns" }, data: { a: "b" } },
        ),
      ]);
      const out = await ok(["delete", "namespace", "doomed-ns", "--timeout=30s"]);
      assert.equal(out.trim(), 'namespace "doomed-ns" deleted');
      assert.match(await fails(["get", "namespace", "doomed-ns"]), /NotFound/);
      assert.match(await fails(["get", "configmap", "inside", "-n", "doomed-ns"]), /NotFound/);
    });

    test("a finalizer holds a deleted object until removed; wait --for=delete sees it go", async () => {
      await ok(["create", "-f", manifest("final.yaml", configMap("final-cm", { a: "1" }, { finalizers: ["example.com/hold"] }))]);
      assert.equal((await ok(["delete", "cm", "final-cm", "--wait=false"])).trim(), 'configmap "final-cm" deleted');
      const held = await getJson(["cm", "final-cm"]);
      assert.match(held.metadata.deletionTimestamp ?? "", /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.deepEqual(held.metadata.finalizers, ["example.com/hold"]);

      const wait = watch(["wait", "--for=delete", "cm/final-cm", "--timeout=60s", "-v=6"]);
      // -v=6 logs each response as it arrives: once the watch answered, wait is blocked on the live stream.
      await wait.waitForOutput(/GET https:\/\/\S+\/configmaps\?\S*watch=true\S* 200 OK/, 20_000, "stderr");
      assert.equal(wait.stdout(), "", "wait must still be waiting while the finalizer is there");

      const patched = await ok(["patch", "cm", "final-cm", "--type", "merge", "-p", '{"metadata":{"finalizers":null}}']);
      assert.equal(patched.trim(), "configmap/final-cm patched");
      const r = await wait.exited;
      assert.equal(r.code, 0, `wait: exit ${r.code}\n${r.stdout}\n${r.stderr.slice(-2000)}`);
      assert.equal(r.stdout.trim(), "configmap/final-cm condition met");
      assert.match(await fails(["get", "cm", "final-cm"]), /NotFound/);
    });
  });

  describe("explain", () => {
    test("explain pods.spec.containers", async () => {
      const out = await ok(["explain", "pods.spec.containers"]);
      assert.match(out, /^KIND:\s+Pod$/m);
      assert.match(out, /^VERSION:\s+v1$/m);
      assert.match(out, /^FIELD: containers <\[\]Container>$/m);
      assert.match(out, /List of containers belonging to the pod/);
      assert.match(out, /^\s+image\s+<string>$/m);
    });

    test("explain deployment.spec.strategy", async () => {
      const out = await ok(["explain", "deployment.spec.strategy"]);
      assert.match(out, /^GROUP:\s+apps$/m);
      assert.match(out, /^KIND:\s+Deployment$/m);
      assert.match(out, /The deployment strategy to use to replace existing pods with new ones\./);
      assert.match(out, /^\s+rollingUpdate\s+<RollingUpdateDeployment>$/m);
      assert.match(out, /^\s+type\s+<string>$/m);
    });
  });

  // These build on each other: CRD, then its widget, then reads and writes of it.
  describe("custom resources", () => {
    test("apply the CRD and wait for it to be established", async () => {
      const out = await ok(["apply", "-f", join(crdDir, "widget-crd.yaml")]);
      assert.equal(out.trim(), "customresourcedefinition.apiextensions.k8s.io/widgets.example.com created");
      const waited = await ok(["wait", "--for", "condition=established", "crd/widgets.example.com", "--timeout=30s"]);
      assert.equal(waited.trim(), "customresourcedefinition.apiextensions.k8s.io/widgets.example.com condition met");
    });

    test("discovery lists the new kind", async () => {
      const row = rowOf(parsePrintedTable(await ok(["api-resources"])), "widgets");
      assert.deepEqual(row, { NAME: "widgets", SHORTNAMES: "wd", APIVERSION: "example.com/v1", NAMESPACED: "true", KIND: "Widget" });
      assert.ok((await ok(["api-versions"])).split("\n").includes("example.com/v1"));
    });

    test("apply a widget; get shows the printer columns", async () => {
      assert.equal((await ok(["apply", "-f", join(crdDir, "widget.yaml")])).trim(), "widget.example.com/gizmo created");
      for (const resource of ["widgets", "wd"]) {
        const table = parsePrintedTable(await ok(["get", resource]));
        assert.deepEqual(table.headers, ["NAME", "SIZE", "COLOR", "AGE"]);
        const row = rowOf(table, "gizmo");
        assert.equal(row["SIZE"], "3");
        assert.equal(row["COLOR"], "blue");
        assert.match(row["AGE"]!, /^\d+s$/);
      }
    });

    test("describe widget", async () => {
      const out = await ok(["describe", "widget", "gizmo"]);
      assert.match(out, /^Name:\s+gizmo$/m);
      assert.match(out, /^API Version:\s+example\.com\/v1$/m);
      assert.match(out, /^Kind:\s+Widget$/m);
      assert.match(out, /^\s+Size:\s+3$/m);
      assert.match(out, /^\s+Color:\s+blue$/m);
    });

    test("invalid widgets are refused naming the field", async () => {
      const badSize = { apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "bad-size" }, spec: { size: -1 } };
      const sizeErr = await fails(["apply", "-f", manifest("bad-size.yaml", badSize)]);
      assert.match(sizeErr, /The Widget "bad-size" is invalid: .*spec\.size/);
      assert.match(sizeErr, /greater than or equal to 0/);
      const badColor = { apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "bad-color" }, spec: { size: 1, color: "purple" } };
      const colorErr = await fails(["apply", "-f", manifest("bad-color.yaml", badColor)]);
      assert.match(colorErr, /The Widget "bad-color" is invalid: .*spec\.color: Unsupported value: "purple"/);
      assert.match(await fails(["get", "widget", "bad-size"]), /NotFound/);
      assert.match(await fails(["get", "widget", "bad-color"]), /NotFound/);
    });

    test("scale widget/gizmo through the scale subresource", async () => {
      assert.equal((await ok(["scale", "widget/gizmo", "--replicas=4"])).trim(), "widget.example.com/gizmo scaled");
      assert.equal((await getJson(["widget", "gizmo"])).spec.size, 4);
    });

    test("edit and apply (merge patch) a widget", async () => {
      const out = await ok(["edit", "widget", "gizmo"], { env: { KUBE_EDITOR: "sed -i 's/size: 4/size: 5/'" } });
      assert.equal(out.trim(), "widget.example.com/gizmo edited");
      assert.equal((await getJson(["widget", "gizmo"])).spec.size, 5);

      const green = { apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "gizmo" }, spec: { size: 3, color: "green" } };
      assert.equal((await ok(["apply", "-f", manifest("gizmo-green.yaml", green)])).trim(), "widget.example.com/gizmo configured");
      const spec = (await getJson(["widget", "gizmo"])).spec;
      assert.deepEqual(spec, { size: 3, color: "green" });
    });

    test("explain widgets.spec", async () => {
      const out = await ok(["explain", "widgets.spec"]);
      assert.match(out, /^KIND:\s+Widget$/m);
      assert.match(out, /^\s+size\s+<integer> -required-$/m);
      assert.match(out, /How many widgets\./);
      assert.match(out, /^\s+color\s+<string>/m);
    });
  });
});
