/**
 * A generic `describe`, shaped like kubectl's describer for custom
 * resources: identity first (Name, Namespace, Labels, Annotations), then
 * every other field as indented `Key:  value` lines, with camelCase keys
 * turned into words (`restartPolicy` → `Restart Policy`). Keys of maps
 * that are data rather than schema (labels, annotations, selectors, data)
 * are kept as written. Works for every kind without per-kind code.
 */
import type { KubeObject } from "../../api/index.js";
import { humanDuration } from "../../util/human-duration.js";

/** Maps whose keys are user data, printed verbatim. */
const verbatimKeyParents = new Set(["labels", "annotations", "matchLabels", "selector", "data", "binaryData", "stringData", "nodeSelector", "capacity", "allocatable", "limits", "requests", "hard", "used", "parameters"]);

export function describeObject(obj: KubeObject): string {
  const meta = obj.metadata ?? {};
  const lines: string[] = [];
  const head: [string, string][] = [["Name:", meta.name ?? ""]];
  if (meta.namespace) head.push(["Namespace:", meta.namespace]);
  const width = 14;
  for (const [k, v] of head) lines.push(k.padEnd(width) + v);
  lines.push(...mapLines("Labels:", meta.labels, "=", width));
  lines.push(...mapLines("Annotations:", meta.annotations, ": ", width));
  if (obj.apiVersion) lines.push("API Version:".padEnd(width) + obj.apiVersion);
  if (obj.kind) lines.push("Kind:".padEnd(width) + obj.kind);

  const shownAbove = new Set(["name", "namespace", "labels", "annotations", "managedFields"]);
  const restMeta = Object.fromEntries(Object.entries(meta).filter(([k]) => !shownAbove.has(k)));
  if (Object.keys(restMeta).length) {
    lines.push("Metadata:");
    lines.push(...describeValue(restMeta, 1, "metadata"));
  }
  for (const [key, value] of Object.entries(obj)) {
    if (key === "apiVersion" || key === "kind" || key === "metadata") continue;
    lines.push(...describeField(key, value, 0, ""));
  }
  return lines.join("\n") + "\n";
}

function mapLines(title: string, map: Record<string, string> | undefined, sep: string, width: number): string[] {
  const keys = Object.keys(map ?? {}).sort();
  if (!keys.length) return [title.padEnd(width) + "<none>"];
  return keys.map((k, i) => (i === 0 ? title.padEnd(width) : " ".repeat(width)) + `${k}${sep}${map![k]}`);
}

/** `restartPolicy` → `Restart Policy`, `podIP` → `Pod IP`. */
export function humanizeKey(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .split(/[\s_]+/)
    .filter(Boolean);
  return words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join(" ");
}

function describeField(key: string, value: unknown, depth: number, parent: string): string[] {
  const indent = "  ".repeat(depth);
  const label = verbatimKeyParents.has(parent) ? key : humanizeKey(key);
  if (isScalar(value)) return [`${indent}${label}:  ${scalar(value)}`];
  if (Array.isArray(value) && value.length === 0) return [`${indent}${label}:  <none>`];
  if (!Array.isArray(value) && Object.keys(value as object).length === 0) return [`${indent}${label}:  <none>`];
  return [`${indent}${label}:`, ...describeValue(value, depth + 1, key)];
}

function describeValue(value: unknown, depth: number, parent: string): string[] {
  const indent = "  ".repeat(depth);
  if (Array.isArray(value)) {
    const lines: string[] = [];
    for (const item of value) {
      if (isScalar(item)) {
        lines.push(`${indent}${scalar(item)}`);
      } else {
        // Items of a list of objects are separated the way kubectl does: each starts a new block.
        const inner = describeValue(item, depth, parent);
        lines.push(...inner);
      }
    }
    return lines;
  }
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>);
    const width = Math.max(
      0,
      ...entries.filter(([, v]) => isScalar(v)).map(([k]) => (verbatimKeyParents.has(parent) ? k : humanizeKey(k)).length + 1),
    );
    const lines: string[] = [];
    for (const [k, v] of entries) {
      if (isScalar(v)) {
        const label = (verbatimKeyParents.has(parent) ? k : humanizeKey(k)) + ":";
        lines.push(`${indent}${label.padEnd(width)}  ${scalar(v)}`);
      } else {
        lines.push(...describeField(k, v, depth, parent));
      }
    }
    return lines;
  }
  return [`${indent}${scalar(value)}`];
}

function isScalar(v: unknown): boolean {
  return v === null || v === undefined || typeof v !== "object";
}

function scalar(v: unknown): string {
  if (v === null || v === undefined) return "<nil>";
  if (typeof v === "string") return v.includes("\n") ? v.split("\n").join("\n    ") : v;
  return String(v);
}

interface EventLike {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
  eventTime?: string;
  metadata?: { creationTimestamp?: string };
  source?: { component?: string; host?: string };
  reportingComponent?: string;
}

/** kubectl's Events section: a small table sorted oldest first, or `Events:  <none>`. */
export function describeEvents(events: EventLike[], now: number): string {
  if (!events.length) return "Events:  <none>\n";
  const time = (e: EventLike) => Date.parse(e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp ?? "") || 0;
  const sorted = [...events].sort((a, b) => time(a) - time(b));
  const rows = sorted.map((e) => {
    const last = time(e);
    const first = Date.parse(e.firstTimestamp ?? "") || last;
    let age = last ? humanDuration(now - last) : "<unknown>";
    if ((e.count ?? 1) > 1 && first) age = `${age} (x${e.count} over ${humanDuration(now - first)})`;
    const from = e.source?.component || e.reportingComponent || "";
    return [e.type ?? "", e.reason ?? "", age, from, (e.message ?? "").trim()];
  });
  const header = ["Type", "Reason", "Age", "From", "Message"];
  // kubectl's fixed underline (Age gets four dashes too).
  const rule = ["----", "------", "----", "----", "-------"];
  const all = [header, rule, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  const lines = all.map((r) => "  " + r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join("  ").trimEnd());
  return ["Events:", ...lines].join("\n") + "\n";
}
