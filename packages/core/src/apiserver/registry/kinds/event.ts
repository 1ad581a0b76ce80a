/**
 * core/v1 Events: an involved object in the event's own namespace; table as
 * `kubectl get events` prints it (Last Seen first, Name last, wide columns
 * interleaved exactly like upstream `printEvent`).
 */
import type { Event } from "kubernetes-types/core/v1.js";
import { field, type FieldError } from "../../../api/errors.js";
import type { KubeObject } from "../../../api/object.js";
import type { ResourceInfo } from "../../../api/resource-info.js";
import { column, createStrategy } from "../default-strategy.js";
import { timestampSince } from "../../../util/human-duration.js";
import type { Strategy } from "../strategy.js";

const asEvent = (obj: Readonly<KubeObject>) => obj as unknown as Event;

function validateEvent(obj: Readonly<KubeObject>): FieldError[] {
  const ev = asEvent(obj);
  const errs: FieldError[] = [];
  const involved = ev.involvedObject;
  if (!involved || (!involved.kind && !involved.name)) {
    errs.push(field.required("involvedObject"));
  } else if (involved.namespace && ev.metadata?.namespace && involved.namespace !== ev.metadata.namespace) {
    errs.push(field.invalid("involvedObject.namespace", involved.namespace, "does not match event.namespace"));
  }
  if (ev.type !== undefined && ev.type !== "" && ev.type !== "Normal" && ev.type !== "Warning") {
    errs.push(field.notSupported("type", ev.type, ["Normal", "Warning"]));
  }
  return errs;
}

/** `component, host` or the reporting controller/instance when the legacy source is empty. */
function eventSource(ev: Event): string {
  const component = ev.source?.component || ev.reportingComponent || "";
  const host = ev.source?.host || ev.reportingInstance || "";
  return host ? `${component}, ${host}` : component;
}

function eventRow(obj: Readonly<KubeObject>, now: number): unknown[] {
  const ev = asEvent(obj);
  let firstSeen = timestampSince(ev.firstTimestamp, now);
  if (!ev.firstTimestamp) firstSeen = timestampSince(ev.eventTime, now);
  let lastSeen = ev.lastTimestamp ? timestampSince(ev.lastTimestamp, now) : firstSeen;
  let count = ev.count ?? 0;
  if (ev.series) {
    lastSeen = timestampSince(ev.series.lastObservedTime, now);
    count = ev.series.count ?? 0;
  } else if (count === 0) {
    count = 1; // singleton events carry no count in the new API
  }
  const involved = ev.involvedObject ?? {};
  const kind = (involved.kind ?? "").toLowerCase();
  const target = involved.name ? `${kind}/${involved.name}` : kind;
  return [
    lastSeen,
    ev.type ?? "",
    ev.reason ?? "",
    target,
    involved.fieldPath ?? "",
    eventSource(ev),
    (ev.message ?? "").trim(),
    firstSeen,
    count,
    ev.metadata?.name ?? "",
  ];
}

export function eventStrategy(resource: ResourceInfo): Strategy {
  return createStrategy(resource, {
    validate: validateEvent,
    columns: [
      column("Last Seen", "string", "The time at which the most recent occurrence of this event was recorded."),
      column("Type", "string", "Type of this event (Normal, Warning), new types could be added in the future"),
      column("Reason", "string", "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
      column("Object", "string", "The object that this event is about."),
      column("Subobject", "string", "If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement.", 1),
      column("Source", "string", "The component reporting this event.", 1),
      column("Message", "string", "A human-readable description of the status of this operation."),
      column("First Seen", "string", "The time at which the event was first recorded.", 1),
      column("Count", "string", "The number of times this event has occurred.", 1),
      { name: "Name", type: "string", format: "name", description: "Name must be unique within a namespace.", priority: 1 },
    ],
    row: eventRow,
    selectableFields(obj) {
      const ev = asEvent(obj);
      const io = ev.involvedObject ?? {};
      return {
        "involvedObject.kind": io.kind ?? "",
        "involvedObject.namespace": io.namespace ?? "",
        "involvedObject.name": io.name ?? "",
        "involvedObject.uid": io.uid ?? "",
        "involvedObject.apiVersion": io.apiVersion ?? "",
        "involvedObject.resourceVersion": io.resourceVersion ?? "",
        "involvedObject.fieldPath": io.fieldPath ?? "",
        reason: ev.reason ?? "",
        reportingComponent: ev.reportingComponent ?? "",
        source: ev.source?.component ?? "",
        type: ev.type ?? "",
      };
    },
  });
}
