/**
 * The two calls a reflector needs. `RestClient` satisfies this as it is;
 * tests pass `testing/FakeListWatch`.
 */
import type { KubeList, KubeObject } from "../api/index.js";
import type { ListOptions, ResourceRef, WatchStream } from "../client/index.js";

export interface ListWatcher {
  /** One list of everything matching `options`; `metadata.resourceVersion` is the revision it was read at. */
  list<T = KubeList>(ref: ResourceRef, options?: ListOptions): Promise<T>;
  /**
   * Events after `options.resourceVersion`, in order. Iteration throws
   * `ApiError` (410 Gone/Expired when that revision is compacted) and ends
   * quietly when `options.signal` aborts or `close()` is called.
   */
  watch<T = KubeObject>(ref: ResourceRef, options?: ListOptions): WatchStream<T>;
}
