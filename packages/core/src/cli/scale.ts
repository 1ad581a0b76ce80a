/**
 * `skiff scale TYPE/NAME | TYPE NAME... | TYPE -l SELECTOR | TYPE --all
 * --replicas=N`, through the `scale` subresource as kubectl does it:
 *
 *   plain                  GET the object, then PATCH …/scale with the merge
 *                          patch {"spec":{"replicas":N}}
 *   --current-replicas=M   GET …/scale, refuse unless spec.replicas is M
 *   --resource-version=V   (or the scale's version is not V), then PUT the
 *                          Scale back with its resourceVersion, so a
 *                          concurrent change fails with Conflict instead of
 *                          being overwritten
 *
 * Prints `deployment.apps/web scaled` per object.
 */
import type { Command } from "commander";
import type { KubeList, ResourceInfo, Scale } from "../api/index.js";
import { resourcePath } from "../client/index.js";
import type { CliContext, Connection, GlobalFlags } from "./cli-context.js";
import { withGlobalOptions } from "./cli-context.js";
import { formatError } from "./format-error.js";
import { resolveResourceArgs } from "./resource-args.js";
import { resourceTypeName } from "./printers/index.js";

export interface ScaleFlags extends GlobalFlags {
  replicas?: number;
  currentReplicas?: number;
  resourceVersion?: string;
  selector?: string;
  all?: boolean;
}

export function registerScale(program: Command, ctx: CliContext): void {
  withGlobalOptions(program.command("scale"))
    .description("Set a new size for a deployment, replica set or any resource with a scale subresource")
    .argument("<resources...>", "TYPE/NAME..., TYPE NAME... or TYPE with -l/--all")
    .option("--replicas <n>", "the new desired number of replicas", parseCount, -1)
    .option("--current-replicas <n>", "precondition: the current size must be this; -1 for none", parseCount, -1)
    .option("--resource-version <version>", "precondition: the scale's resourceVersion must be this")
    .option("-l, --selector <selector>", "scale every object matching a label selector")
    .option("--all", "scale every object of the type in the namespace")
    .action(ctx.action((args: string[], flags: ScaleFlags) => runScale(ctx, args, flags)));
}

function parseCount(value: string): number {
  if (!/^-?\d+$/.test(value)) throw new Error(`invalid argument "${value}": must be an integer`);
  return Number(value);
}

interface Target {
  info: ResourceInfo;
  name: string;
  namespace?: string;
}

/** kubectl's precondition failure: `Expected replicas to be 7, was 2`. */
export class ScalePreconditionError extends Error {
  constructor(precondition: string, expected: string, actual: string) {
    super(`Expected ${precondition} to be ${expected}, was ${actual}`);
    this.name = "ScalePreconditionError";
  }
}

export async function runScale(ctx: CliContext, args: string[], flags: ScaleFlags): Promise<number> {
  const replicas = flags.replicas ?? -1;
  if (replicas < 0) throw new Error("The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0");
  const conn = await ctx.connect(flags);
  const targets = await collectTargets(conn, args, flags);
  if (!targets.length) throw new Error("no objects passed to scale");
  const currentReplicas = flags.currentReplicas ?? -1;
  if (currentReplicas !== -1 && targets.length > 1) {
    throw new Error("precondition --current-replicas cannot be used with multiple resources");
  }
  let failed = false;
  for (const t of targets) {
    try {
      await scaleOne(conn, t, replicas, currentReplicas, flags.resourceVersion);
      ctx.out(`${resourceTypeName(t.info.kind, t.info.group)}/${t.name} scaled\n`);
    } catch (err) {
      failed = true;
      ctx.err(formatError(err) + "\n");
    }
  }
  return failed ? 1 : 0;
}

async function scaleOne(conn: Connection, t: Target, replicas: number, currentReplicas: number, resourceVersion: string | undefined): Promise<void> {
  const ns = t.namespace ? { namespace: t.namespace } : {};
  if (currentReplicas < 0 && !resourceVersion) {
    await conn.client.patch<Scale>(t.info, t.name, "merge", { spec: { replicas } }, { ...ns, subresource: "scale" });
    return;
  }
  const scale = await conn.client.getSubresource<Scale>(t.info, t.name, "scale", ns);
  const actual = scale.spec?.replicas ?? 0;
  if (currentReplicas >= 0 && actual !== currentReplicas) {
    throw new ScalePreconditionError("replicas", String(currentReplicas), String(actual));
  }
  if (resourceVersion && scale.metadata?.resourceVersion !== resourceVersion) {
    throw new ScalePreconditionError("resource version", resourceVersion, scale.metadata?.resourceVersion ?? "");
  }
  await conn.client.send<Scale>({
    method: "PUT",
    path: resourcePath(t.info, t.namespace, t.name, "scale"),
    body: { ...scale, spec: { ...(scale.spec ?? {}), replicas } },
  });
}

/** Named objects are read first, as kubectl does, so a missing one fails with the object's own NotFound. */
async function collectTargets(conn: Connection, args: string[], flags: ScaleFlags): Promise<Target[]> {
  const targets: Target[] = [];
  for (const { info, names } of await resolveResourceArgs(conn.discovery, args)) {
    const namespace = info.namespaced ? conn.namespace : undefined;
    const ns = namespace ? { namespace } : {};
    if (names) {
      for (const name of names) {
        await conn.client.get(info, name, ns);
        targets.push({ info, name, ...ns });
      }
      continue;
    }
    if (!flags.selector && !flags.all) throw new Error("resource(s) were provided, but no name was specified");
    const list = await conn.client.list<KubeList>(info, { ...ns, labelSelector: flags.selector });
    for (const item of list.items) targets.push({ info, name: item.metadata.name!, ...ns });
  }
  return targets;
}
