/**
 * `skiff delete TYPE NAME... | TYPE/NAME... | -f FILE | TYPE -l SELECTOR`.
 * Like kubectl, it prints `<type> "<name>" deleted` as soon as the server
 * accepts the delete, then (with --wait, the default) waits until the
 * object is really gone — finalizers and graceful termination can keep it
 * for a while. Waiting is list-then-watch on the object's name, so a
 * deletion that lands between the two is not missed.
 */
import type { Command } from "commander";
import { isGone, isNotFound, parseApiVersion, type KubeList, type KubeObject, type ResourceInfo } from "../api/index.js";
import type { PropagationPolicy } from "../client/index.js";
import type { CliContext, Connection, GlobalFlags } from "./cli-context.js";
import { withGlobalOptions } from "./cli-context.js";
import { formatError } from "./format-error.js";
import { readManifests } from "./manifests.js";
import { resolveResourceArgs } from "./resource-args.js";
import { resourceTypeName } from "./printers/index.js";

export interface DeleteFlags extends GlobalFlags {
  filename?: string[];
  recursive?: boolean;
  selector?: string;
  all?: boolean;
  cascade?: string;
  gracePeriod?: number;
  now?: boolean;
  ignoreNotFound?: boolean;
  wait?: boolean;
}

export function registerDelete(program: Command, ctx: CliContext): void {
  withGlobalOptions(program.command("delete"))
    .description("Delete resources by type and names, by file, or by label selector")
    .argument("[resources...]", "TYPE NAME..., TYPE/NAME... or TYPE with -l/--all")
    .option("-f, --filename <path...>", "files, directories or - for stdin")
    .option("-R, --recursive", "process directories recursively")
    .option("-l, --selector <selector>", "delete every object matching a label selector")
    .option("--all", "delete every object of the type in the namespace")
    .option("--cascade <policy>", "background, foreground or orphan", "background")
    .option("--grace-period <seconds>", "seconds given to the object to terminate (-1: the object's default)", (v) => Number.parseInt(v, 10), -1)
    .option("--now", "shorthand for --grace-period=1")
    .option("--ignore-not-found", "treat a missing object as deleted")
    .option("--wait [bool]", "wait until the objects are gone", parseBool, true)
    .action(ctx.action((args: string[], flags: DeleteFlags) => runDelete(ctx, args, flags)));
}

function parseBool(value: string): boolean {
  if (value === "true") return true;
  if (value === "false") return false;
  throw new Error(`invalid boolean value "${value}"`);
}

export function propagationPolicy(cascade: string | undefined): PropagationPolicy {
  switch (cascade ?? "background") {
    case "background":
    case "true":
      return "Background";
    case "foreground":
      return "Foreground";
    case "orphan":
    case "false":
      return "Orphan";
    default:
      throw new Error(`invalid cascade value (${cascade}). Must be "background", "foreground", or "orphan".`);
  }
}

interface Target {
  info: ResourceInfo;
  name: string;
  namespace?: string;
}

export async function runDelete(ctx: CliContext, args: string[], flags: DeleteFlags): Promise<number> {
  const policy = propagationPolicy(flags.cascade);
  const gracePeriodSeconds = flags.now ? 1 : (flags.gracePeriod ?? -1);
  if (!flags.filename?.length && args.length === 0) {
    throw new Error("You must provide one or more resources by argument or filename.");
  }
  const conn = await ctx.connect(flags);
  const targets = await collectTargets(ctx, conn, args, flags);
  let failed = false;
  const pending: (Target & { uid?: string })[] = [];
  for (const t of targets) {
    try {
      const answer = await conn.client.delete<KubeObject | { kind: "Status" }>(t.info, t.name, {
        ...(t.namespace ? { namespace: t.namespace } : {}),
        propagationPolicy: policy,
        ...(gracePeriodSeconds >= 0 ? { gracePeriodSeconds } : {}),
      });
      ctx.out(`${resourceTypeName(t.info.kind, t.info.group)} "${t.name}" deleted\n`);
      const uid = (answer as KubeObject | undefined)?.metadata?.uid;
      pending.push({ ...t, ...(uid ? { uid } : {}) });
    } catch (err) {
      if (isNotFound(err) && flags.ignoreNotFound) continue;
      failed = true;
      ctx.err(formatError(err) + "\n");
    }
  }
  if (flags.wait !== false) {
    for (const t of pending) await waitUntilGone(ctx, conn, t);
  }
  return failed ? 1 : 0;
}

async function collectTargets(ctx: CliContext, conn: Connection, args: string[], flags: DeleteFlags): Promise<Target[]> {
  const targets: Target[] = [];
  if (flags.filename?.length) {
    if (args.length) throw new Error("resources may not be given together with -f");
    const manifests = await readManifests(flags.filename, { recursive: !!flags.recursive, readStdin: () => ctx.readStdin() });
    for (const { object } of manifests) {
      const info = await conn.discovery.resourceFor({ ...parseApiVersion(object.apiVersion!), kind: object.kind! });
      const name = object.metadata.name ?? "";
      targets.push({ info, name, ...(info.namespaced ? { namespace: object.metadata.namespace || conn.namespace } : {}) });
    }
    return targets;
  }
  for (const { info, names } of await resolveResourceArgs(conn.discovery, args)) {
    const namespace = info.namespaced ? conn.namespace : undefined;
    if (names) {
      for (const name of names) targets.push({ info, name, ...(namespace ? { namespace } : {}) });
      continue;
    }
    if (!flags.selector && !flags.all) {
      throw new Error(`resource(s) were provided, but no name was specified`);
    }
    const list = await conn.client.list<KubeList>(info, {
      ...(namespace ? { namespace } : {}),
      labelSelector: flags.selector,
    });
    for (const item of list.items) targets.push({ info, name: item.metadata.name!, ...(namespace ? { namespace } : {}) });
    if (!list.items.length) ctx.err(namespace ? `No resources found in ${namespace} namespace.\n` : "No resources found\n");
  }
  return targets;
}

/** Returns once no object of that name (and uid, when known) exists. */
export async function waitUntilGone(ctx: CliContext, conn: Connection, target: Target & { uid?: string }): Promise<void> {
  const ns = target.namespace ? { namespace: target.namespace } : {};
  const fieldSelector = `metadata.name=${target.name}`;
  const same = (o: KubeObject | undefined) => !!o && (!target.uid || o.metadata?.uid === target.uid);
  let announced = false;
  for (;;) {
    const list = await conn.client.list<KubeList>(target.info, { ...ns, fieldSelector });
    if (!list.items.some(same)) break;
    if (!announced) {
      ctx.progress(`waiting for ${resourceTypeName(target.info.kind, target.info.group)} "${target.name}" to be deleted...\n`);
      announced = true;
    }
    try {
      const watch = conn.client.watch<KubeObject>(target.info, {
        ...ns,
        fieldSelector,
        resourceVersion: list.metadata?.resourceVersion,
        allowWatchBookmarks: true,
        timeoutSeconds: 300,
      });
      for await (const event of watch) {
        if (event.type === "DELETED" && same(event.object)) {
          watch.close();
          return;
        }
      }
    } catch (err) {
      // Too old a version: list again and watch from there.
      if (!isGone(err)) throw err;
    }
  }
}
