/**
 * Events a controller records about the objects it manages
 * (`SuccessfulCreate`, `ScalingReplicaSet`), as core/v1 Events that
 * `kubectl describe` and `kubectl get events` show.
 *
 * Best effort, like client-go's recorder: `event` returns at once, the POST
 * runs in the background, and a failure is logged, never thrown, because a
 * lost event must not fail or retry the sync that caused it. There is no
 * aggregation of repeats yet: every call is one Event with `count: 1`.
 */
import type { KubeObject, ObjectReference } from "../../api/index.js";
import type { RestClient } from "../../client/index.js";
import { logger, realClock, type Clock } from "../../util/index.js";
import { eventsRef } from "./resources.js";

const log = logger("events");

export type EventType = "Normal" | "Warning";

/** The object an event is about, as the Event's `involvedObject`. */
export function involvedObject(obj: Readonly<KubeObject>, apiVersion: string, kind: string): ObjectReference {
  return {
    apiVersion,
    kind,
    name: obj.metadata.name,
    namespace: obj.metadata.namespace,
    uid: obj.metadata.uid,
    resourceVersion: obj.metadata.resourceVersion,
  };
}

/** RFC 3339 at second precision, as `metav1.Time` is written. */
export function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

export class EventRecorder {
  private readonly inFlight = new Set<Promise<void>>();
  private sequence = 0;

  /** `component`: `source.component` and `reportingComponent` of every event, e.g. `replicaset-controller`. */
  constructor(
    private readonly client: RestClient,
    private readonly component: string,
    private readonly clock: Clock = realClock,
  ) {}

  event(involved: ObjectReference, type: EventType, reason: string, message: string): void {
    const now = this.clock.now();
    const namespace = involved.namespace || "default";
    // Upstream names events `<object>.<unix nanoseconds in hex>`; the sequence keeps two events in one millisecond apart.
    const nanos = BigInt(now) * 1_000_000n + BigInt(this.sequence++ % 1_000_000);
    const timestamp = formatTime(now);
    const body: KubeObject = {
      apiVersion: "v1",
      kind: "Event",
      metadata: { name: `${involved.name}.${nanos.toString(16)}`, namespace },
      involvedObject: involved,
      reason,
      message,
      type,
      source: { component: this.component },
      reportingComponent: this.component,
      firstTimestamp: timestamp,
      lastTimestamp: timestamp,
      count: 1,
    };
    const post = this.client
      .create(eventsRef, body, { namespace })
      .then(() => undefined)
      .catch((err: unknown) => log.warn({ err, reason, object: `${namespace}/${involved.name}` }, "could not record event"))
      .finally(() => this.inFlight.delete(post));
    this.inFlight.add(post);
  }

  /** Resolves when every event recorded so far has been posted (or failed). */
  async flush(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }
}
