/**
 * The controller-manager role: runs Skiff's controllers against an API
 * server, over HTTPS like any other client. In `skiff server` it runs in the
 * same process as the API server, with its own identity
 * (`system:kube-controller-manager`); it could run anywhere else.
 */
import type { ResourceInfo } from "../api/resource-info.js";
import type { RestClient } from "../client/index.js";
import { runController, type Controller } from "../control-loop/index.js";
import { GarbageCollector } from "../controllers/garbage-collector/index.js";
import { NamespaceController } from "../controllers/namespace/index.js";
import { ReplicaSetController } from "../controllers/replicaset/index.js";
import { DeploymentController } from "../controllers/deployment/index.js";
import { SharedInformerFactory } from "../informer/index.js";
import { JobController } from "../controllers/job/index.js";
import { DaemonSetController } from "../controllers/daemonset/index.js";
import { NodeLifecycleController } from "../controllers/node-lifecycle/index.js";
import { logger } from "../util/logger.js";

const log = logger("controller-manager");

export interface ControllerManagerOptions {
  /** Workers per controller. @default 2 */
  workers?: number;
  /** Node health timings: upstream's ("default") or the documented "fast" profile for small clusters. @default "default" */
  nodeLifecycleProfile?: "default" | "fast";
}

export interface ControllerManager {
  stop(): Promise<void>;
}

/**
 * Starts every controller. `resources` are the API's resources (for the
 * garbage collector and namespace cleanup, which act on every kind).
 */
export function startControllerManager(
  client: RestClient,
  resources: ResourceInfo[],
  options: ControllerManagerOptions = {},
): ControllerManager {
  const abort = new AbortController();
  const deletable = resources.filter((r) => ["list", "watch", "delete"].every((v) => r.verbs.includes(v)));
  // Workload controllers share one informer per kind (pods, replicasets, deployments).
  const informers = new SharedInformerFactory(client);
  const shared = { newInformer: (ref: Parameters<SharedInformerFactory["informerFor"]>[0]) => informers.informerFor(ref) };
  const controllers: Controller[] = [
    new GarbageCollector(client, deletable),
    new NamespaceController(client, deletable),
    new ReplicaSetController(client, shared),
    new DeploymentController(client, shared),
    new JobController(client, shared),
    new DaemonSetController(client, shared),
    new NodeLifecycleController(client, { profile: options.nodeLifecycleProfile ?? "default" }),
  ];
  const running = controllers.map((c) =>
    runController(c, abort.signal, { workers: options.workers ?? 2 }).catch((err: unknown) => {
      log.error({ err, controller: c.name }, "controller stopped with an error");
    }),
  );
  log.info({ controllers: controllers.map((c) => c.name) }, "controllers started");
  return {
    async stop() {
      abort.abort();
      await Promise.all(running);
    },
  };
}
