/**
 * `skiff get`: server-side Tables for human output (as kubectl asks for
 * them), plain objects for -o json|yaml|name|jsonpath, list-then-watch for
 * -w so no change between the two is missed.
 */
import type { Command } from "commander";
import type { KubeList, KubeObject, ResourceInfo } from "../api/index.js";
import { apiVersionOf } from "../api/index.js";
import { tableAccept, type RestClient } from "../client/index.js";
import type { CliContext, Connection, GlobalFlags } from "./cli-context.js";
import { withGlobalOptions } from "./cli-context.js";
import { formatError } from "./format-error.js";
import { parseOutputFormat, type OutputFormat } from "./output-format.js";
import { resolveResourceArgs, type ResourceSelection } from "./resource-args.js";
import {
  columnWidths,
  compileJsonPath,
  formatLine,
  isTable,
  objectsToTable,
  printJson,
  printName,
  printYaml,
  resourceTypeName,
  tableCells,
  type Table,
  type TableOptions,
} from "./printers/index.js";

export interface GetFlags extends GlobalFlags {
  output?: string;
  allNamespaces?: boolean;
  selector?: string;
  fieldSelector?: string;
  showLabels?: boolean;
  watch?: boolean;
  chunkSize?: number;
}

export function registerGet(program: Command, ctx: CliContext): void {
  withGlobalOptions(program.command("get"))
    .description("Display one or many resources")
    .argument("<resources...>", "TYPE[,TYPE...] [NAME...] or TYPE/NAME...")
    .option("-o, --output <format>", "output format: wide, yaml, json, name, jsonpath=TEMPLATE")
    .option("-A, --all-namespaces", "list across all namespaces")
    .option("-l, --selector <selector>", "label selector, e.g. app=web,tier!=db")
    .option("--field-selector <selector>", "field selector, e.g. status.phase=Running")
    .option("--show-labels", "show labels as the last column")
    .option("-w, --watch", "after listing, watch for changes")
    .option("--chunk-size <n>", "page size of list requests", (v) => Number.parseInt(v, 10), 500)
    .action(ctx.action((args: string[], flags: GetFlags) => runGet(ctx, args, flags)));
}

interface Fetched {
  selection: ResourceSelection;
  /** Table mode: one merged table. Object mode: the objects. */
  table?: Table;
  objects: KubeObject[];
  /** The list's resourceVersion (watch starts there). */
  resourceVersion?: string;
  errors: unknown[];
}

export async function runGet(ctx: CliContext, args: string[], flags: GetFlags): Promise<number> {
  const format = parseOutputFormat(flags.output);
  const conn = await ctx.connect(flags);
  const selections = await resolveResourceArgs(conn.discovery, args);
  if (flags.watch && selections.length > 1) throw new Error("you may only specify a single resource type");
  const asTable = format.type === "table";
  const fetched: Fetched[] = [];
  for (const selection of selections) fetched.push(await fetch(conn, selection, flags, asTable, ctx.now()));

  const multipleTypes = selections.length > 1;
  let printedSomething = false;
  let widths: number[] = [];
  if (asTable) {
    let first = true;
    for (const f of fetched) {
      if (!f.table || f.table.rows.length === 0) continue;
      const options = tableOptions(f.selection.info, format, flags, multipleTypes);
      const { headers, rows } = tableCells(f.table, options);
      widths = columnWidths([headers, ...rows]);
      if (!first) ctx.out("\n");
      first = false;
      ctx.out([headers, ...rows].map((l) => formatLine(l, widths)).join("\n") + "\n");
      printedSomething = true;
    }
  } else {
    const objects = fetched.flatMap((f) => f.objects);
    const single = selections.length === 1 && selections[0]!.names?.length === 1;
    const value = single && objects.length === 1 ? objects[0] : { apiVersion: "v1", items: objects, kind: "List", metadata: { resourceVersion: "" } };
    if (!flags.watch || objects.length > 0 || format.type === "json" || format.type === "yaml") {
      printObjects(ctx, format, value, objects);
    }
    printedSomething = objects.length > 0;
  }
  const errors = fetched.flatMap((f) => f.errors);
  for (const err of errors) ctx.err(formatError(err) + "\n");
  if (!printedSomething && errors.length === 0 && asTable) ctx.err(noResourcesMessage(selections, conn, flags) + "\n");

  if (flags.watch) {
    const f = fetched[0]!;
    await watchAndPrint(ctx, conn, f, format, flags, widths);
  }
  return errors.length ? 1 : 0;
}

function tableOptions(info: ResourceInfo, format: OutputFormat, flags: GetFlags, multipleTypes: boolean): TableOptions {
  return {
    wide: format.type === "table" && format.wide,
    withNamespace: !!flags.allNamespaces && info.namespaced,
    showLabels: !!flags.showLabels,
    ...(multipleTypes ? { namePrefix: `${resourceTypeName(info.kind, info.group)}/` } : {}),
  };
}

function noResourcesMessage(selections: ResourceSelection[], conn: Connection, flags: GetFlags): string {
  const namespaced = selections.some((s) => s.info.namespaced);
  return namespaced && !flags.allNamespaces ? `No resources found in ${conn.namespace} namespace.` : "No resources found";
}

async function fetch(
  conn: Connection,
  selection: ResourceSelection,
  flags: GetFlags,
  asTable: boolean,
  now: number,
): Promise<Fetched> {
  const { info, names } = selection;
  const namespace = info.namespaced && !flags.allNamespaces ? conn.namespace : undefined;
  const accept = asTable ? tableAccept : "application/json";
  const result: Fetched = { selection, objects: [], errors: [] };
  const add = (answer: unknown) => {
    if (asTable) {
      const table = isTable(answer) ? answer : objectsToTable(objectsOf(answer, info), now);
      if (!result.table) result.table = { ...table, rows: [...table.rows] };
      else result.table.rows.push(...table.rows);
    } else {
      result.objects.push(...objectsOf(answer, info));
    }
  };
  if (names) {
    const ns = info.namespaced ? conn.namespace : undefined;
    for (const name of names) {
      try {
        add(await conn.client.get<unknown>(info, name, { ...(ns ? { namespace: ns } : {}), accept }));
      } catch (err) {
        result.errors.push(err);
      }
    }
    return result;
  }
  let continueToken: string | undefined;
  do {
    const page = await conn.client.list<{ metadata?: { continue?: string; resourceVersion?: string } }>(info, {
      ...(namespace ? { namespace } : {}),
      labelSelector: flags.selector,
      fieldSelector: flags.fieldSelector,
      limit: flags.chunkSize ?? 500,
      continue: continueToken,
      accept,
    });
    add(page);
    result.resourceVersion = page.metadata?.resourceVersion;
    continueToken = page.metadata?.continue || undefined;
  } while (continueToken);
  if (asTable && !result.table) result.table = objectsToTable([], now);
  return result;
}

/** Items of a list (with apiVersion/kind filled in, managedFields hidden) or the object itself. */
function objectsOf(answer: unknown, info: ResourceInfo): KubeObject[] {
  const list = answer as Partial<KubeList>;
  const items = Array.isArray(list?.items) ? list.items : [answer as KubeObject];
  return items.map((item) => {
    const copy: KubeObject = {
      apiVersion: item.apiVersion ?? apiVersionOf(info),
      kind: item.kind ?? info.kind,
      ...item,
      metadata: { ...(item.metadata ?? {}) },
    };
    delete copy.metadata.managedFields;
    return copy;
  });
}

function printObjects(ctx: CliContext, format: OutputFormat, value: unknown, objects: KubeObject[]): void {
  switch (format.type) {
    case "json":
      ctx.out(printJson(value));
      break;
    case "yaml":
      ctx.out(printYaml(value));
      break;
    case "name":
      for (const o of objects) ctx.out(printName(o));
      break;
    case "jsonpath":
      ctx.out(compileJsonPath(format.template)(value));
      break;
    case "table":
      break;
  }
}

async function watchAndPrint(
  ctx: CliContext,
  conn: Connection,
  fetched: Fetched,
  format: OutputFormat,
  flags: GetFlags,
  initialWidths: number[],
): Promise<void> {
  const { info, names } = fetched.selection;
  const client: RestClient = conn.client;
  const namespace = info.namespaced && !flags.allNamespaces ? conn.namespace : undefined;
  const fieldSelector = [flags.fieldSelector, names?.length === 1 ? `metadata.name=${names[0]}` : undefined]
    .filter(Boolean)
    .join(",");
  const asTable = format.type === "table";
  const columns = fetched.table?.columnDefinitions;
  let widths = initialWidths;
  let headerPrinted = initialWidths.length > 0;
  const watch = client.watch<unknown>(info, {
    ...(namespace ? { namespace } : {}),
    labelSelector: flags.selector,
    ...(fieldSelector ? { fieldSelector } : {}),
    ...(fetched.resourceVersion ? { resourceVersion: fetched.resourceVersion } : {}),
    accept: asTable ? tableAccept : "application/json",
  });
  for await (const event of watch) {
    if (event.type === "BOOKMARK") continue;
    if (asTable) {
      let table = isTable(event.object) ? event.object : objectsToTable(objectsOf(event.object, info), ctx.now());
      if (!table.columnDefinitions?.length && columns) table = { ...table, columnDefinitions: columns };
      const { headers, rows } = tableCells(table, tableOptions(info, format, flags, false));
      const lines = headerPrinted ? rows : [headers, ...rows];
      widths = columnWidths([widths.map((w) => "".padEnd(w)), ...lines]);
      ctx.out(lines.map((l) => formatLine(l, widths)).join("\n") + "\n");
      headerPrinted = true;
    } else {
      const obj = objectsOf(event.object, info)[0]!;
      if (format.type === "yaml") ctx.out("---\n");
      printObjects(ctx, format, obj, [obj]);
    }
  }
}
