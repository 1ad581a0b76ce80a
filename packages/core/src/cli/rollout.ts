/**
 * `skiff rollout status|history|undo|restart|pause|resume TYPE/NAME`, with
 * kubectl's requests, words and exit codes:
 *
 *   status   GET, then list + watch the one object (fieldSelector on its
 *            name, from the list's resourceVersion) and print kubectl's
 *            progress line for every change until the rollout is done
 *   history  the deployment's replica sets by revision (rollout-history.ts)
 *   undo     JSON patch: replace /spec/template with an older replica set's
 *            template (hash label removed), and the annotations with its
 *   restart  patch the pod template's `kubectl.kubernetes.io/restartedAt`
 *   pause    patch spec.paused (resume removes it)
 *
 * History and undo read replica sets, so they serve Deployments only; a
 * DaemonSet's history lives in ControllerRevisions, which Skiff does not
 * serve.
 */
import type { Command } from "commander";
import { isGone, type Deployment, type KubeList, type KubeObject, type ResourceInfo } from "../api/index.js";
import type { CliContext, Connection, GlobalFlags } from "./cli-context.js";
import { withGlobalOptions } from "./cli-context.js";
import { formatError } from "./format-error.js";
import { resolveResourceArgs } from "./resource-args.js";
import { resourceTypeName } from "./printers/index.js";
import { parseDuration } from "./rollout-duration.js";
import {
  annotationsForRollback,
  deploymentReplicaSets,
  formatHistory,
  replicaSetForRevision,
  revisionsOf,
  sameTemplateIgnoringHash,
  templateForRollback,
} from "./rollout-history.js";
import { describePodTemplate } from "./rollout-pod-template.js";
import { hasStatusViewer, rolloutStatus } from "./rollout-status.js";

export const restartedAtAnnotation = "kubectl.kubernetes.io/restartedAt";

export interface RolloutOptions {
  /**
   * A signal that aborts after `ms` milliseconds (`rollout status --timeout`).
   * Tests pass their own. @default AbortSignal.timeout
   */
  timeoutSignal?: (ms: number) => AbortSignal;
}

export interface RolloutStatusFlags extends GlobalFlags {
  watch?: boolean;
  timeout?: string;
  revision?: number;
}

export interface RolloutHistoryFlags extends GlobalFlags {
  revision?: number;
}

export interface RolloutUndoFlags extends GlobalFlags {
  toRevision?: number;
}

interface Target {
  info: ResourceInfo;
  name: string;
  namespace?: string;
}

export function registerRollout(program: Command, ctx: CliContext, options: RolloutOptions = {}): void {
  const rollout = program.command("rollout").description("Manage the rollout of deployments and daemon sets");
  const int = (v: string) => parseInteger(v);

  withGlobalOptions(rollout.command("status"))
    .description("Watch the status of the latest rollout until it is done")
    .argument("<resources...>", "TYPE/NAME or TYPE NAME")
    .option("-w, --watch [bool]", "watch the status until the rollout ends", parseBool, true)
    .option("--timeout <duration>", "how long to wait before giving up (e.g. 30s, 5m); 0 waits forever", "0s")
    .option("--revision <n>", "pin to a revision; another one running is an error", int, 0)
    .action(ctx.action((args: string[], flags: RolloutStatusFlags) => runRolloutStatus(ctx, args, flags, options)));

  withGlobalOptions(rollout.command("history"))
    .description("Show the revisions of a deployment")
    .argument("<resources...>", "TYPE/NAME or TYPE NAME")
    .option("--revision <n>", "show the pod template of one revision", int, 0)
    .action(ctx.action((args: string[], flags: RolloutHistoryFlags) => runRolloutHistory(ctx, args, flags)));

  withGlobalOptions(rollout.command("undo"))
    .description("Roll a deployment back to an earlier revision")
    .argument("<resources...>", "TYPE/NAME or TYPE NAME")
    .option("--to-revision <n>", "the revision to roll back to; 0 means the previous one", int, 0)
    .action(ctx.action((args: string[], flags: RolloutUndoFlags) => runRolloutUndo(ctx, args, flags)));

  withGlobalOptions(rollout.command("restart"))
    .description("Restart every pod of a deployment or daemon set by a new rollout")
    .argument("<resources...>", "TYPE/NAME or TYPE NAME")
    .action(ctx.action((args: string[], flags: GlobalFlags) => runRolloutRestart(ctx, args, flags)));

  for (const verb of ["pause", "resume"] as const) {
    withGlobalOptions(rollout.command(verb))
      .description(verb === "pause" ? "Stop a deployment's rollouts until it is resumed" : "Resume a paused deployment")
      .argument("<resources...>", "TYPE/NAME or TYPE NAME")
      .action(ctx.action((args: string[], flags: GlobalFlags) => runRolloutPause(ctx, args, flags, verb === "pause")));
  }
}

function parseBool(value: string): boolean {
  if (value === "true") return true;
  if (value === "false") return false;
  throw new Error(`invalid boolean value "${value}"`);
}

function parseInteger(value: string): number {
  if (!/^-?\d+$/.test(value)) throw new Error(`invalid argument "${value}": must be an integer`);
  return Number(value);
}

async function targetsOf(conn: Connection, args: string[]): Promise<Target[]> {
  const targets: Target[] = [];
  for (const { info, names } of await resolveResourceArgs(conn.discovery, args)) {
    if (!names) throw new Error("resource(s) were provided, but no name was specified");
    for (const name of names) targets.push({ info, name, ...(info.namespaced ? { namespace: conn.namespace } : {}) });
  }
  return targets;
}

const typeName = (t: Target) => `${resourceTypeName(t.info.kind, t.info.group)}/${t.name}`;
const groupKind = (t: Target) => (t.info.group ? `${t.info.kind}.${t.info.group}` : t.info.kind);
const qualified = (t: Target) => (t.info.group ? `${t.info.plural}.${t.info.group}` : t.info.plural);
const isDeployment = (t: Target) => t.info.group === "apps" && t.info.kind === "Deployment";

// ---- status ---------------------------------------------------------------

export async function runRolloutStatus(ctx: CliContext, args: string[], flags: RolloutStatusFlags, options: RolloutOptions = {}): Promise<number> {
  const timeoutMs = parseDuration(flags.timeout ?? "0s");
  const conn = await ctx.connect(flags);
  for (const target of await targetsOf(conn, args)) {
    if (!hasStatusViewer(target.info.kind, target.info.group)) {
      throw new Error(`no status viewer has been implemented for ${groupKind(target)}`);
    }
    await conn.client.get(target.info, target.name, { ...(target.namespace ? { namespace: target.namespace } : {}) });
    const signal = timeoutMs > 0 ? (options.timeoutSignal ?? ((ms: number) => AbortSignal.timeout(ms)))(timeoutMs) : undefined;
    try {
      await watchRollout(ctx, conn, target, flags, signal);
    } catch (err) {
      if (signal?.aborted) throw new Error("timed out waiting for the condition");
      throw err;
    }
  }
  return 0;
}

/**
 * Prints the status line of every version of the object it sees (as
 * kubectl does, repeats included) until the rollout is done, or once when
 * not watching. A watch the server ends is resumed from the last version
 * seen; one that is too old (410) starts again from a list.
 */
async function watchRollout(ctx: CliContext, conn: Connection, target: Target, flags: RolloutStatusFlags, signal: AbortSignal | undefined): Promise<void> {
  const ns = target.namespace ? { namespace: target.namespace } : {};
  const fieldSelector = `metadata.name=${target.name}`;
  const sig = signal ? { signal } : {};
  /** True when iteration should stop. */
  const report = (obj: KubeObject): boolean => {
    const status = rolloutStatus(target.info.kind, obj, flags.revision ?? 0);
    ctx.out(status.message);
    return status.done || flags.watch === false;
  };
  let resourceVersion: string | undefined;
  for (;;) {
    if (signal?.aborted) throw new Error("timed out waiting for the condition");
    if (resourceVersion === undefined) {
      const list = await conn.client.list<KubeList>(target.info, { ...ns, fieldSelector, ...sig });
      resourceVersion = list.metadata?.resourceVersion ?? "0";
      const item = list.items.find((o) => o.metadata?.name === target.name);
      if (item && report(item)) return;
    }
    let events = 0;
    try {
      const watch = conn.client.watch<KubeObject>(target.info, { ...ns, fieldSelector, resourceVersion, allowWatchBookmarks: true, ...sig });
      for await (const event of watch) {
        events++;
        resourceVersion = event.object.metadata?.resourceVersion ?? resourceVersion;
        if (event.type === "BOOKMARK") continue;
        // A re-created object is another object: stop rather than follow it silently.
        if (event.type === "DELETED") throw new Error("object has been deleted");
        if (report(event.object)) {
          watch.close();
          return;
        }
      }
    } catch (err) {
      if (!isGone(err)) throw err;
      resourceVersion = undefined;
      continue;
    }
    // A watch that ended at once (server shutting down, proxy cut): wait a little before the next.
    if (events === 0) await delay(1000, signal);
  }
}

function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

// ---- history and undo -----------------------------------------------------

async function getDeployment(conn: Connection, target: Target): Promise<Deployment> {
  return conn.client.get<Deployment>(target.info, target.name, { ...(target.namespace ? { namespace: target.namespace } : {}) });
}

export async function runRolloutHistory(ctx: CliContext, args: string[], flags: RolloutHistoryFlags): Promise<number> {
  const conn = await ctx.connect(flags);
  for (const target of await targetsOf(conn, args)) {
    if (!isDeployment(target)) throw new Error(`no history viewer has been implemented for "${groupKind(target)}"`);
    const deployment = await getDeployment(conn, target);
    const revisions = revisionsOf(await deploymentReplicaSets(conn.client, conn.discovery, deployment));
    const revision = flags.revision ?? 0;
    let text: string;
    if (revision > 0) {
      const found = revisions.find((r) => r.revision === revision);
      if (!found) throw new Error("unable to find the specified revision");
      const template = structuredClone(found.replicaSet.spec?.template ?? {});
      if (found.changeCause) {
        template.metadata = { ...(template.metadata ?? {}), annotations: { ...(template.metadata?.annotations ?? {}), "kubernetes.io/change-cause": found.changeCause } };
      }
      text = describePodTemplate(template);
    } else {
      text = formatHistory(revisions);
    }
    // kubectl prints the object's name with the history as its "operation".
    ctx.out(`${typeName(target)} ${revision > 0 ? `with revision #${revision}` : ""}\n${text}\n`);
  }
  return 0;
}

export async function runRolloutUndo(ctx: CliContext, args: string[], flags: RolloutUndoFlags): Promise<number> {
  const conn = await ctx.connect(flags);
  let failed = false;
  for (const target of await targetsOf(conn, args)) {
    try {
      if (!isDeployment(target)) throw new Error(`no rollbacker has been implemented for "${groupKind(target)}"`);
      ctx.out(`${typeName(target)} ${await undo(conn, target, flags.toRevision ?? 0)}\n`);
    } catch (err) {
      failed = true;
      ctx.err(formatError(err) + "\n");
    }
  }
  return failed ? 1 : 0;
}

/** Returns kubectl's word for what happened: `rolled back` or `skipped rollback (…)`. */
async function undo(conn: Connection, target: Target, toRevision: number): Promise<string> {
  if (toRevision < 0) throw new Error(`unable to find specified revision ${toRevision} in history`);
  const deployment = await getDeployment(conn, target);
  const revisions = revisionsOf(await deploymentReplicaSets(conn.client, conn.discovery, deployment));
  const rs = replicaSetForRevision(revisions, toRevision, target.name);
  if (deployment.spec?.paused) {
    throw new Error("you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again");
  }
  if (sameTemplateIgnoringHash(rs.spec?.template, deployment.spec?.template)) {
    return `skipped rollback (current template already matches revision ${toRevision})`;
  }
  const patch = [
    { op: "replace", path: "/spec/template", value: templateForRollback(rs) },
    // `replace` needs the member to exist; `add` sets it either way.
    { op: deployment.metadata?.annotations ? "replace" : "add", path: "/metadata/annotations", value: annotationsForRollback(deployment, rs) },
  ];
  try {
    await conn.client.patch(target.info, target.name, "json", patch, { ...(target.namespace ? { namespace: target.namespace } : {}) });
  } catch (err) {
    throw new Error(`failed restoring revision ${toRevision}: ${(err as Error).message}`);
  }
  return "rolled back";
}

// ---- restart, pause, resume -----------------------------------------------

export async function runRolloutRestart(ctx: CliContext, args: string[], flags: GlobalFlags): Promise<number> {
  const conn = await ctx.connect(flags);
  const now = new Date(ctx.now()).toISOString().replace(/\.\d+Z$/, "Z");
  return patchEach(ctx, conn, args, "restarted", (target, obj) => {
    if (target.info.group !== "apps" || !["Deployment", "DaemonSet", "StatefulSet"].includes(target.info.kind)) {
      throw new Error("restarting is not supported");
    }
    const spec = (obj as { spec?: { paused?: boolean; template?: { metadata?: { annotations?: Record<string, string> } } } }).spec;
    if (target.info.kind === "Deployment" && spec?.paused) throw new Error("can't restart paused deployment (run rollout resume first)");
    if (spec?.template?.metadata?.annotations?.[restartedAtAnnotation] === now) {
      throw new Error("if restart has already been triggered within the past second, please wait before attempting to trigger another");
    }
    return { spec: { template: { metadata: { annotations: { [restartedAtAnnotation]: now } } } } };
  });
}

export async function runRolloutPause(ctx: CliContext, args: string[], flags: GlobalFlags, pause: boolean): Promise<number> {
  const conn = await ctx.connect(flags);
  return patchEach(ctx, conn, args, pause ? "paused" : "resumed", (target, obj) => {
    if (!isDeployment(target)) throw new Error(pause ? "pausing is not supported" : "resuming is not supported");
    const paused = !!(obj as Deployment).spec?.paused;
    if (pause && paused) throw new Error("is already paused");
    if (!pause && !paused) throw new Error("is not paused");
    // Resuming removes the field (false is its default), as kubectl's computed patch does.
    return { spec: { paused: pause ? true : null } };
  });
}

/**
 * GET each target, compute a strategic merge patch from it (or refuse with
 * a reason) and send it; prints `<type>/<name> <done>` per success and
 * kubectl's `error: <resource> "<name>" <reason>` per refusal.
 */
async function patchEach(
  ctx: CliContext,
  conn: Connection,
  args: string[],
  done: string,
  patchFor: (target: Target, obj: KubeObject) => unknown,
): Promise<number> {
  let failed = false;
  for (const target of await targetsOf(conn, args)) {
    const ns = target.namespace ? { namespace: target.namespace } : {};
    const obj = await conn.client.get(target.info, target.name, ns);
    let patch: unknown;
    try {
      patch = patchFor(target, obj);
    } catch (err) {
      failed = true;
      ctx.err(`error: ${qualified(target)} "${target.name}" ${(err as Error).message}\n`);
      continue;
    }
    try {
      await conn.client.patch(target.info, target.name, "strategic", patch, ns);
      ctx.out(`${typeName(target)} ${done}\n`);
    } catch (err) {
      failed = true;
      ctx.err(formatError(err) + "\n");
    }
  }
  return failed ? 1 : 0;
}
