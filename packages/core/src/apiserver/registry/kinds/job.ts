/**
 * Jobs: a server-generated selector (unless `manualSelector`), a template
 * restart policy of OnFailure or Never, an immutable template and selector;
 * table `Status Completions Duration Age | Containers Images Selector`.
 */
import type { Job, JobCondition } from "kubernetes-types/batch/v1.js";
import { field, type FieldError } from "../../../api/errors.js";
import type { KubeObject } from "../../../api/object.js";
import type { ResourceInfo } from "../../../api/resource-info.js";
import { validateImmutableField } from "../../../api/validation/object-meta.js";
import { age, column, createStrategy, nameColumn, ageColumn } from "../default-strategy.js";
import { humanDuration } from "../../../util/human-duration.js";
import type { Strategy } from "../strategy.js";
import { containerCells, formatSelector } from "../table-cells.js";
import { validateNonNegative, validateSelectorAndTemplate } from "./pod-spec.js";
import { containersColumn, imagesColumn, selectorColumn } from "./workload-columns.js";

const asJob = (obj: Readonly<KubeObject>) => obj as unknown as Job;

export const jobNameLabels = ["job-name", "batch.kubernetes.io/job-name"];
export const controllerUidLabels = ["controller-uid", "batch.kubernetes.io/controller-uid"];
export const controllerUidLabel = "batch.kubernetes.io/controller-uid";

/**
 * Upstream `generateSelector`: label the template with the job name and
 * uid and select on the uid, which only this job's pods can carry. Needs
 * `metadata.name` and `metadata.uid` already set (the handler fills both
 * before `prepareForCreate`). Labels the user set are kept; a conflicting
 * selector then fails validation.
 */
export function generateJobSelector(job: Job): void {
  const uid = job.metadata?.uid ?? "";
  const name = job.metadata?.name ?? "";
  const spec = job.spec!;
  spec.template.metadata ??= {};
  const labels = (spec.template.metadata.labels ??= {});
  for (const key of jobNameLabels) if (!(key in labels)) labels[key] = name;
  for (const key of controllerUidLabels) if (!(key in labels)) labels[key] = uid;
  spec.selector ??= {};
  const matchLabels = (spec.selector.matchLabels ??= {});
  if (!(controllerUidLabel in matchLabels)) matchLabels[controllerUidLabel] = uid;
}

function hasCondition(conditions: JobCondition[] | undefined, type: string): boolean {
  return (conditions ?? []).some((c) => c.type === type && c.status === "True");
}

/** The STATUS cell of `kubectl get jobs`. */
export function jobStatus(job: Job): string {
  const conditions = job.status?.conditions;
  if (hasCondition(conditions, "Complete")) return "Complete";
  if (hasCondition(conditions, "Failed")) return "Failed";
  if (job.metadata?.deletionTimestamp) return "Terminating";
  if (hasCondition(conditions, "Suspended")) return "Suspended";
  if (hasCondition(conditions, "FailureTarget")) return "FailureTarget";
  return "Running";
}

function jobRow(obj: Readonly<KubeObject>, now: number): unknown[] {
  const job = asJob(obj);
  const succeeded = job.status?.succeeded ?? 0;
  let completions: string;
  if (job.spec?.completions !== undefined && job.spec.completions !== null) {
    completions = `${succeeded}/${job.spec.completions}`;
  } else {
    const parallelism = job.spec?.parallelism ?? 0;
    completions = parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
  }
  let duration = "";
  const start = job.status?.startTime;
  if (start) {
    const end = job.status?.completionTime ? Date.parse(job.status.completionTime) : now;
    duration = humanDuration(end - Date.parse(start));
  }
  const [containers, images] = containerCells(job.spec?.template?.spec?.containers);
  return [job.metadata?.name ?? "", jobStatus(job), completions, duration, age(obj, now), containers, images, formatSelector(job.spec?.selector)];
}

function validateJob(obj: Readonly<KubeObject>): FieldError[] {
  const spec = asJob(obj).spec;
  if (!spec) return [field.required("spec")];
  const errs = [
    ...validateNonNegative(spec.parallelism, "spec.parallelism"),
    ...validateNonNegative(spec.completions, "spec.completions"),
    ...validateNonNegative(spec.backoffLimit, "spec.backoffLimit"),
    ...validateNonNegative(spec.ttlSecondsAfterFinished, "spec.ttlSecondsAfterFinished"),
    ...validateSelectorAndTemplate(spec.selector, spec.template, "spec", "job", ["OnFailure", "Never"]),
  ];
  if (spec.activeDeadlineSeconds !== undefined && spec.activeDeadlineSeconds <= 0) {
    errs.push(field.invalid("spec.activeDeadlineSeconds", spec.activeDeadlineSeconds, "must be greater than or equal to 1"));
  }
  const mode = spec.completionMode;
  if (mode !== undefined && mode !== "NonIndexed" && mode !== "Indexed") {
    errs.push(field.notSupported("spec.completionMode", mode, ["NonIndexed", "Indexed"]));
  }
  if (mode === "Indexed" && spec.completions === undefined) {
    errs.push(field.required("spec.completions", "when completion mode is Indexed"));
  }
  return errs;
}

function validateJobUpdate(obj: Readonly<KubeObject>, old: Readonly<KubeObject>): FieldError[] {
  const next = asJob(obj).spec;
  const prev = asJob(old).spec;
  const errs = [
    ...validateImmutableField(next?.selector, prev?.selector, "spec.selector"),
    ...validateImmutableField(next?.template, prev?.template, "spec.template"),
    ...validateImmutableField(next?.completionMode, prev?.completionMode, "spec.completionMode"),
  ];
  // Elastic indexed jobs may scale completions together with parallelism.
  const elastic = next?.completionMode === "Indexed" && next.completions === next.parallelism;
  if (!elastic) errs.push(...validateImmutableField(next?.completions, prev?.completions, "spec.completions"));
  return errs;
}

export function jobStrategy(resource: ResourceInfo): Strategy {
  return createStrategy(resource, {
    prepareForCreate(obj) {
      const job = obj as unknown as Job;
      if (job.spec?.template && job.spec.manualSelector !== true) generateJobSelector(job);
    },
    validate: validateJob,
    validateUpdate: validateJobUpdate,
    columns: [
      nameColumn,
      column("Status", "string", "Status of the job."),
      column("Completions", "string", "The completion status of the job."),
      column("Duration", "string", "Time required to complete the job."),
      ageColumn,
      containersColumn,
      imagesColumn,
      selectorColumn,
    ],
    row: jobRow,
    selectableFields: (obj) => ({ "status.successful": String(asJob(obj).status?.succeeded ?? 0) }),
  });
}
