/**
 * One simulated node: it registers a Node, keeps its Lease in
 * `kube-node-lease` renewed, posts its Ready status, and reports the pods
 * bound to it Running without running anything (Kubemark's hollow kubelet).
 *
 *   start ─▶ register (create Node, or patch it back to ours) ─▶ Lease
 *     ├─ every leaseDuration/4 (± 4 % jitter): merge-patch Lease.renewTime
 *     └─ every nodeStatusUpdateFrequency: post status if the API shows it
 *        changed (`observe`) or nodeStatusReportFrequency has passed;
 *        re-register if the Node was deleted
 *
 * Pods are not watched here: the fleet runs one pods informer for all its
 * nodes and calls `syncPod` for the pods bound to this one. Per node only a
 * name, an address, a uid and a few timestamps are kept, so a thousand
 * nodes cost little more than their timers.
 */
import { isAlreadyExists, isConflict, isNotFound, type Node, type Pod } from "../../api/index.js";
import type { RestClient } from "../../client/index.js";
import { logger } from "../../util/index.js";
import type { ResolvedHollowNodeOptions } from "./hollow-node-options.js";
import { hollowLease, hollowNode, hollowNodeLabels, hollowNodeStatus, microTime, nodeLeaseNamespace } from "./node-object.js";
import { finishedPodStatus, nextPodAction, runningPodStatus } from "./pod-status.js";
import { leasesRef, nodesRef, podsRef, type LeaseObject, type NodeObject } from "./resources.js";

const log = logger("hollow-node");

/** Jitter of each lease renewal, as the kubelet's lease controller (wait.JitterUntil with 0.04). */
const leaseJitter = 0.04;
/** After a failed lease renewal, try again this soon (the kubelet retries within seconds too). */
const leaseRetryMs = 1000;
/** Registration retries: 200 ms doubling up to 7 s, as the kubelet's registration loop. */
const registerBackoff = { baseMs: 200, maxMs: 7000 } as const;

export class HollowNode {
  private registered = false;
  private nodeUid: string | undefined;
  /** When the conditions took their values (registration), epoch ms. */
  private since = 0;
  private lastPostedAt = 0;
  /** The API shows a status other than ours: post at the next status check. */
  private statusDirty = false;
  private running = false;
  private cancelLease: () => void = () => {};
  private cancelStatus: () => void = () => {};

  constructor(
    private readonly client: RestClient,
    readonly name: string,
    /** The node's InternalIP and every pod's hostIP: a status value, never contacted. */
    readonly internalIP: string,
    private readonly options: ResolvedHollowNodeOptions,
  ) {}

  get isRegistered(): boolean {
    return this.registered;
  }

  /**
   * Registers (retrying with back-off until it works or `signal` aborts),
   * then starts the lease and status loops. Resolves once registered.
   */
  async start(signal: AbortSignal): Promise<void> {
    if (this.running) throw new Error(`hollow node ${this.name} is already started`);
    this.running = true;
    for (let attempt = 0; !signal.aborted && this.running; attempt++) {
      try {
        await this.register();
        break;
      } catch (err) {
        const delay = Math.min(registerBackoff.maxMs, registerBackoff.baseMs * 2 ** Math.min(attempt, 16));
        log.warn({ err, node: this.name, retryInMs: delay }, "registration failed; retrying");
        await this.sleep(delay, signal);
      }
    }
    if (signal.aborted || !this.running) return;
    const { random, leaseRenewIntervalMs, nodeStatusUpdateFrequencyMs } = this.options;
    // Spread the first renewals and checks over one period, so a fleet started at once does not renew in lockstep.
    this.scheduleLease(random() * leaseRenewIntervalMs);
    this.scheduleStatus(random() * nodeStatusUpdateFrequencyMs);
  }

  /** Stops the loops; the Node and Lease stay (the lease expires, as when a kubelet dies). */
  stop(): void {
    this.running = false;
    this.cancelLease();
    this.cancelStatus();
  }

  /**
   * What the API shows of this node (from the fleet's nodes informer), or
   * `undefined` once it is deleted. A Ready condition other than ours (the
   * node lifecycle controller marking it Unknown, say) makes the next status
   * check post again; a deleted node registers again.
   */
  observe(node: Readonly<Node> | undefined): void {
    if (!node) {
      if (this.registered) log.info({ node: this.name }, "node deleted; registering again at the next status check");
      this.registered = false;
      this.nodeUid = undefined;
      return;
    }
    if (node.metadata?.uid) this.nodeUid = node.metadata.uid;
    const ready = node.status?.conditions?.find((c) => c.type === "Ready");
    if (ready?.status !== "True" || ready.reason !== "KubeletReady") this.statusDirty = true;
  }

  /**
   * Converges one pod bound to this node: report it Running, end it
   * (run-to-completion pods) or delete it (marked for deletion). Returns in
   * how many milliseconds to look at it again, if ever. Throws on API errors
   * other than the pod being gone, so the caller retries.
   */
  async syncPod(pod: Readonly<Pod>, podIP: () => string): Promise<number | undefined> {
    const action = nextPodAction(pod);
    const namespace = pod.metadata?.namespace ?? "";
    const name = pod.metadata?.name ?? "";
    try {
      switch (action.type) {
        case "none":
          return undefined;
        case "start": {
          const status = runningPodStatus(pod, { podIP: podIP(), hostIP: this.internalIP, now: this.options.clock.now() });
          await this.client.patch(podsRef, name, "merge", { status }, { namespace, subresource: "status" });
          return undefined;
        }
        case "finish": {
          const wait = action.atMs - this.options.clock.now();
          if (wait > 0) return wait;
          const status = finishedPodStatus(pod, this.options.clock.now());
          await this.client.patch(podsRef, name, "merge", { status }, { namespace, subresource: "status" });
          return undefined;
        }
        case "delete":
          // The kubelet's final delete: grace 0, and only this pod (a new one of the same name is not ours to remove).
          await this.client.delete(podsRef, name, {
            namespace,
            gracePeriodSeconds: 0,
            ...(pod.metadata?.uid ? { preconditions: { uid: pod.metadata.uid } } : {}),
          });
          return undefined;
        default: {
          const never: never = action;
          throw new Error(`unknown pod action ${JSON.stringify(never)}`);
        }
      }
    } catch (err) {
      // Gone, or replaced by a pod of the same name (uid precondition): nothing left to do for this one.
      if (isNotFound(err) || (action.type === "delete" && isConflict(err))) return undefined;
      throw err;
    }
  }

  /** Creates the Node, or takes an existing one back (labels and status ours again), then its Lease. */
  private async register(): Promise<void> {
    const now = this.options.clock.now();
    this.since = now;
    const node = hollowNode(this.name, this.internalIP, this.options, { now, since: now });
    let uid: string | undefined;
    try {
      uid = (await this.client.create(nodesRef, node as NodeObject)).metadata?.uid;
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      const patched = await this.client.patch<Node>(nodesRef, this.name, "merge", {
        metadata: { labels: hollowNodeLabels(this.name, this.options) },
      });
      await this.postStatus(now);
      uid = patched.metadata?.uid;
    }
    this.nodeUid = uid;
    this.registered = true;
    this.statusDirty = false;
    this.lastPostedAt = now;
    await this.renewLease();
    log.debug({ node: this.name }, "registered");
  }

  private async postStatus(now: number): Promise<void> {
    const status = hollowNodeStatus(this.name, this.internalIP, this.options, { now, since: this.since });
    await this.client.patch(nodesRef, this.name, "merge", { status }, { subresource: "status" });
    this.lastPostedAt = now;
    this.statusDirty = false;
  }

  /** Moves renewTime to now; creates the Lease when it is missing (first start, or deleted with its Node). */
  private async renewLease(): Promise<void> {
    const now = this.options.clock.now();
    const { leaseDurationSeconds } = this.options;
    try {
      await this.client.patch(
        leasesRef,
        this.name,
        "merge",
        { spec: { holderIdentity: this.name, leaseDurationSeconds, renewTime: microTime(now) } },
        { namespace: nodeLeaseNamespace },
      );
    } catch (err) {
      if (!isNotFound(err)) throw err;
      try {
        await this.client.create(leasesRef, hollowLease(this.name, this.nodeUid, this.options, now) as LeaseObject);
      } catch (createErr) {
        // Created meanwhile by an earlier attempt whose answer was lost: renewed at the next period.
        if (!isAlreadyExists(createErr)) throw createErr;
      }
    }
  }

  private scheduleLease(ms: number): void {
    this.cancelLease = this.options.clock.setTimeout(() => void this.leaseTick(), ms);
  }

  private async leaseTick(): Promise<void> {
    if (!this.running) return;
    const { leaseRenewIntervalMs, random } = this.options;
    let next = leaseRenewIntervalMs * (1 + leaseJitter * random());
    if (this.registered) {
      try {
        await this.renewLease();
      } catch (err) {
        log.warn({ err, node: this.name }, "lease renewal failed; retrying");
        next = Math.min(next, leaseRetryMs);
      }
    }
    if (this.running) this.scheduleLease(next);
  }

  private scheduleStatus(ms: number): void {
    this.cancelStatus = this.options.clock.setTimeout(() => void this.statusTick(), ms);
  }

  private async statusTick(): Promise<void> {
    if (!this.running) return;
    const now = this.options.clock.now();
    try {
      if (!this.registered) await this.register();
      else if (this.statusDirty || now - this.lastPostedAt >= this.options.nodeStatusReportFrequencyMs) await this.postStatus(now);
    } catch (err) {
      if (isNotFound(err)) this.registered = false;
      log.warn({ err, node: this.name }, "node status update failed; retrying at the next check");
    }
    if (this.running) this.scheduleStatus(this.options.nodeStatusUpdateFrequencyMs);
  }

  private sleep(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const onAbort = () => {
        cancel();
        resolve();
      };
      const cancel = this.options.clock.setTimeout(() => {
        signal.removeEventListener("abort", onAbort);
        resolve();
      }, ms);
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }
}
