/**
 * The controller-manager and the scheduler run alone against any API
 * server, with a kubeconfig, exactly as they run inside `skiff server`:
 * clients over HTTPS, nothing shared with the server's process. With
 * leader election, several copies can run for high availability; one
 * leads, the others wait.
 */
import { hostname } from "node:os";
import { Discovery, RestClient } from "../client/index.js";
import { NodeTransport, loadKubeconfig } from "../client/node.js";
import { startControllerManager } from "./controller-manager.js";
import { startScheduler, type SchedulerOptions } from "../scheduler/index.js";
import { logger } from "../util/logger.js";

const log = logger("roles");

export interface StandaloneOptions {
  kubeconfig: string;
  context?: string;
}

async function clientFrom(options: StandaloneOptions, userAgent: string): Promise<RestClient> {
  const config = await loadKubeconfig(options.kubeconfig, options.context ? { context: options.context } : {});
  return new RestClient(new NodeTransport({ ...config, userAgent }));
}

/** Runs every controller until the signal aborts. */
export async function runControllerManager(options: StandaloneOptions, signal: AbortSignal): Promise<void> {
  const client = await clientFrom(options, "skiff-controller-manager");
  const resources = await new Discovery(client).serverResources();
  log.info({ identity: hostname(), resources: resources.length }, "controller-manager starting");
  const manager = startControllerManager(client, resources);
  await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
  await manager.stop();
}

/** Runs the scheduler until the signal aborts. */
export async function runScheduler(options: StandaloneOptions & { scheduler?: SchedulerOptions }, signal: AbortSignal): Promise<void> {
  const client = await clientFrom(options, "skiff-scheduler");
  log.info({ identity: hostname() }, "scheduler starting");
  await startScheduler(client, options.scheduler ?? {}, signal).done;
}
