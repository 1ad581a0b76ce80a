/** Defaults of batch/v1 (upstream `pkg/apis/batch/v1/defaults.go`, Kubernetes 1.30). */
import type { Job } from "kubernetes-types/batch/v1.js";
import { defaultPodSpec } from "./core.js";

const maxInt32 = 2 ** 31 - 1;

export function defaultJob(job: Job): void {
  const spec = job.spec;
  if (!spec) return;
  // A job with neither set runs one pod once; a job with only completions runs them one at a time.
  if (spec.completions === undefined && spec.parallelism === undefined) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  spec.parallelism ??= 1;
  spec.backoffLimit ??= spec.backoffLimitPerIndex !== undefined ? maxInt32 : 6;
  const templateLabels = spec.template?.metadata?.labels;
  if (templateLabels && Object.keys(job.metadata?.labels ?? {}).length === 0) {
    job.metadata = { ...job.metadata, labels: { ...templateLabels } };
  }
  spec.completionMode ??= "NonIndexed";
  spec.suspend ??= false;
  for (const rule of spec.podFailurePolicy?.rules ?? []) {
    for (const cond of rule.onPodConditions ?? []) cond.status ??= "True";
  }
  // JobPodReplacementPolicy is beta (on) in 1.30: Failed is forced when a pod failure policy is set.
  spec.podReplacementPolicy ??= spec.podFailurePolicy ? "Failed" : "TerminatingOrFailed";
  defaultPodSpec(spec.template?.spec);
}
