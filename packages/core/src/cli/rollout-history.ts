/**
 * A deployment's rollout history, read the way kubectl reads it: the
 * replica sets matched by the deployment's selector whose controller
 * reference is the deployment (by uid), each one a revision through its
 * `deployment.kubernetes.io/revision` annotation. The pure parts (history
 * table, picking a revision, comparing templates) are separate from the
 * one list request.
 */
import { formatLabelSelector, type Deployment, type KubeList, type PodTemplateSpec, type ReplicaSet } from "../api/index.js";
import type { Discovery, RestClient } from "../client/index.js";
import { revisionAnnotation } from "./rollout-status.js";

export const changeCauseAnnotation = "kubernetes.io/change-cause";
/** The label the deployment controller adds to each replica set's template and selector. */
export const podTemplateHashLabel = "pod-template-hash";

/** Deployment annotations a rollback keeps instead of taking the replica set's (upstream `annotationsToSkip`). */
const rollbackKeepsAnnotations = new Set([
  "kubectl.kubernetes.io/last-applied-configuration",
  revisionAnnotation,
  "deployment.kubernetes.io/revision-history",
  "deployment.kubernetes.io/desired-replicas",
  "deployment.kubernetes.io/max-replicas",
  "deprecated.deployment.rollback.to",
]);

/** The replica sets a deployment controls. */
export async function deploymentReplicaSets(client: RestClient, discovery: Discovery, deployment: Deployment): Promise<ReplicaSet[]> {
  const info = await discovery.resourceFor({ group: "apps", version: "v1", kind: "ReplicaSet" });
  const list = await client.list<KubeList>(info, {
    namespace: deployment.metadata?.namespace,
    labelSelector: formatLabelSelector(deployment.spec?.selector),
  });
  const uid = deployment.metadata?.uid;
  return (list.items as ReplicaSet[]).filter((rs) => rs.metadata?.ownerReferences?.some((o) => o.controller && o.uid === uid));
}

/** The revision of a replica set, or undefined when the annotation is missing or unreadable (kubectl skips those). */
export function revisionOf(rs: ReplicaSet): number | undefined {
  const raw = rs.metadata?.annotations?.[revisionAnnotation];
  if (raw === undefined || !/^\d+$/.test(raw)) return undefined;
  return Number(raw);
}

export interface Revision {
  revision: number;
  replicaSet: ReplicaSet;
  /** The replica set's change cause, or "" when none. */
  changeCause: string;
}

/** One entry per revision, ascending. */
export function revisionsOf(replicaSets: ReplicaSet[]): Revision[] {
  const byRevision = new Map<number, Revision>();
  for (const rs of replicaSets) {
    const revision = revisionOf(rs);
    if (revision === undefined) continue;
    byRevision.set(revision, { revision, replicaSet: rs, changeCause: rs.metadata?.annotations?.[changeCauseAnnotation] ?? "" });
  }
  return [...byRevision.values()].sort((a, b) => a.revision - b.revision);
}

/**
 * kubectl's history table: `REVISION  CHANGE-CAUSE` in columns two spaces
 * apart, `<none>` for a missing cause.
 */
export function formatHistory(revisions: Revision[]): string {
  if (!revisions.length) return "No rollout history found.";
  const rows = [["REVISION", "CHANGE-CAUSE"], ...revisions.map((r) => [String(r.revision), r.changeCause || "<none>"])];
  const width = Math.max(...rows.map((r) => r[0]!.length)) + 2;
  return rows.map(([rev, cause]) => `${rev!.padEnd(width)}${cause}\n`).join("");
}

/**
 * The replica set to roll back to: revision `toRevision`, or with 0 the
 * second newest. Errors carry kubectl's words.
 */
export function replicaSetForRevision(revisions: Revision[], toRevision: number, deploymentName: string): ReplicaSet {
  if (toRevision < 0) throw new Error(`unable to find specified revision ${toRevision} in history`);
  if (toRevision > 0) {
    const found = revisions.find((r) => r.revision === toRevision);
    if (!found) throw new Error(`unable to find specified revision ${toRevision} in history`);
    return found.replicaSet;
  }
  const previous = revisions.at(-2);
  if (!previous) throw new Error(`no rollout history found for deployment "${deploymentName}"`);
  return previous.replicaSet;
}

/** The template a rollback writes into the deployment: the replica set's, without its hash label. */
export function templateForRollback(rs: ReplicaSet): PodTemplateSpec {
  const template = structuredClone(rs.spec?.template ?? {});
  if (template.metadata?.labels) delete template.metadata.labels[podTemplateHashLabel];
  return template;
}

/** The deployment annotations after a rollback: its own bookkeeping ones, every other one from the replica set. */
export function annotationsForRollback(deployment: Deployment, rs: ReplicaSet): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(deployment.metadata?.annotations ?? {})) if (rollbackKeepsAnnotations.has(k)) out[k] = v;
  for (const [k, v] of Object.entries(rs.metadata?.annotations ?? {})) if (!rollbackKeepsAnnotations.has(k)) out[k] = v;
  return out;
}

/**
 * Template equality ignoring `pod-template-hash`, with absent, null, empty
 * maps and empty lists read as the same (Kubernetes' semantic equality
 * treats nil and empty alike).
 */
export function sameTemplateIgnoringHash(a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean {
  const strip = (t: PodTemplateSpec | undefined) => {
    const copy = structuredClone(t ?? {});
    if (copy.metadata?.labels) delete copy.metadata.labels[podTemplateHashLabel];
    return normalize(copy);
  };
  return JSON.stringify(strip(a)) === JSON.stringify(strip(b));
}

/** Drops null and empty values and sorts keys, so that equal content has equal JSON. */
function normalize(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(normalize);
    return items.length ? items : undefined;
  }
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = normalize((value as Record<string, unknown>)[key]);
      if (v !== undefined) out[key] = v;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return value === null ? undefined : value;
}
