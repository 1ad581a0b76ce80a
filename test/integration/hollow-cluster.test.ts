/**
 * A whole control plane driven by hollow nodes: a real `skiff server`
 * (API server, scheduler, ReplicaSet/Deployment/GC controllers) and three
 * hollow nodes in this process. Deployments roll out, heal, scale and
 * roll over exactly as they would on real nodes, without a container.
 * Every eventual check polls with a deadline; nothing waits a fixed time.
 */
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { startSkiffServer, type SkiffServer } from "../support/skiff-server.js";
import { clientFor, refs } from "../support/client.js";
import type { RestClient, ResourceRef } from "../../packages/core/src/client/index.js";
import type { Deployment, KubeList, KubeObject, Lease, Node, Pod, ReplicaSet } from "../../packages/core/src/api/index.js";
import { startHollowNodes, type HollowNodes } from "../../packages/core/src/roles/hollow-nodes.js";

const nodesRef: ResourceRef = { group: "", version: "v1", plural: "nodes", namespaced: false, kind: "Node" };
const leasesRef: ResourceRef = { group: "coordination.k8s.io", version: "v1", plural: "leases", namespaced: true, kind: "Lease" };
const replicaSetsRef: ResourceRef = { group: "apps", version: "v1", plural: "replicasets", namespaced: true, kind: "ReplicaSet" };

type PodObject = Pod & KubeObject;
const namespace = "default";
const deadlineMs = 30_000;

let server: SkiffServer | undefined;
let client: RestClient;
let hollow: HollowNodes | undefined;

/** Polls `check` until it returns true or the deadline passes; the failure names the last state seen. */
async function eventually(what: string, check: () => Promise<boolean | string>, timeoutMs = deadlineMs): Promise<void> {
  const until = Date.now() + timeoutMs;
  let last: boolean | string = false;
  for (;;) {
    last = await check();
    if (last === true) return;
    if (Date.now() > until) assert.fail(`timed out after ${timeoutMs} ms waiting until ${what}${typeof last === "string" ? `; last seen: ${last}` : ""}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function webPods(): Promise<PodObject[]> {
  const list = await client.list<KubeList<PodObject>>(refs.pods, { namespace, labelSelector: "app=web" });
  return list.items;
}

/** Pods that count: not being deleted. */
const live = (pods: PodObject[]) => pods.filter((p) => !p.metadata.deletionTimestamp);
const isRunningReady = (p: PodObject) =>
  p.status?.phase === "Running" && p.status.conditions?.some((c) => c.type === "Ready" && c.status === "True") === true;
const describePods = (pods: PodObject[]) =>
  pods.map((p) => `${p.metadata.name}@${p.spec?.nodeName ?? "-"}:${p.status?.phase ?? "?"}${p.metadata.deletionTimestamp ? "(deleting)" : ""}`).join(", ");

function deployment(replicas: number, image: string): Deployment & KubeObject {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace },
    spec: {
      replicas,
      selector: { matchLabels: { app: "web" } },
      template: {
        metadata: { labels: { app: "web" } },
        spec: { containers: [{ name: "web", image, resources: { requests: { cpu: "100m", memory: "64Mi" } } }] },
      },
    },
  };
}

describe("a cluster of hollow nodes", { timeout: 180_000 }, () => {
  before(async () => {
    server = await startSkiffServer();
    client = await clientFor(server.kubeconfig);
    hollow = startHollowNodes(client, { count: 3, namePrefix: "hollow-", labels: { "skiff.dev/test": "hollow-cluster" } });
    await hollow.ready;
  });

  after(async () => {
    await hollow?.stop();
    await server?.stop();
  });

  it("registers Ready nodes with renewed leases", async () => {
    assert.deepEqual(hollow!.nodeNames, ["hollow-0", "hollow-1", "hollow-2"]);
    for (const name of hollow!.nodeNames) {
      const node = await client.get<Node & KubeObject>(nodesRef, name);
      const ready = node.status?.conditions?.find((c) => c.type === "Ready");
      assert.equal(ready?.status, "True");
      assert.equal(ready?.reason, "KubeletReady");
      assert.equal(node.metadata.labels?.["kubernetes.io/hostname"], name);
      assert.equal(node.metadata.labels?.["node.kubernetes.io/instance-type"], "hollow");
      assert.equal(node.metadata.labels?.["skiff.dev/test"], "hollow-cluster");
      assert.equal(node.status?.allocatable?.["cpu"], "4");
      assert.equal(node.status?.nodeInfo?.kubeletVersion, "v1.32.0-skiff-hollow");
      assert.equal(node.status?.nodeInfo?.containerRuntimeVersion, "hollow://1.0");
      const lease = await client.get<Lease & KubeObject>(leasesRef, name, { namespace: "kube-node-lease" });
      assert.equal(lease.spec?.holderIdentity, name);
      assert.equal(lease.spec?.leaseDurationSeconds, 40);
      assert.ok(Date.parse(lease.spec?.renewTime ?? "") > Date.now() - 60_000, `lease ${name} renewed recently`);
      assert.equal(lease.metadata.ownerReferences?.[0]?.uid, node.metadata.uid, "the lease is owned by its node");
    }
  });

  it("runs a Deployment's 6 pods, spread 2/2/2, all Ready and available", async () => {
    await client.create(refs.deployments, deployment(6, "hollow/web:1"));
    await eventually("6 pods are Running and Ready", async () => {
      const pods = live(await webPods());
      return (pods.length === 6 && pods.every(isRunningReady)) || describePods(pods);
    });
    const pods = live(await webPods());
    const perNode = new Map<string, number>();
    for (const p of pods) perNode.set(p.spec!.nodeName!, (perNode.get(p.spec!.nodeName!) ?? 0) + 1);
    assert.deepEqual(Object.fromEntries([...perNode].sort()), { "hollow-0": 2, "hollow-1": 2, "hollow-2": 2 });
    for (const p of pods) {
      assert.match(p.status?.podIP ?? "", /^10\.250\.\d+\.\d+$/);
      assert.match(p.status?.hostIP ?? "", /^192\.0\.2\.\d+$/);
      assert.equal(p.status?.containerStatuses?.[0]?.containerID, `hollow://${p.metadata.uid}-web`);
      assert.equal(p.status?.containerStatuses?.[0]?.ready, true);
    }
    await eventually("the deployment reports 6 available replicas", async () => {
      const d = await client.get<Deployment & KubeObject>(refs.deployments, "web", { namespace });
      return d.status?.availableReplicas === 6 || JSON.stringify(d.status ?? {});
    });
  });

  it("replaces a deleted pod", async () => {
    const victim = live(await webPods())[0]!;
    await client.delete(refs.pods, victim.metadata.name!, { namespace });
    await eventually("the deleted pod is gone and 6 others run", async () => {
      const pods = await webPods();
      const running = live(pods).filter(isRunningReady);
      const stillThere = pods.some((p) => p.metadata.uid === victim.metadata.uid);
      return (!stillThere && running.length === 6 && pods.length === 6) || describePods(pods);
    });
    assert.ok(!(await webPods()).some((p) => p.metadata.name === victim.metadata.name), "the replacement has a new name");
  });

  it("scales down to 2", async () => {
    await client.patch(refs.deployments, "web", "merge", { spec: { replicas: 2 } }, { namespace });
    await eventually("2 pods remain", async () => {
      const pods = await webPods();
      return (pods.length === 2 && pods.every(isRunningReady)) || describePods(pods);
    });
  });

  it("rolls the template over to a new image", async () => {
    await client.patch(
      refs.deployments,
      "web",
      "merge",
      { spec: { template: { spec: { containers: [{ name: "web", image: "hollow/web:2" }] } } } },
      { namespace },
    );
    await eventually("every pod runs the new image and the old ReplicaSet is at 0", async () => {
      const pods = await webPods();
      const sets = (await client.list<KubeList<ReplicaSet & KubeObject>>(replicaSetsRef, { namespace, labelSelector: "app=web" })).items;
      const d = await client.get<Deployment & KubeObject>(refs.deployments, "web", { namespace });
      const done =
        pods.length === 2 &&
        pods.every((p) => isRunningReady(p) && p.spec?.containers[0]?.image === "hollow/web:2") &&
        sets.length === 2 &&
        sets.filter((rs) => rs.spec?.template?.spec?.containers[0]?.image === "hollow/web:1").every((rs) => rs.spec?.replicas === 0) &&
        d.status?.updatedReplicas === 2 &&
        d.status?.availableReplicas === 2;
      return done || `${describePods(pods)} | ${sets.map((rs) => `${rs.metadata.name}=${rs.spec?.replicas}`).join(", ")}`;
    });
  });

  it("deletes the Deployment's ReplicaSets and pods with it", async () => {
    await client.delete(refs.deployments, "web", { namespace, propagationPolicy: "Background" });
    await eventually("the ReplicaSets and pods are gone", async () => {
      const pods = await webPods();
      const sets = (await client.list<KubeList<KubeObject>>(replicaSetsRef, { namespace, labelSelector: "app=web" })).items;
      return (pods.length === 0 && sets.length === 0) || `${describePods(pods)} | ${sets.length} replica sets`;
    });
  });
});
