/**
 * `skiff describe TYPE NAME...`: the object as readable `Key: value` lines
 * (generic, no per-kind code) followed by its Events, found by the
 * involved object's uid as kubectl does.
 */
import type { Command } from "commander";
import type { KubeList, KubeObject } from "../api/index.js";
import type { CliContext, GlobalFlags } from "./cli-context.js";
import { withGlobalOptions } from "./cli-context.js";
import { formatError } from "./format-error.js";
import { resolveResourceArgs } from "./resource-args.js";
import { describeEvents, describeObject } from "./printers/index.js";

export function registerDescribe(program: Command, ctx: CliContext): void {
  withGlobalOptions(program.command("describe"))
    .description("Show details of a resource and its events")
    .argument("<resources...>", "TYPE NAME... or TYPE/NAME...")
    .option("-l, --selector <selector>", "describe every object matching a label selector")
    .action(ctx.action((args: string[], flags: GlobalFlags & { selector?: string }) => runDescribe(ctx, args, flags)));
}

export async function runDescribe(ctx: CliContext, args: string[], flags: GlobalFlags & { selector?: string }): Promise<number> {
  const conn = await ctx.connect(flags);
  const selections = await resolveResourceArgs(conn.discovery, args);
  const events = await conn.discovery.resolve("events").catch(() => undefined);
  let failed = false;
  let first = true;
  for (const { info, names } of selections) {
    const namespace = info.namespaced ? conn.namespace : undefined;
    const ns = namespace ? { namespace } : {};
    let objects: KubeObject[] = [];
    if (names) {
      for (const name of names) {
        try {
          objects.push(await conn.client.get(info, name, ns));
        } catch (err) {
          ctx.err(formatError(err) + "\n");
          failed = true;
        }
      }
    } else {
      const list = await conn.client.list<KubeList>(info, { ...ns, labelSelector: flags.selector });
      objects = list.items.map((o) => ({ ...o, apiVersion: o.apiVersion ?? list.apiVersion, kind: o.kind ?? info.kind }));
      if (!objects.length) ctx.err(namespace ? `No resources found in ${namespace} namespace.\n` : "No resources found\n");
    }
    for (const obj of objects) {
      if (!first) ctx.out("\n\n");
      first = false;
      let text = describeObject(obj);
      if (events && obj.metadata?.uid) {
        const fieldSelector = [
          `involvedObject.name=${obj.metadata.name}`,
          ...(obj.metadata.namespace ? [`involvedObject.namespace=${obj.metadata.namespace}`] : []),
          `involvedObject.uid=${obj.metadata.uid}`,
        ].join(",");
        try {
          const list = await conn.client.list<KubeList>(events, {
            // Events of cluster-scoped objects live in "default", as in Kubernetes.
            namespace: obj.metadata.namespace || "default",
            fieldSelector,
            limit: 500,
          });
          text += describeEvents(list.items as never[], ctx.now());
        } catch {
          // Objects are still worth describing when events cannot be read.
          text += "Events:  <none>\n";
        }
      }
      ctx.out(text);
    }
  }
  return failed ? 1 : 0;
}
