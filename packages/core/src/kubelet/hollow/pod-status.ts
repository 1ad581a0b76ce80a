/**
 * What a hollow node does with a pod bound to it, and the statuses it
 * writes, as pure functions. There are no containers: a pod is reported
 * Running (and Ready) as soon as it is started, and a pod being deleted is
 * removed at once with the kubelet's final delete.
 *
 * Run-to-completion pods: a pod with `restartPolicy` `Never` or `OnFailure`
 * and the annotation `hollow.skiff.dev/run-seconds: "N"` ends N seconds
 * after it started — Succeeded, or Failed when it also carries
 * `hollow.skiff.dev/exit-code` with a non-zero code — so Jobs can complete.
 * `restartPolicy: Always` pods run until deleted whatever they say.
 */
import type { ContainerStatus, Pod, PodCondition, PodStatus } from "../../api/index.js";
import { rfc3339 } from "./node-object.js";

/** Pod annotation: seconds a run-to-completion pod runs before it ends. */
export const runSecondsAnnotation = "hollow.skiff.dev/run-seconds";
/** Pod annotation: the exit code of every container when the pod ends. @default "0" */
export const exitCodeAnnotation = "hollow.skiff.dev/exit-code";

export type HollowPodAction =
  /** Nothing to do: terminal, or running with no end. */
  | { type: "none" }
  /** Bound and not running yet: report it Running. */
  | { type: "start" }
  /** Running and due to end at `atMs` (epoch milliseconds): report it Succeeded or Failed then. */
  | { type: "finish"; atMs: number }
  /** Marked for deletion: delete it with grace 0 (the kubelet's final delete). */
  | { type: "delete" };

export function nextPodAction(pod: Readonly<Pod>): HollowPodAction {
  if (pod.metadata?.deletionTimestamp) return { type: "delete" };
  const phase = pod.status?.phase;
  if (phase === "Succeeded" || phase === "Failed") return { type: "none" };
  if (phase !== "Running") return { type: "start" };
  const runSeconds = podRunSeconds(pod);
  const started = Date.parse(pod.status?.startTime ?? "");
  if (runSeconds === undefined || Number.isNaN(started)) return { type: "none" };
  return { type: "finish", atMs: started + runSeconds * 1000 };
}

/** The pod's run time in seconds, when it is a run-to-completion pod with a valid annotation. */
export function podRunSeconds(pod: Readonly<Pod>): number | undefined {
  const policy = pod.spec?.restartPolicy ?? "Always";
  if (policy === "Always") return undefined;
  const raw = pod.metadata?.annotations?.[runSecondsAnnotation];
  if (raw === undefined || !/^\d+(\.\d+)?$/.test(raw.trim())) return undefined;
  return Number(raw);
}

export interface RunningContext {
  podIP: string;
  hostIP: string;
  /** Epoch milliseconds. */
  now: number;
}

/** The status of a started pod: Running, every condition True, every container running and ready. */
export function runningPodStatus(pod: Readonly<Pod>, ctx: RunningContext): PodStatus {
  const now = rfc3339(ctx.now);
  const uid = pod.metadata?.uid ?? "";
  const scheduled = pod.status?.conditions?.find((c) => c.type === "PodScheduled");
  const condition = (type: string): PodCondition => ({ type, status: "True", lastTransitionTime: now });
  return {
    phase: "Running",
    hostIP: ctx.hostIP,
    hostIPs: [{ ip: ctx.hostIP }],
    podIP: ctx.podIP,
    podIPs: [{ ip: ctx.podIP }],
    startTime: now,
    conditions: [
      condition("PodReadyToStartContainers"),
      condition("Initialized"),
      condition("Ready"),
      condition("ContainersReady"),
      { ...condition("PodScheduled"), lastTransitionTime: scheduled?.lastTransitionTime ?? now },
    ],
    ...((pod.spec?.initContainers?.length ?? 0) > 0
      ? {
          initContainerStatuses: pod.spec!.initContainers!.map((c) => ({
            ...containerIdentity(uid, c.name, c.image),
            ready: true,
            started: false,
            restartCount: 0,
            state: { terminated: { exitCode: 0, reason: "Completed", startedAt: now, finishedAt: now, containerID: containerId(uid, c.name) } },
          })),
        }
      : {}),
    containerStatuses: (pod.spec?.containers ?? []).map((c) => ({
      ...containerIdentity(uid, c.name, c.image),
      ready: true,
      started: true,
      restartCount: 0,
      state: { running: { startedAt: now } },
    })),
  };
}

/** The status of a run-to-completion pod that ended at `now`: every container terminated with the pod's exit code. */
export function finishedPodStatus(pod: Readonly<Pod>, now: number): PodStatus {
  const finishedAt = rfc3339(now);
  const exitCode = podExitCode(pod);
  const phase = exitCode === 0 ? "Succeeded" : "Failed";
  const reason = exitCode === 0 ? "Completed" : "Error";
  const uid = pod.metadata?.uid ?? "";
  const startedAt = pod.status?.startTime ?? finishedAt;
  const conditions = (pod.status?.conditions ?? []).map((c): PodCondition =>
    c.type === "Ready" || c.type === "ContainersReady" || c.type === "PodReadyToStartContainers"
      ? { ...c, status: "False", reason: "PodCompleted", lastTransitionTime: finishedAt }
      : c,
  );
  return {
    phase,
    conditions,
    containerStatuses: (pod.spec?.containers ?? []).map(
      (c): ContainerStatus => ({
        ...containerIdentity(uid, c.name, c.image),
        ready: false,
        started: false,
        restartCount: 0,
        state: { terminated: { exitCode, reason, startedAt, finishedAt, containerID: containerId(uid, c.name) } },
      }),
    ),
  };
}

function podExitCode(pod: Readonly<Pod>): number {
  const raw = pod.metadata?.annotations?.[exitCodeAnnotation];
  const code = raw === undefined ? 0 : Number(raw);
  return Number.isInteger(code) && code >= 0 && code <= 255 ? code : 1;
}

function containerIdentity(uid: string, name: string, image: string | undefined) {
  return {
    name,
    image: image ?? "",
    imageID: `hollow://${image ?? ""}`,
    containerID: containerId(uid, name),
  };
}

function containerId(uid: string, name: string): string {
  return `hollow://${uid}-${name}`;
}
