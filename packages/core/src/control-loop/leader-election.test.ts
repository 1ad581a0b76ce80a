import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { KubeObject, Lease } from "../api/index.js";
import { RestClient, type Transport } from "../client/index.js";
import { RecordingTransport, notFoundStatus, type FakeReply } from "../client/testing/index.js";
import { settle, until } from "../informer/testing/index.js";
import { FakeClock } from "../util/index.js";
import { runWithLeaderElection } from "./leader-election.js";

type LeaseObject = Lease & KubeObject;
const leasesPath = "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases";

/** The Lease part of an API server: get, create, update with resourceVersion conflicts. */
class LeaseServer {
  readonly leases = new Map<string, LeaseObject>();
  private revision = 100;
  readonly transport = new RecordingTransport((req) => this.answer(req.method, req.path, typeof req.body === "string" ? req.body : undefined));

  get(name = "controller-manager"): LeaseObject | undefined {
    return this.leases.get(name);
  }

  private answer(method: string, path: string, body: string | undefined): FakeReply {
    if (!path.startsWith(leasesPath)) return { status: 404, body: notFoundStatus(path) };
    const name = decodeURIComponent(path.slice(leasesPath.length + 1));
    const sent = body ? (JSON.parse(body) as LeaseObject) : undefined;
    const failure = (code: number, reason: string) => ({ status: code, body: { kind: "Status", apiVersion: "v1", status: "Failure", code, reason, message: reason } });
    switch (method) {
      case "GET": {
        const lease = this.leases.get(name);
        return lease ? { status: 200, body: lease } : { status: 404, body: notFoundStatus(path) };
      }
      case "POST": {
        if (this.leases.has(sent!.metadata.name!)) return failure(409, "AlreadyExists");
        const created = { ...sent!, metadata: { ...sent!.metadata, resourceVersion: String(++this.revision) } };
        this.leases.set(created.metadata.name!, created);
        return { status: 201, body: created };
      }
      case "PUT": {
        const current = this.leases.get(name);
        if (!current) return { status: 404, body: notFoundStatus(path) };
        if (sent!.metadata.resourceVersion !== current.metadata.resourceVersion) return failure(409, "Conflict");
        const updated = { ...sent!, metadata: { ...sent!.metadata, resourceVersion: String(++this.revision) } };
        this.leases.set(name, updated);
        return { status: 200, body: updated };
      }
      default:
        return failure(405, "MethodNotAllowed");
    }
  }
}

/** One controller-manager process: its own connection (which can be cut) and its own log of terms. */
function candidate(server: LeaseServer, clock: FakeClock, identity: string, log: string[]) {
  let partitioned = false;
  const transport: Transport = {
    request: (req) => (partitioned ? Promise.reject(new Error("connect ECONNREFUSED")) : server.transport.request(req)),
    stream: (req) => server.transport.stream(req),
  };
  const stop = new AbortController();
  let leading = false;
  const done = runWithLeaderElection(
    new RestClient(transport),
    { lockName: "controller-manager", identity, jitterFactor: 0, clock },
    async (signal) => {
      leading = true;
      log.push(`${clock.now()} ${identity} starts`);
      await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
      log.push(`${clock.now()} ${identity} stops`);
      leading = false;
    },
    stop.signal,
  );
  return {
    identity,
    done,
    stop: () => stop.abort(),
    isLeading: () => leading,
    cut: (value: boolean) => (partitioned = value),
  };
}

/** Moves the clock in small steps, letting requests complete between them. */
async function tick(clock: FakeClock, ms: number, step = 100): Promise<void> {
  for (let t = 0; t < ms; t += step) {
    clock.advance(step);
    await settle();
  }
}

describe("runWithLeaderElection", () => {
  it("lets exactly one of two candidates lead, and the leader keeps renewing", async () => {
    const server = new LeaseServer();
    const clock = new FakeClock(0);
    const log: string[] = [];
    const a = candidate(server, clock, "a", log);
    const b = candidate(server, clock, "b", log);
    await until(() => a.isLeading() || b.isLeading(), "a leader");
    const leader = a.isLeading() ? a : b;
    for (let i = 0; i < 60; i++) {
      await tick(clock, 1000);
      assert.deepEqual([a, b].filter((c) => c.isLeading()).map((c) => c.identity), [leader.identity]);
    }
    const spec = server.get()!.spec!;
    assert.equal(spec.holderIdentity, leader.identity);
    assert.equal(spec.leaseDurationSeconds, 15);
    assert.equal(spec.leaseTransitions, 0);
    assert.equal(spec.acquireTime, "1970-01-01T00:00:00.000000Z");
    assert.ok(Date.parse(spec.renewTime!) >= 58_000, `renewed recently: ${spec.renewTime}`);
    a.stop();
    b.stop();
    await Promise.all([a.done, b.done]);
  });

  it("when the leader cannot renew, it stops leading after the renew deadline and the other takes over after the lease expires", async () => {
    const server = new LeaseServer();
    const clock = new FakeClock(0);
    const log: string[] = [];
    const a = candidate(server, clock, "a", log);
    await until(() => a.isLeading(), "a leads");
    const b = candidate(server, clock, "b", log);
    await tick(clock, 10_000);
    assert.equal(server.get()!.spec!.renewTime, "1970-01-01T00:00:10.000000Z");
    a.cut(true); // a's renewals from now on fail; a's last renewal is at 10 s
    await tick(clock, 11_900);
    assert.equal(a.isLeading(), true, "a renews until its deadline: the cycle at 12 s gives up at 22 s");
    await tick(clock, 200);
    assert.equal(a.isLeading(), false);
    assert.equal(b.isLeading(), false, "b waits for the lease to expire");
    await tick(clock, 6_000);
    assert.equal(b.isLeading(), true);
    assert.deepEqual(log.slice(0, 2), ["0 a starts", "22000 a stops"]);
    const bStarted = Number(log[2]!.split(" ")[0]);
    assert.ok(bStarted >= 25_000 && bStarted <= 28_000, `b starts once 15 s passed after the last renewal it saw: ${log[2]}`);
    assert.equal(server.get()!.spec!.holderIdentity, "b");
    assert.equal(server.get()!.spec!.leaseTransitions, 1);

    // a comes back as a candidate and does not take the lease from b.
    a.cut(false);
    await tick(clock, 30_000);
    assert.equal(a.isLeading(), false);
    assert.equal(b.isLeading(), true);
    a.stop();
    b.stop();
    await Promise.all([a.done, b.done]);
  });

  it("releases the lease on stop so the other candidate takes over at its next try", async () => {
    const server = new LeaseServer();
    const clock = new FakeClock(0);
    const log: string[] = [];
    const a = candidate(server, clock, "a", log);
    await until(() => a.isLeading(), "a leads");
    const b = candidate(server, clock, "b", log);
    await tick(clock, 5_000);
    a.stop();
    await a.done;
    assert.equal(a.isLeading(), false);
    const released = server.get()!.spec!;
    assert.equal(released.holderIdentity, "");
    assert.equal(released.leaseDurationSeconds, 1);
    await tick(clock, 2_000);
    assert.equal(b.isLeading(), true, "no wait for the 15 s lease duration");
    assert.equal(server.get()!.spec!.leaseTransitions, 1);
    b.stop();
    await b.done;
  });

  it("ends and releases when run returns, and passes run's error on", async () => {
    const server = new LeaseServer();
    const clock = new FakeClock(0);
    const options = { lockName: "controller-manager", identity: "a", clock };
    await runWithLeaderElection(new RestClient(server.transport), options, async () => {}, new AbortController().signal);
    assert.equal(server.get()!.spec!.holderIdentity, "");
    await assert.rejects(
      runWithLeaderElection(new RestClient(server.transport), options, async () => Promise.reject(new Error("boom")), new AbortController().signal),
      /boom/,
    );
    assert.equal(server.get()!.spec!.holderIdentity, "");
  });

  it("refuses a renew deadline that is not shorter than the lease duration", async () => {
    const server = new LeaseServer();
    await assert.rejects(
      runWithLeaderElection(new RestClient(server.transport), { lockName: "x", identity: "a", leaseDurationMs: 10_000, renewDeadlineMs: 10_000 }, async () => {}, new AbortController().signal),
      /renewDeadlineMs/,
    );
  });
});
