/**
 * The scheduler's options, with defaults. Resolved once by
 * `resolveSchedulerOptions`; only `bin/` reads the environment.
 */
import type { KubeObject } from "../api/object.js";
import type { ResourceRef } from "../client/index.js";
import type { Informer } from "../informer/index.js";
import { realClock, type Clock } from "../util/clock.js";
import type { Profile } from "./framework.js";
import { isProfileName, profiles, type ProfileName } from "./registry.js";

export const defaultSchedulerName = "default-scheduler";

export interface SchedulerOptions {
  /** Pods whose `spec.schedulerName` is this are scheduled; an unset name counts as "default-scheduler". @default "default-scheduler" */
  schedulerName?: string;
  /** Plugins and weights: a built-in profile's name or a profile (see `registry.ts`). @default "default" */
  profile?: ProfileName | Profile;
  /** Backoff after a pod's first failed attempt, in milliseconds; doubles per further failure. @default 1000 */
  initialBackoffMs?: number;
  /** Longest backoff, in milliseconds. @default 10000 */
  maxBackoffMs?: number;
  /** Retry an unschedulable pod after this long even without a cluster event, in milliseconds. @default 300000 */
  maxUnschedulableMs?: number;
  /** Bindings (each with its Event) sent concurrently while the next pods are scheduled. @default 16 */
  parallelBindings?: number;
  /** Record `Scheduled` and `FailedScheduling` Events. @default true */
  recordEvents?: boolean;
  /** @default realClock */
  clock?: Clock;
  /** Builds the pod and node informers (tests pass fakes). @default an `Informer` over the scheduler's client */
  newInformer?: (ref: ResourceRef) => Informer<KubeObject>;
}

export interface ResolvedSchedulerOptions {
  schedulerName: string;
  profile: Profile;
  initialBackoffMs: number;
  maxBackoffMs: number;
  maxUnschedulableMs: number;
  parallelBindings: number;
  recordEvents: boolean;
  clock: Clock;
  newInformer: ((ref: ResourceRef) => Informer<KubeObject>) | undefined;
}

/** Fills in the defaults; throws on an unknown profile name. */
export function resolveSchedulerOptions(options: SchedulerOptions = {}): ResolvedSchedulerOptions {
  const profile = options.profile ?? "default";
  if (typeof profile === "string" && !isProfileName(profile)) {
    throw new Error(`unknown scheduler profile ${JSON.stringify(profile)}; known: ${Object.keys(profiles).join(", ")}`);
  }
  return {
    schedulerName: options.schedulerName ?? defaultSchedulerName,
    profile: typeof profile === "string" ? profiles[profile] : profile,
    initialBackoffMs: options.initialBackoffMs ?? 1000,
    maxBackoffMs: options.maxBackoffMs ?? 10_000,
    maxUnschedulableMs: options.maxUnschedulableMs ?? 300_000,
    parallelBindings: Math.max(1, options.parallelBindings ?? 16),
    recordEvents: options.recordEvents ?? true,
    clock: options.clock ?? realClock,
    newInformer: options.newInformer,
  };
}
