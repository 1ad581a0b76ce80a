/** Defaults of apps/v1 (upstream `pkg/apis/apps/v1/defaults.go`, Kubernetes 1.30). */
import type { DaemonSet, Deployment, ReplicaSet } from "kubernetes-types/apps/v1.js";
import { defaultPodSpec } from "./core.js";

export function defaultReplicaSet(rs: ReplicaSet): void {
  const spec = rs.spec;
  if (!spec) return;
  spec.replicas ??= 1;
  defaultPodSpec(spec.template?.spec);
}

export function defaultDeployment(d: Deployment): void {
  const spec = d.spec;
  if (!spec) return;
  spec.replicas ??= 1;
  const strategy = (spec.strategy ??= {});
  strategy.type ??= "RollingUpdate";
  if (strategy.type === "RollingUpdate") {
    const rolling = (strategy.rollingUpdate ??= {});
    rolling.maxUnavailable ??= "25%";
    rolling.maxSurge ??= "25%";
  }
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  defaultPodSpec(spec.template?.spec);
}

export function defaultDaemonSet(ds: DaemonSet): void {
  const spec = ds.spec;
  if (!spec) return;
  const strategy = (spec.updateStrategy ??= {});
  strategy.type ??= "RollingUpdate";
  if (strategy.type === "RollingUpdate") {
    const rolling = (strategy.rollingUpdate ??= {});
    rolling.maxUnavailable ??= 1;
    rolling.maxSurge ??= 0;
  }
  spec.revisionHistoryLimit ??= 10;
  defaultPodSpec(spec.template?.spec);
}
