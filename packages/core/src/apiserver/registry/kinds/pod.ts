/**
 * Pods: server-side status on create (Pending + QoS class), spec
 * immutability on update, and the table kubectl prints, including the
 * STATUS derivation of upstream `printPod` (init progress, waiting and
 * terminated reasons, Terminating).
 */
import type { Container, ContainerStatus, Pod, PodSpec, PodStatus } from "kubernetes-types/core/v1.js";
import { field, type FieldError } from "../../../api/errors.js";
import type { KubeObject } from "../../../api/object.js";
import type { ResourceInfo } from "../../../api/resource-info.js";
import { age, column, createStrategy, nameColumn, ageColumn } from "../default-strategy.js";
import { deepEqual } from "../deep-equal.js";
import { timestampSince } from "../../../util/human-duration.js";
import type { Strategy } from "../strategy.js";
import { validatePodSpec } from "./pod-spec.js";

const asPod = (obj: Readonly<KubeObject>) => obj as unknown as Pod;

/** Upstream's message when a pod update touches a frozen spec field. */
export const podUpdateForbiddenMessage =
  "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

/** A resource quantity as a number, enough to compare requests with limits. */
function quantity(value: string | number | undefined): number {
  if (value === undefined) return NaN;
  if (typeof value === "number") return value;
  const m = /^([+-]?[0-9.]+(?:[eE][+-]?[0-9]+)?)([a-zA-Z]*)$/.exec(value.trim());
  if (!m) return NaN;
  const suffixes: Record<string, number> = {
    "": 1, m: 1e-3, u: 1e-6, n: 1e-9, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
    Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
  };
  const f = suffixes[m[2]!];
  return f === undefined ? NaN : Number(m[1]) * f;
}

/** Upstream `GetPodQOS` for cpu and memory: BestEffort, Guaranteed or Burstable. */
export function podQosClass(spec: PodSpec | undefined): "BestEffort" | "Guaranteed" | "Burstable" {
  const containers: Container[] = [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])];
  let any = false;
  let guaranteed = true;
  for (const c of containers) {
    const limits = (c.resources?.limits ?? {}) as Record<string, string>;
    const requests = (c.resources?.requests ?? {}) as Record<string, string>;
    for (const r of ["cpu", "memory"]) {
      const limit = limits[r];
      const request = requests[r] ?? limit; // requests default to limits
      if (limit !== undefined || request !== undefined) any = true;
      if (limit === undefined || quantity(request) !== quantity(limit)) guaranteed = false;
    }
  }
  if (!any) return "BestEffort";
  return guaranteed ? "Guaranteed" : "Burstable";
}

function isRestartableInit(c: Container | undefined): boolean {
  return c?.restartPolicy === "Always";
}

function later(a: string | undefined, b: string | undefined): string | undefined {
  if (!a) return b;
  if (!b) return a;
  return Date.parse(b) > Date.parse(a) ? b : a;
}

/** The READY, STATUS and RESTARTS cells of `kubectl get pods`, as upstream `printPod` computes them. */
export function podStatusCells(pod: Pod, now: number): { ready: string; status: string; restarts: string } {
  const spec = pod.spec ?? ({ containers: [] } as PodSpec);
  const status = pod.status ?? {};
  let restarts = 0;
  let restartableInitRestarts = 0;
  let totalContainers = spec.containers?.length ?? 0;
  let readyContainers = 0;
  let lastRestart: string | undefined;
  let lastRestartableInitRestart: string | undefined;
  const phase = status.phase ?? "";
  let reason: string = status.reason || phase;
  for (const c of status.conditions ?? []) {
    if (c.type === "PodScheduled" && c.reason === "SchedulingGated") reason = "SchedulingGated";
  }
  const initContainers = new Map<string, Container>();
  for (const c of spec.initContainers ?? []) {
    initContainers.set(c.name, c);
    if (isRestartableInit(c)) totalContainers++;
  }
  let initializing = false;
  const initStatuses: ContainerStatus[] = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i]!;
    restarts += c.restartCount ?? 0;
    const lastTerminated = c.lastState?.terminated?.finishedAt;
    if (c.lastState?.terminated) lastRestart = later(lastRestart, lastTerminated);
    const restartable = isRestartableInit(initContainers.get(c.name));
    if (restartable) {
      restartableInitRestarts += c.restartCount ?? 0;
      if (c.lastState?.terminated) lastRestartableInitRestart = later(lastRestartableInitRestart, lastTerminated);
    }
    const terminated = c.state?.terminated;
    const waiting = c.state?.waiting;
    if (terminated && terminated.exitCode === 0) continue;
    if (restartable && c.started === true) {
      if (c.ready) readyContainers++;
      continue;
    }
    if (terminated) {
      if (!terminated.reason) {
        reason = terminated.signal ? `Init:Signal:${terminated.signal}` : `Init:ExitCode:${terminated.exitCode}`;
      } else {
        reason = `Init:${terminated.reason}`;
      }
    } else if (waiting?.reason && waiting.reason !== "PodInitializing") {
      reason = `Init:${waiting.reason}`;
    } else {
      reason = `Init:${i}/${spec.initContainers?.length ?? 0}`;
    }
    initializing = true;
    break;
  }
  const initializedTrue = (status.conditions ?? []).some((c) => c.type === "Initialized" && c.status === "True");
  if (!initializing || initializedTrue) {
    restarts = restartableInitRestarts;
    lastRestart = lastRestartableInitRestart;
    let hasRunning = false;
    const statuses = status.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i]!;
      restarts += c.restartCount ?? 0;
      if (c.lastState?.terminated) lastRestart = later(lastRestart, c.lastState.terminated.finishedAt);
      const waiting = c.state?.waiting;
      const terminated = c.state?.terminated;
      if (waiting?.reason) reason = waiting.reason;
      else if (terminated?.reason) reason = terminated.reason;
      else if (terminated) reason = terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode}`;
      else if (c.ready && c.state?.running) {
        hasRunning = true;
        readyContainers++;
      }
    }
    if (reason === "Completed" && hasRunning) {
      const ready = (status.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True");
      reason = ready ? "Running" : "NotReady";
    }
  }
  if (pod.metadata?.deletionTimestamp && status.reason === "NodeLost") reason = "Unknown";
  else if (pod.metadata?.deletionTimestamp && phase !== "Succeeded" && phase !== "Failed") reason = "Terminating";
  const restartsCell = restarts !== 0 && lastRestart ? `${restarts} (${timestampSince(lastRestart, now)} ago)` : String(restarts);
  return { ready: `${readyContainers}/${totalContainers}`, status: reason, restarts: restartsCell };
}

function podRow(obj: Readonly<KubeObject>, now: number): unknown[] {
  const pod = asPod(obj);
  const { ready, status, restarts } = podStatusCells(pod, now);
  const podIP = pod.status?.podIPs?.[0]?.ip || pod.status?.podIP || "<none>";
  let readinessGates = "<none>";
  const gates = pod.spec?.readinessGates ?? [];
  if (gates.length > 0) {
    let trueConditions = 0;
    for (const g of gates) {
      const c = (pod.status?.conditions ?? []).find((c) => c.type === g.conditionType);
      if (c?.status === "True") trueConditions++;
    }
    readinessGates = `${trueConditions}/${gates.length}`;
  }
  return [
    pod.metadata?.name ?? "",
    ready,
    status,
    restarts,
    age(obj, now),
    podIP,
    pod.spec?.nodeName || "<none>",
    pod.status?.nominatedNodeName || "<none>",
    readinessGates,
  ];
}

/**
 * Upstream `ValidatePodUpdate`: after copying over the fields a client may
 * change (images, activeDeadlineSeconds, added tolerations, removed
 * scheduling gates), the spec must equal the stored one.
 */
function validatePodUpdate(obj: Readonly<KubeObject>, old: Readonly<KubeObject>): FieldError[] {
  const next = structuredClone(asPod(obj).spec ?? {}) as PodSpec;
  const prev = asPod(old).spec ?? ({} as PodSpec);
  const copyImages = (to: Container[] | undefined, from: Container[] | undefined) => {
    if (!to || !from || to.length !== from.length) return;
    to.forEach((c, i) => (c.image = from[i]!.image));
  };
  copyImages(next.containers, prev.containers);
  copyImages(next.initContainers, prev.initContainers);
  if (prev.activeDeadlineSeconds === undefined) delete next.activeDeadlineSeconds;
  else next.activeDeadlineSeconds = prev.activeDeadlineSeconds;
  const prevTolerations = prev.tolerations ?? [];
  if (prevTolerations.every((t) => (next.tolerations ?? []).some((n) => deepEqual(n, t)))) {
    if (prev.tolerations === undefined) delete next.tolerations;
    else next.tolerations = prev.tolerations;
  }
  const nextGates = next.schedulingGates ?? [];
  if (nextGates.every((g) => (prev.schedulingGates ?? []).some((p) => p.name === g.name))) {
    if (prev.schedulingGates === undefined) delete next.schedulingGates;
    else next.schedulingGates = prev.schedulingGates;
  }
  if ((prev.terminationGracePeriodSeconds ?? 0) < 0 && next.terminationGracePeriodSeconds === 1) {
    next.terminationGracePeriodSeconds = prev.terminationGracePeriodSeconds;
  }
  return deepEqual(next, prev) ? [] : [field.forbidden("spec", podUpdateForbiddenMessage)];
}

export function podStrategy(resource: ResourceInfo): Strategy {
  return createStrategy(resource, {
    prepareForCreate(obj) {
      const pod = obj as unknown as Pod;
      const status: PodStatus = { phase: "Pending", qosClass: podQosClass(pod.spec) };
      obj.status = status;
      if ((pod.spec?.schedulingGates ?? []).length > 0) {
        status.conditions = [
          {
            type: "PodScheduled",
            status: "False",
            reason: "SchedulingGated",
            message: "Scheduling is blocked due to non-empty scheduling gates",
          },
        ];
      }
    },
    validate: (obj) => validatePodSpec(asPod(obj).spec, "spec"),
    validateUpdate: validatePodUpdate,
    columns: [
      nameColumn,
      column("Ready", "string", "The aggregate readiness state of this pod for accepting traffic."),
      column("Status", "string", "The aggregate status of the containers in this pod."),
      column("Restarts", "string", "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."),
      ageColumn,
      column("IP", "string", "IP address allocated to the pod. Routable at least within the cluster.", 1),
      column("Node", "string", "NodeName is a request to schedule this pod onto a specific node.", 1),
      column("Nominated Node", "string", "nominatedNodeName is set only when this pod preempts other pods on the node.", 1),
      column("Readiness Gates", "string", "If specified, all readiness gates will be evaluated for pod readiness.", 1),
    ],
    row: podRow,
    selectableFields(obj) {
      const pod = asPod(obj);
      return {
        "spec.nodeName": pod.spec?.nodeName ?? "",
        "spec.restartPolicy": pod.spec?.restartPolicy ?? "",
        "spec.schedulerName": pod.spec?.schedulerName ?? "",
        "spec.serviceAccountName": pod.spec?.serviceAccountName ?? "",
        "spec.hostNetwork": String(pod.spec?.hostNetwork ?? false),
        "status.phase": pod.status?.phase ?? "",
        "status.podIP": pod.status?.podIPs?.[0]?.ip ?? pod.status?.podIP ?? "",
        "status.nominatedNodeName": pod.status?.nominatedNodeName ?? "",
      };
    },
  });
}
