/**
 * One event of a watch stream. `ERROR` exists on the wire (its object is a
 * `Status`, e.g. 410 Expired); `RestClient.watch` turns it into a thrown
 * `ApiError`, so iterating code only ever sees the other four.
 */
export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";

export interface WatchEvent<T = unknown> {
  type: WatchEventType;
  object: T;
}

/** An open (or opening) watch: iterate it for events; `close()` ends the iteration quietly. */
export interface WatchStream<T = unknown> extends AsyncIterable<WatchEvent<T>> {
  close(): void;
}
