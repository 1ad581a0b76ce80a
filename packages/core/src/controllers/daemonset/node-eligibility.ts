/**
 * Which nodes a daemon set runs on (upstream `NodeShouldRunDaemonPod`),
 * judged with the pod the controller would create there:
 *
 *   spec.nodeName set and not this node ─────────────▶ neither
 *   nodeSelector or required node affinity fail ─────▶ neither
 *   an untolerated NoExecute taint ──────────────────▶ neither
 *   an untolerated NoSchedule taint ─────────────────▶ does not start a pod,
 *                                                      keeps one already there
 *   otherwise ───────────────────────────────────────▶ runs
 *
 * Daemon pods tolerate, besides their template's tolerations, the taints a
 * node gets from its own condition (`daemonPodTolerations`), so a daemon
 * (a network plugin, a log shipper) keeps running on a node that is not
 * ready, unreachable, under pressure or cordoned.
 *
 * The selector and taint matching repeats the scheduler's rules
 * (scheduler/node-selector.ts, scheduler/tolerations.ts): controllers may
 * not import the scheduler.
 */
import type { Node, PodSpec, Taint, Toleration } from "../../api/index.js";

type NodeSelectorRequirement = { key: string; operator: string; values?: string[] };
type NodeSelectorTerm = { matchExpressions?: NodeSelectorRequirement[]; matchFields?: NodeSelectorRequirement[] };

export interface NodeEligibility {
  /** A daemon pod should be created here when there is none. */
  shouldRun: boolean;
  /** A daemon pod already here may stay. */
  shouldContinueRunning: boolean;
}

/** Upstream `AddOrUpdateDaemonPodTolerations`. */
export function daemonPodTolerations(spec: Readonly<PodSpec> | undefined): Toleration[] {
  const automatic: Toleration[] = [
    { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute" },
    { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute" },
    { key: "node.kubernetes.io/disk-pressure", operator: "Exists", effect: "NoSchedule" },
    { key: "node.kubernetes.io/memory-pressure", operator: "Exists", effect: "NoSchedule" },
    { key: "node.kubernetes.io/pid-pressure", operator: "Exists", effect: "NoSchedule" },
    { key: "node.kubernetes.io/unschedulable", operator: "Exists", effect: "NoSchedule" },
  ];
  if (spec?.hostNetwork) automatic.push({ key: "node.kubernetes.io/network-unavailable", operator: "Exists", effect: "NoSchedule" });
  const tolerations = (spec?.tolerations ?? []).map((t) => ({ ...t }));
  for (const t of automatic) {
    const same = tolerations.findIndex((o) => o.key === t.key && o.effect === t.effect);
    if (same >= 0) tolerations[same] = t;
    else tolerations.push(t);
  }
  return tolerations;
}

/** `spec` is the daemon pod's spec, tolerations as `daemonPodTolerations` gives them. */
export function nodeEligibility(node: Readonly<Node>, spec: Readonly<PodSpec> | undefined): NodeEligibility {
  const never = { shouldRun: false, shouldContinueRunning: false };
  if (spec?.nodeName && spec.nodeName !== node.metadata?.name) return never;
  if (!matchesNodeSelection(spec, node)) return never;
  let shouldRun = true;
  for (const taint of node.spec?.taints ?? []) {
    if (taint.effect !== "NoSchedule" && taint.effect !== "NoExecute") continue;
    if ((spec?.tolerations ?? []).some((t) => toleratesTaint(t, taint))) continue;
    if (taint.effect === "NoExecute") return never;
    shouldRun = false;
  }
  return { shouldRun, shouldContinueRunning: true };
}

/** Upstream `ToleratesTaint`. */
export function toleratesTaint(toleration: Readonly<Toleration>, taint: Readonly<Taint>): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  switch (toleration.operator ?? "Equal") {
    case "Exists":
      return true;
    case "Equal":
    case "":
      return (toleration.value ?? "") === (taint.value ?? "");
    default:
      return false;
  }
}

/** `spec.nodeSelector` and the required node affinity (terms ORed, requirements ANDed, an empty term matching nothing). */
export function matchesNodeSelection(spec: Readonly<PodSpec> | undefined, node: Readonly<Node>): boolean {
  const labels = node.metadata?.labels ?? {};
  for (const [key, value] of Object.entries(spec?.nodeSelector ?? {})) {
    if (labels[key] !== value) return false;
  }
  const required = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (!required) return true;
  return (required.nodeSelectorTerms ?? []).some((term) => termMatches(term, node));
}

function termMatches(term: Readonly<NodeSelectorTerm>, node: Readonly<Node>): boolean {
  const expressions = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (expressions.length === 0 && fields.length === 0) return false;
  const fieldValues: Record<string, string> = { "metadata.name": node.metadata?.name ?? "" };
  return expressions.every((r) => requirementMatches(r, node.metadata?.labels ?? {})) && fields.every((r) => requirementMatches(r, fieldValues));
}

function requirementMatches(req: Readonly<NodeSelectorRequirement>, values: Readonly<Record<string, string>>): boolean {
  const has = Object.prototype.hasOwnProperty.call(values, req.key);
  const value = has ? values[req.key] : undefined;
  const wanted = req.values ?? [];
  switch (req.operator) {
    case "In":
      return value !== undefined && wanted.includes(value);
    case "NotIn":
      return value === undefined || !wanted.includes(value);
    case "Exists":
      return has;
    case "DoesNotExist":
      return !has;
    case "Gt":
    case "Lt": {
      if (value === undefined || wanted.length !== 1 || !/^-?\d+$/.test(value) || !/^-?\d+$/.test(wanted[0]!)) return false;
      return req.operator === "Gt" ? Number(value) > Number(wanted[0]) : Number(value) < Number(wanted[0]);
    }
    default:
      return false;
  }
}
