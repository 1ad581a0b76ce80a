/**
 * The pod a daemon set runs on one node (upstream `NewPod` plus
 * `ReplaceDaemonSetPodNodeNameNodeAffinity`). It is not bound by the
 * controller: its required node affinity is replaced by the single term
 * `matchFields: metadata.name In [node]`, so the default scheduler places
 * it, honouring resources and the rest of its filters, and only there.
 * The template's own node affinity was already checked against the node.
 *
 * The `controller-revision-hash` label names the template it was made
 * from, so a rolling update can tell old pods from new.
 */
import type { KubeObject, Pod, PodSpec } from "../../api/index.js";
import { daemonPodTolerations } from "./node-eligibility.js";

export const revisionHashLabel = "controller-revision-hash";

/** The daemon pod's spec for `nodeName`: template spec, automatic tolerations, node affinity pinned to the node. */
export function daemonPodSpec(template: Readonly<PodSpec> | undefined, nodeName: string): PodSpec {
  const spec = structuredClone(template ?? { containers: [] }) as PodSpec;
  spec.tolerations = daemonPodTolerations(template);
  const affinity = (spec.affinity ??= {});
  const nodeAffinity = (affinity.nodeAffinity ??= {});
  nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution = {
    nodeSelectorTerms: [{ matchFields: [{ key: "metadata.name", operator: "In", values: [nodeName] }] }],
  };
  return spec;
}

/**
 * The node a daemon pod is for (upstream `GetTargetNodeName`): its
 * `spec.nodeName` once bound, else the single name its node affinity
 * pins it to; undefined for a pod pinned to no single node.
 */
export function targetNodeName(pod: Readonly<Pod & KubeObject>): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  for (const term of terms) {
    for (const req of term.matchFields ?? []) {
      if (req.key === "metadata.name" && req.operator === "In" && req.values?.length === 1) return req.values[0];
    }
  }
  return undefined;
}
