/**
 * HorizontalPodAutoscalers (autoscaling/v2): a target reference and a sane
 * replica range; table `Reference Targets MinPods MaxPods Replicas Age` with
 * targets as `cpu: 20%/50%`.
 */
import type { HorizontalPodAutoscaler, MetricSpec, MetricStatus } from "kubernetes-types/autoscaling/v2.js";
import { field, type FieldError } from "../../../api/errors.js";
import type { KubeObject } from "../../../api/object.js";
import type { ResourceInfo } from "../../../api/resource-info.js";
import { age, column, createStrategy, nameColumn, ageColumn } from "../default-strategy.js";
import type { Strategy } from "../strategy.js";

const asHpa = (obj: Readonly<KubeObject>) => obj as unknown as HorizontalPodAutoscaler;

const q = (v: unknown) => (v === undefined || v === null ? "<unknown>" : String(v));

/** Upstream `formatHPAMetrics`: two metrics, then `+ N more...`. */
export function formatHpaMetrics(specs: MetricSpec[] | undefined, statuses: MetricStatus[] | undefined): string {
  if (!specs || specs.length === 0) return "<none>";
  const list: string[] = [];
  specs.forEach((spec, i) => {
    const status = statuses?.[i];
    switch (spec.type) {
      case "Resource":
      case "ContainerResource": {
        const source = spec.type === "Resource" ? spec.resource : spec.containerResource;
        const current = spec.type === "Resource" ? status?.resource?.current : status?.containerResource?.current;
        const name = source?.name ?? "";
        if (source?.target?.averageValue !== undefined) {
          list.push(`${name}: ${q(current?.averageValue)}/${source.target.averageValue}`);
        } else {
          const cur = current?.averageUtilization !== undefined ? `${current.averageUtilization}%` : "<unknown>";
          const target = source?.target?.averageUtilization !== undefined ? `${source.target.averageUtilization}%` : "<auto>";
          list.push(`${name}: ${cur}/${target}`);
        }
        break;
      }
      case "Pods":
        list.push(`${q(status?.pods?.current?.averageValue)}/${spec.pods?.target?.averageValue ?? ""}`);
        break;
      case "Object": {
        const target = spec.object?.target;
        if (target?.averageValue !== undefined) list.push(`${q(status?.object?.current?.averageValue)}/${target.averageValue} (avg)`);
        else list.push(`${q(status?.object?.current?.value)}/${target?.value ?? ""}`);
        break;
      }
      case "External": {
        const target = spec.external?.target;
        if (target?.averageValue !== undefined) list.push(`${q(status?.external?.current?.averageValue)}/${target.averageValue} (avg)`);
        else list.push(`${q(status?.external?.current?.value)}/${target?.value ?? ""}`);
        break;
      }
      default:
        list.push("<unknown type>");
    }
  });
  const max = 2;
  if (list.length > max) return `${list.slice(0, max).join(", ")} + ${list.length - max} more...`;
  return list.join(", ");
}

function validateHpa(obj: Readonly<KubeObject>): FieldError[] {
  const spec = asHpa(obj).spec;
  if (!spec) return [field.required("spec")];
  const errs: FieldError[] = [];
  if (!spec.scaleTargetRef?.kind) errs.push(field.required("spec.scaleTargetRef.kind"));
  if (!spec.scaleTargetRef?.name) errs.push(field.required("spec.scaleTargetRef.name"));
  const min = spec.minReplicas;
  if (min !== undefined && min < 1) errs.push(field.invalid("spec.minReplicas", min, "must be greater than or equal to 1"));
  if (spec.maxReplicas < 1) errs.push(field.invalid("spec.maxReplicas", spec.maxReplicas, "must be greater than 0"));
  if (min !== undefined && spec.maxReplicas < min) {
    errs.push(field.invalid("spec.maxReplicas", spec.maxReplicas, "must be greater than or equal to `minReplicas`"));
  }
  (spec.metrics ?? []).forEach((m, i) => {
    const target = m.resource?.target;
    if (m.type === "Resource" && target?.type === "Utilization" && (target.averageUtilization ?? 0) <= 0) {
      errs.push(field.invalid(`spec.metrics[${i}].resource.target.averageUtilization`, target.averageUtilization, "must be greater than 0"));
    }
  });
  return errs;
}

export function horizontalPodAutoscalerStrategy(resource: ResourceInfo): Strategy {
  return createStrategy(resource, {
    validate: validateHpa,
    columns: [
      nameColumn,
      column("Reference", "string", "reference to scaled resource; horizontal pod autoscaler will learn the current resource consumption and will set the desired number of pods by using its Scale subresource."),
      column("Targets", "string", "metrics contains the specifications for which to use to calculate the desired replica count."),
      column("MinPods", "string", "minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down."),
      column("MaxPods", "integer", "maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up."),
      column("Replicas", "integer", "currentReplicas is current number of replicas of pods managed by this autoscaler."),
      ageColumn,
    ],
    row(obj, now) {
      const hpa = asHpa(obj);
      const ref = hpa.spec?.scaleTargetRef;
      return [
        hpa.metadata?.name ?? "",
        `${ref?.kind ?? ""}/${ref?.name ?? ""}`,
        formatHpaMetrics(hpa.spec?.metrics, hpa.status?.currentMetrics),
        hpa.spec?.minReplicas !== undefined ? String(hpa.spec.minReplicas) : "<unset>",
        hpa.spec?.maxReplicas ?? 0,
        hpa.status?.currentReplicas ?? 0,
        age(obj, now),
      ];
    },
  });
}
