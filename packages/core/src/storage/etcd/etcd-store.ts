/**
 * The cluster backend: a `Store` on etcd v3 through the `etcd3` client.
 *
 * etcd already has everything the contract asks for — one global revision,
 * multi-version reads, watch from a revision, compaction — so this file only
 * translates: every compare-and-swap is one etcd transaction, and etcd's
 * string revisions become numbers (they stay below 2^53 in practice).
 *
 * Keys live under `prefix` in etcd; callers never see it. Revisions are
 * global to the etcd cluster, so other users of the same etcd bump them too.
 */
import { Etcd3, type IKeyValue, type IRangeRequest, type IResponseHeader, type IWatchResponse } from "etcd3";
import { prefixEndBytes } from "../prefix-end.js";
import { StorageError, type KeyValue, type ListOptions, type ListResult, type Store, type StoreEvent } from "../store.js";
import { resolveEtcdStoreOptions, type EtcdStoreOptions, type ResolvedEtcdStoreOptions } from "./etcd-store-options.js";

/** etcd's "mvcc: required revision has been compacted"; the client gives no better handle than the text. */
const isEtcdCompacted = (err: unknown): boolean =>
  err instanceof Error && err.message.includes("required revision has been compacted");
const isEtcdFutureRevision = (err: unknown): boolean =>
  err instanceof Error && err.message.includes("required revision is a future revision");

export class EtcdStore implements Store {
  private readonly client: Etcd3;
  private readonly options: ResolvedEtcdStoreOptions;
  /** A revision known to be at or below etcd's compaction point (it only moves forward). */
  private knownCompacted = 0;
  /** Wakes every running watch so it can end when the store closes. */
  private readonly activeWatches = new Set<() => void>();
  private closed = false;

  constructor(options: EtcdStoreOptions) {
    this.options = resolveEtcdStoreOptions(options);
    const { tls } = this.options;
    this.client = new Etcd3({
      hosts: this.options.endpoints,
      dialTimeout: this.options.dialTimeoutMs,
      ...(tls ? { credentials: { rootCertificate: tls.ca, privateKey: tls.key, certChain: tls.cert } } : {}),
    });
  }

  async get(key: string): Promise<KeyValue | undefined> {
    const response = await this.client.kv.range({ key: this.etcdKey(key) });
    const kv = response.kvs[0];
    return kv ? this.toKeyValue(kv) : undefined;
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListResult> {
    const end = this.rangeEnd(prefix);
    let from = this.rangeStart(prefix);
    if (options.startAfter !== undefined) {
      // The smallest key strictly after startAfter.
      const after = Buffer.concat([this.etcdKey(options.startAfter), Buffer.from([0])]);
      if (Buffer.compare(after, from) > 0) from = after;
    }
    const limit = options.limit ?? 0;
    const request: IRangeRequest = { key: from, range_end: end, revision: options.revision ?? 0, limit };
    const response = await this.call(prefix, () => this.client.kv.range(request));
    const items = response.kvs.map((kv) => this.toKeyValue(kv));
    return {
      items,
      revision: options.revision || revisionOf(response.header),
      more: response.more,
      remaining: Math.max(0, Number(response.count) - items.length),
    };
  }

  async create(key: string, value: string): Promise<KeyValue> {
    const etcdKey = this.etcdKey(key);
    const response = await this.client.kv.txn({
      compare: [{ key: etcdKey, target: "Create", result: "Equal", create_revision: 0 }],
      success: [{ request_put: { key: etcdKey, value: Buffer.from(value) } }],
    });
    if (!response.succeeded) throw new StorageError("KeyExists", key);
    const revision = revisionOf(response.header);
    return { key, value, createRevision: revision, modRevision: revision };
  }

  async update(key: string, value: string, expectedModRevision: number): Promise<KeyValue> {
    const etcdKey = this.etcdKey(key);
    const response = await this.client.kv.txn({
      compare: [
        // A missing key has mod_revision 0; Version > 0 keeps expected 0 from creating it.
        { key: etcdKey, target: "Version", result: "Greater", version: 0 },
        { key: etcdKey, target: "Mod", result: "Equal", mod_revision: expectedModRevision },
      ],
      success: [{ request_put: { key: etcdKey, value: Buffer.from(value), prev_kv: true } }],
      failure: [{ request_range: { key: etcdKey } }],
    });
    if (!response.succeeded) this.refused(key, expectedModRevision, response.responses[0]?.response_range?.kvs[0]);
    const previous = response.responses[0]?.response_put?.prev_kv;
    const revision = revisionOf(response.header);
    return { key, value, createRevision: previous ? Number(previous.create_revision) : revision, modRevision: revision };
  }

  async delete(key: string, expectedModRevision?: number): Promise<KeyValue> {
    const etcdKey = this.etcdKey(key);
    const response = await this.client.kv.txn({
      compare: [
        { key: etcdKey, target: "Version", result: "Greater", version: 0 },
        ...(expectedModRevision === undefined
          ? []
          : [{ key: etcdKey, target: "Mod" as const, result: "Equal" as const, mod_revision: expectedModRevision }]),
      ],
      success: [{ request_delete_range: { key: etcdKey, prev_kv: true } }],
      failure: [{ request_range: { key: etcdKey } }],
    });
    if (!response.succeeded) this.refused(key, expectedModRevision, response.responses[0]?.response_range?.kvs[0]);
    const previous = response.responses[0]?.response_delete_range?.prev_kvs[0];
    if (!previous) throw new StorageError("NotFound", key);
    return { ...this.toKeyValue(previous), modRevision: revisionOf(response.header) };
  }

  /**
   * One etcd watcher per call, multiplexed by the client on one gRPC stream.
   * Events are queued in memory until consumed (a slow consumer grows the
   * queue; etcd itself holds back a watcher whose stream is not read).
   * After a reconnect the watch resumes right after the last revision
   * received, so nothing is skipped or repeated.
   */
  async *watch(prefix: string, afterRevision: number, signal: AbortSignal): AsyncIterable<StoreEvent> {
    if (signal.aborted || this.closed) return;
    await this.assertWatchable(prefix, afterRevision);
    const queue: StoreEvent[] = [];
    let received = afterRevision;
    let failure: { error: unknown } | undefined;
    let wake: (() => void) | undefined;
    const notify = (): void => {
      const w = wake;
      wake = undefined;
      w?.();
    };
    const watcher = this.client
      .watch()
      .inRange({ start: this.rangeStart(prefix), end: this.rangeEnd(prefix) })
      .withPreviousKV()
      .startRevision(String(afterRevision + 1))
      .watcher();
    watcher.on("data", (response: IWatchResponse) => {
      for (const event of response.events) {
        const revision = Number(event.kv.mod_revision);
        if (revision <= received) continue;
        received = revision;
        queue.push(this.toEvent(event.type, event.kv, event.prev_kv));
      }
      // A progress notification promises nothing at or below its revision is still to come.
      if (response.events.length === 0) received = Math.max(received, revisionOf(response.header));
      notify();
    });
    watcher.on("disconnected", () => {
      // The client would resume from the revision in the last response header, which may lie past events not yet sent.
      watcher.request.start_revision = String(received + 1);
    });
    watcher.on("error", (error: unknown) => {
      failure = { error };
      notify();
    });
    const onAbort = (): void => notify();
    signal.addEventListener("abort", onAbort);
    this.activeWatches.add(onAbort);
    try {
      while (!signal.aborted && !this.closed) {
        if (queue.length > 0) {
          for (const event of queue.splice(0)) {
            yield event;
            if (signal.aborted || this.closed) return;
          }
          continue;
        }
        if (failure) {
          // etcd cancels a watcher whose start revision got compacted away, with no reason in the text.
          const compacted = await this.compactedRevision().catch(() => 0);
          if (compacted > received) throw this.compactedError(prefix, received, compacted);
          throw failure.error;
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
    } finally {
      signal.removeEventListener("abort", onAbort);
      this.activeWatches.delete(onAbort);
      // A watcher that etcd already cancelled must not be cancelled again (the client would wait forever).
      if (!failure) {
        try {
          void watcher.cancel().catch(() => undefined);
        } catch {
          // the client is already closed: nothing left to cancel
        }
      }
    }
  }

  async currentRevision(): Promise<number> {
    const key = this.rangeStart("");
    const response = await this.client.kv.range({ key, range_end: this.rangeEnd(""), count_only: true });
    return revisionOf(response.header);
  }

  /**
   * etcd does not report its compaction point, so find the oldest readable
   * revision by bisection (a read below the point fails with "compacted").
   */
  async compactedRevision(): Promise<number> {
    const current = await this.currentRevision();
    let low = Math.max(1, this.knownCompacted); // a candidate, maybe readable
    if (await this.readableAt(low)) return this.knownCompacted;
    let high = current; // the current revision is always readable
    while (high - low > 1) {
      const middle = Math.floor((low + high) / 2);
      if (await this.readableAt(middle)) high = middle;
      else low = middle;
    }
    this.knownCompacted = Math.max(this.knownCompacted, high);
    return high;
  }

  async compact(revision: number): Promise<void> {
    const target = Math.min(revision, await this.currentRevision());
    if (target <= 0) return;
    try {
      await this.client.kv.compact({ revision: target, physical: true });
      this.knownCompacted = Math.max(this.knownCompacted, target);
    } catch (err) {
      if (!isEtcdCompacted(err)) throw err; // already compacted at or beyond it: nothing to do
    }
  }

  /** Ends running watches, then closes the connection. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const wake of [...this.activeWatches]) wake();
    this.client.close();
  }

  /** Why a compare-and-swap failed: the key is gone, or it moved on. */
  private refused(key: string, expectedModRevision: number | undefined, current: IKeyValue | undefined): never {
    if (!current) throw new StorageError("NotFound", key);
    throw new StorageError(
      "Conflict",
      key,
      `${key} is at revision ${current.mod_revision}, not the expected ${String(expectedModRevision)}`,
    );
  }

  /** Fails with Compacted if `afterRevision` is below the compaction point, like a read there would. */
  private async assertWatchable(prefix: string, afterRevision: number): Promise<void> {
    if (afterRevision >= 1 && afterRevision >= this.knownCompacted) {
      if (await this.readableAt(afterRevision)) return;
    } else if (afterRevision >= (await this.compactedRevision())) {
      return; // "all history" of a never-compacted etcd
    }
    throw this.compactedError(prefix, afterRevision, await this.compactedRevision());
  }

  /** Whether etcd still holds the state at `revision` (a future revision counts as readable: nothing is lost). */
  private async readableAt(revision: number): Promise<boolean> {
    try {
      await this.client.kv.range({ key: this.rangeStart(""), revision, count_only: true });
      return true;
    } catch (err) {
      if (isEtcdCompacted(err)) return false;
      if (isEtcdFutureRevision(err)) return true;
      throw err;
    }
  }

  /** Runs a read, turning etcd's compaction refusal into `Compacted`. */
  private async call<T>(key: string, read: () => Promise<T>): Promise<T> {
    try {
      return await read();
    } catch (err) {
      if (isEtcdCompacted(err)) throw this.compactedError(key, undefined, await this.compactedRevision());
      throw err;
    }
  }

  private compactedError(key: string, revision: number | undefined, compacted: number): StorageError {
    return new StorageError(
      "Compacted",
      key,
      `revision ${revision ?? "requested"} has been compacted; the oldest available is ${compacted}`,
      compacted,
    );
  }

  private toEvent(type: "Put" | "Delete", kv: IKeyValue, previous: IKeyValue | undefined): StoreEvent {
    const revision = Number(kv.mod_revision);
    const prevKv = previous ? this.toKeyValue(previous) : undefined;
    if (type === "Delete") {
      // etcd's delete event carries only the key; the contract wants the value as it was when deleted.
      const deleted: KeyValue = {
        key: this.storeKey(kv.key),
        value: prevKv?.value ?? "",
        createRevision: prevKv?.createRevision ?? 0,
        modRevision: revision,
      };
      return prevKv ? { type: "delete", kv: deleted, prevKv, revision } : { type: "delete", kv: deleted, revision };
    }
    const current = this.toKeyValue(kv);
    if (current.createRevision === current.modRevision) return { type: "create", kv: current, revision };
    return prevKv ? { type: "update", kv: current, prevKv, revision } : { type: "update", kv: current, revision };
  }

  private toKeyValue(kv: IKeyValue): KeyValue {
    return {
      key: this.storeKey(kv.key),
      value: kv.value.toString("utf8"),
      createRevision: Number(kv.create_revision),
      modRevision: Number(kv.mod_revision),
    };
  }

  private etcdKey(key: string): Buffer {
    return Buffer.from(this.options.prefix + key, "utf8");
  }

  private storeKey(key: Buffer): string {
    return key.toString("utf8").slice(this.options.prefix.length);
  }

  /** The first key of the range under `prefix` ("\0" stands for "from the start" in etcd). */
  private rangeStart(prefix: string): Buffer {
    const start = this.etcdKey(prefix);
    return start.length === 0 ? Buffer.from([0]) : start;
  }

  private rangeEnd(prefix: string): Buffer {
    return prefixEndBytes(this.etcdKey(prefix));
  }
}

const revisionOf = (header: IResponseHeader): number => Number(header.revision);
