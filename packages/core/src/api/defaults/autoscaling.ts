/** Defaults of autoscaling/v2 (upstream `pkg/apis/autoscaling/v2/defaults.go`, Kubernetes 1.30). */
import type { HorizontalPodAutoscaler, HPAScalingRules } from "kubernetes-types/autoscaling/v2.js";

/** Fills a scale-up rule set: window 0, `Max`, 4 pods or 100% per 15 s. */
export function scaleUpRules(rules: HPAScalingRules | undefined): HPAScalingRules {
  return {
    stabilizationWindowSeconds: rules?.stabilizationWindowSeconds ?? 0,
    selectPolicy: rules?.selectPolicy ?? "Max",
    policies: rules?.policies?.length
      ? rules.policies
      : [
          { type: "Pods", value: 4, periodSeconds: 15 },
          { type: "Percent", value: 100, periodSeconds: 15 },
        ],
  };
}

/**
 * Fills a scale-down rule set: `Max`, 100% per 15 s. The window stays unset
 * unless given: the controller's own default (300 s) then applies.
 */
export function scaleDownRules(rules: HPAScalingRules | undefined): HPAScalingRules {
  const out: HPAScalingRules = {
    selectPolicy: rules?.selectPolicy ?? "Max",
    policies: rules?.policies?.length ? rules.policies : [{ type: "Percent", value: 100, periodSeconds: 15 }],
  };
  if (rules?.stabilizationWindowSeconds !== undefined) out.stabilizationWindowSeconds = rules.stabilizationWindowSeconds;
  return out;
}

export function defaultHorizontalPodAutoscaler(hpa: HorizontalPodAutoscaler): void {
  const spec = hpa.spec;
  if (!spec) return;
  spec.minReplicas ??= 1;
  if (!spec.metrics || spec.metrics.length === 0) {
    spec.metrics = [
      { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 80 } } },
    ];
  }
  // Upstream fills the behavior only when the user gave one.
  if (spec.behavior) {
    spec.behavior.scaleUp = scaleUpRules(spec.behavior.scaleUp);
    spec.behavior.scaleDown = scaleDownRules(spec.behavior.scaleDown);
  }
}
