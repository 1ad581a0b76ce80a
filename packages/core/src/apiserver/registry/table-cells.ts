/**
 * Cell formatting shared by the kinds' table rows, after the helpers of
 * kube-apiserver's `printers/internalversion` and apimachinery's label
 * selector `String()`.
 */
import type { LabelSelector } from "kubernetes-types/meta/v1.js";
import type { Container } from "kubernetes-types/core/v1.js";

/** `labels.FormatLabels`: `k=v,k2=v2` sorted by key, `<none>` when empty. */
export function formatLabels(labels: Record<string, string> | undefined | null): string {
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) return "<none>";
  return keys.map((k) => `${k}=${labels![k]}`).join(",");
}

/**
 * A label selector in the syntax `kubectl get -l` accepts, as
 * `LabelSelectorAsSelector(sel).String()` prints it: requirements sorted by
 * key, values sorted; empty or missing selector prints as "".
 */
export function formatSelector(selector: LabelSelector | undefined | null): string {
  if (!selector) return "";
  const reqs: { key: string; text: string }[] = [];
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) reqs.push({ key: k, text: `${k}=${v}` });
  for (const e of selector.matchExpressions ?? []) {
    const values = [...(e.values ?? [])].sort().join(",");
    switch (e.operator) {
      case "In":
        reqs.push({ key: e.key, text: `${e.key} in (${values})` });
        break;
      case "NotIn":
        reqs.push({ key: e.key, text: `${e.key} notin (${values})` });
        break;
      case "Exists":
        reqs.push({ key: e.key, text: e.key });
        break;
      case "DoesNotExist":
        reqs.push({ key: e.key, text: `!${e.key}` });
        break;
      default:
        reqs.push({ key: e.key, text: `${e.key} ${e.operator} (${values})` });
    }
  }
  return reqs
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((r) => r.text)
    .join(",");
}

/** `layoutContainerCells`: container names and images, each joined with ",". */
export function containerCells(containers: readonly Container[] | undefined): [string, string] {
  const list = containers ?? [];
  return [list.map((c) => c.name).join(","), list.map((c) => c.image ?? "").join(",")];
}

/** Upstream `listWithMoreString`: the first `max` items, then `+ N more...`; `<unset>` when empty. */
export function listWithMore(list: string[], count: number, max: number): string {
  const ret = list.slice(0, max).join(",");
  if (count > max) return `${ret} + ${count - max} more...`;
  return ret === "" ? "<unset>" : ret;
}

/** A `date` cell: RFC 3339 in UTC with seconds precision, as upstream's "Created At". */
export function rfc3339(timestamp: string | undefined): string {
  if (!timestamp) return "";
  const t = Date.parse(timestamp);
  return Number.isNaN(t) ? timestamp : new Date(t).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** `helper.GetAccessModesAsString`: RWO, ROX, RWX, RWOP in that fixed order. */
export function accessModesString(modes: readonly string[] | undefined): string {
  const m = modes ?? [];
  const out: string[] = [];
  if (m.includes("ReadWriteOnce")) out.push("RWO");
  if (m.includes("ReadOnlyMany")) out.push("ROX");
  if (m.includes("ReadWriteMany")) out.push("RWX");
  if (m.includes("ReadWriteOncePod")) out.push("RWOP");
  return out.join(",");
}

/** Ingress/Service load-balancer status: IPs or hostnames joined with ",". */
export function loadBalancerString(status: { ingress?: { ip?: string; hostname?: string }[] } | undefined): string {
  return (status?.ingress ?? [])
    .map((i) => i.ip || i.hostname || "")
    .filter((s) => s !== "")
    .join(",");
}
