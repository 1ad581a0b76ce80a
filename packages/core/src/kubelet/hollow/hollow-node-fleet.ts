/**
 * N hollow nodes in one process, for studying the control plane at scale
 * (Kubemark, KWOK). The fleet shares everything it can between its nodes:
 * one resolved options object, one pods informer and one nodes informer
 * (two watches in all, whatever N), one work queue of pod keys with a fixed
 * number of workers. Each node keeps only its own timers and a few fields.
 *
 *   start ─▶ pods + nodes informers, workers (HollowPodController)
 *         └▶ nodes register, `registrationConcurrency` at a time; each then
 *            renews its Lease and posts its status on its own jittered timers
 *
 * Node `i` (0-based) is named `<namePrefix><i>` and gets InternalIP
 * `hollowNodeAddress(i)`; pods get IPs from 10.250.0.0/16 in turn
 * (wrapping after 65 534: status values, never routed).
 */
import type { RestClient } from "../../client/index.js";
import { runController } from "../../control-loop/index.js";
import { Informer } from "../../informer/index.js";
import { logger } from "../../util/index.js";
import { HollowNode } from "./hollow-node.js";
import { resolveHollowNodeOptions, type HollowNodeOptions, type ResolvedHollowNodeOptions } from "./hollow-node-options.js";
import { HollowPodController } from "./hollow-pod-controller.js";
import { hollowNodeAddress } from "./node-object.js";
import { nodesRef, podsRef, type NodeObject, type PodObject } from "./resources.js";

const log = logger("hollow-fleet");

export interface HollowNodeFleetOptions extends HollowNodeOptions {
  /** How many nodes. */
  count: number;
  /** Node names are `<namePrefix><index>`, index from 0. @default "hollow-" */
  namePrefix?: string;
  /** Pod syncs (status writes, deletes) in flight at once, for the whole fleet. @default 16 */
  workers?: number;
  /** Nodes registering at once when the fleet starts. @default 16 */
  registrationConcurrency?: number;
}

export class HollowNodeFleet {
  readonly options: ResolvedHollowNodeOptions;
  private readonly nodes = new Map<string, HollowNode>();
  private readonly abort = new AbortController();
  private readonly workers: number;
  private readonly registrationConcurrency: number;
  private nextPodAddress = 0;
  private controllerRun: Promise<void> | undefined;
  private registration: Promise<void> | undefined;

  constructor(
    private readonly client: RestClient,
    options: HollowNodeFleetOptions,
  ) {
    if (!Number.isInteger(options.count) || options.count < 0) throw new Error(`count must be a non-negative integer, got ${options.count}`);
    this.options = resolveHollowNodeOptions(options);
    this.workers = Math.max(1, options.workers ?? 16);
    this.registrationConcurrency = Math.max(1, options.registrationConcurrency ?? 16);
    const prefix = options.namePrefix ?? "hollow-";
    for (let i = 0; i < options.count; i++) {
      const name = `${prefix}${i}`;
      this.nodes.set(name, new HollowNode(client, name, hollowNodeAddress(i), this.options));
    }
  }

  get nodeNames(): string[] {
    return [...this.nodes.keys()];
  }

  node(name: string): HollowNode | undefined {
    return this.nodes.get(name);
  }

  /**
   * Starts the pod workers and registers every node; resolves once all are
   * registered (or `signal` aborted). Runs until `stop()` or `signal`.
   */
  async start(signal?: AbortSignal): Promise<void> {
    if (this.controllerRun) throw new Error("hollow node fleet is already started");
    if (signal) {
      if (signal.aborted) this.abort.abort();
      else signal.addEventListener("abort", () => this.abort.abort(), { once: true });
    }
    const stopping = this.abort.signal;
    const clock = this.options.clock;
    const controller = new HollowPodController({
      pods: new Informer<PodObject>(this.client, podsRef, { clock }),
      nodes: new Informer<NodeObject>(this.client, nodesRef, { clock }),
      nodeFor: (name) => this.nodes.get(name),
      podIP: () => this.allocatePodIP(),
      options: this.options,
    });
    this.controllerRun = runController(controller, stopping, { workers: this.workers, clock }).catch((err: unknown) => {
      log.error({ err }, "hollow pod controller stopped with an error");
    });
    this.registration = this.registerAll(stopping);
    await this.registration;
    if (!stopping.aborted) log.info({ nodes: this.nodes.size }, "hollow nodes registered");
  }

  /** Stops every loop and waits for syncs in flight. Nodes and leases stay in the API (their leases expire). */
  async stop(): Promise<void> {
    this.abort.abort();
    for (const node of this.nodes.values()) node.stop();
    await this.registration;
    await this.controllerRun;
  }

  private async registerAll(signal: AbortSignal): Promise<void> {
    const pending = [...this.nodes.values()];
    const lane = async () => {
      for (let node = pending.shift(); node && !signal.aborted; node = pending.shift()) await node.start(signal);
    };
    await Promise.all(Array.from({ length: Math.min(this.registrationConcurrency, pending.length) }, lane));
  }

  private allocatePodIP(): string {
    const n = (this.nextPodAddress++ % 65534) + 1;
    return `10.250.${n >> 8}.${n & 255}`;
  }
}
