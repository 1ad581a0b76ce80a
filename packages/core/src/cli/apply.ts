/**
 * `skiff apply -f`: server-side apply of every object in the given files
 * (PATCH with `application/apply-patch+yaml`, fieldManager `skiff`). The
 * server creates missing objects; we report `created` from its 201,
 * `unchanged` when the resourceVersion did not move, else `configured`.
 * Each object is applied on its own: one failure is reported and the rest
 * still go through, with exit code 1 at the end.
 */
import type { Command } from "commander";
import { parseApiVersion, isNotFound, type KubeObject } from "../api/index.js";
import type { CliContext, GlobalFlags } from "./cli-context.js";
import { withGlobalOptions } from "./cli-context.js";
import { formatError } from "./format-error.js";
import { readManifests } from "./manifests.js";
import { resourceTypeName } from "./printers/index.js";

export interface ApplyFlags extends GlobalFlags {
  filename?: string[];
  recursive?: boolean;
  forceConflicts?: boolean;
  fieldManager?: string;
  dryRun?: string;
}

export const applyFieldManager = "skiff";

export function registerApply(program: Command, ctx: CliContext): void {
  withGlobalOptions(program.command("apply"))
    .description("Apply a configuration to resources by file name or stdin (server-side apply)")
    .option("-f, --filename <path...>", "files, directories or - for stdin")
    .option("-R, --recursive", "process directories recursively")
    .option("--force-conflicts", "take ownership of fields other managers own")
    .option("--field-manager <name>", "name of the field manager", applyFieldManager)
    .option("--dry-run <mode>", "none or server")
    .action(ctx.action((flags: ApplyFlags) => runApply(ctx, flags)));
}

export async function runApply(ctx: CliContext, flags: ApplyFlags): Promise<number> {
  if (!flags.filename?.length) throw new Error("must specify one of -f and -k");
  if (flags.dryRun && flags.dryRun !== "none" && flags.dryRun !== "server") {
    throw new Error(`Invalid dry-run value (${flags.dryRun}). Must be "none" or "server".`);
  }
  const dryRun = flags.dryRun === "server";
  const manifests = await readManifests(flags.filename, { recursive: !!flags.recursive, readStdin: () => ctx.readStdin() });
  if (!manifests.length) throw new Error("no objects passed to apply");
  const conn = await ctx.connect(flags);
  let failed = false;
  for (const { object, source } of manifests) {
    try {
      const gv = parseApiVersion(object.apiVersion!);
      const info = await conn.discovery.resourceFor({ ...gv, kind: object.kind! });
      const body: KubeObject = { ...object, metadata: { ...object.metadata } };
      const name = body.metadata.name;
      if (!name) throw new Error(`error when retrieving current configuration from "${source}": resource name may not be empty`);
      if (info.namespaced) {
        const own = body.metadata.namespace;
        if (own && conn.namespaceFromFlag && own !== conn.namespace) {
          throw new Error(
            `the namespace from the provided object "${own}" does not match the namespace "${conn.namespace}". You must pass '--namespace=${own}' to perform this operation.`,
          );
        }
        body.metadata.namespace = own || conn.namespace;
      } else {
        delete body.metadata.namespace;
      }
      const ns = info.namespaced ? { namespace: body.metadata.namespace! } : {};
      let before: string | undefined;
      try {
        before = (await conn.client.get(info, name, ns)).metadata?.resourceVersion;
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      const { object: after, created } = await conn.client.apply(info, body, {
        ...ns,
        fieldManager: flags.fieldManager ?? applyFieldManager,
        force: !!flags.forceConflicts,
        dryRun,
      });
      const outcome =
        created || before === undefined ? "created" : after.metadata?.resourceVersion === before ? "unchanged" : "configured";
      ctx.out(`${resourceTypeName(info.kind, info.group)}/${name} ${outcome}${dryRun ? " (server dry run)" : ""}\n`);
    } catch (err) {
      failed = true;
      ctx.err(formatError(err) + "\n");
    }
  }
  return failed ? 1 : 0;
}
