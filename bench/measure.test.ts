import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { measureFanOut, type FanOutTarget } from "./fan-out.js";
import { measure, percentile, summarize } from "./measure.js";
import { formatReport } from "./report.js";

describe("measure", () => {
  it("calls every index once and never has more than `concurrency` calls in flight", async () => {
    const seen: number[] = [];
    let inFlight = 0;
    let most = 0;
    const m = await measure("op", 50, 4, async (i) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise<void>((resolve) => setImmediate(resolve));
      seen.push(i);
      inFlight--;
    });
    assert.deepEqual([...seen].sort((a, b) => a - b), Array.from({ length: 50 }, (_, i) => i));
    assert.equal(most, 4);
    assert.equal(m.latenciesMs.length, 50);
    assert.equal(m.count, 50);
  });

  it("stops starting calls after a failure and rethrows it", async () => {
    let calls = 0;
    await assert.rejects(
      measure("op", 100, 1, async (i) => {
        calls++;
        if (i === 3) throw new Error("boom");
      }),
      /boom/,
    );
    assert.equal(calls, 4);
  });
});

describe("percentile and summarize", () => {
  it("uses the nearest rank", () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    assert.equal(percentile(sorted, 0.5), 50);
    assert.equal(percentile(sorted, 0.99), 99);
    assert.equal(percentile([7], 0.99), 7);
    assert.ok(Number.isNaN(percentile([], 0.5)));
  });

  it("derives ops/s from the batch's wall time", () => {
    const s = summarize({ operation: "get", count: 20, elapsedMs: 10, latenciesMs: [3, 1, 2] });
    assert.equal(s.opsPerSecond, 2000);
    assert.equal(s.p50Ms, 2);
    assert.equal(s.p99Ms, 3);
  });
});

describe("measureFanOut", () => {
  /** Delivers every write to every watcher on the next turn of the event loop. */
  function loopbackTarget(): FanOutTarget & { closed: boolean; written: string[] } {
    let deliverTo: ((watcher: number, name: string) => void) | undefined;
    let count = 0;
    const target = {
      closed: false,
      written: [] as string[],
      async open(watchers: number, deliver: (watcher: number, name: string) => void, _fail: (err: unknown) => void) {
        count = watchers;
        deliverTo = deliver;
      },
      async write(name: string) {
        target.written.push(name);
        setImmediate(() => {
          for (let w = 0; w < count; w++) deliverTo!(w, name);
        });
      },
      async close() {
        target.closed = true;
      },
    };
    return target;
  }

  it("waits for every watcher per write and reports deliveries, per-write and end-to-end rows", async () => {
    const target = loopbackTarget();
    const rows = await measureFanOut(target, { watchers: 3, writes: 5 });
    assert.deepEqual(
      rows.map((r) => [r.operation, r.count]),
      [
        ["watch delivery", 15],
        ["watch fan-out (all 3)", 5],
        ["write → all 3 watchers", 5],
      ],
    );
    assert.equal(target.written.length, 6, "one unmeasured warm-up write, then the measured ones");
    assert.ok(target.closed);
    assert.ok(rows.every((r) => r.latenciesMs.every((ms) => ms >= 0)));
  });

  it("fails, and closes the watches, when a watch fails", async () => {
    const target = loopbackTarget();
    let fail: ((err: unknown) => void) | undefined;
    const failing: FanOutTarget = {
      open: async (watchers, deliver, onFail) => {
        fail = onFail;
        await target.open(watchers, deliver, onFail);
      },
      write: async (name) => {
        if (name !== "fan-warmup") {
          fail!(new Error("watch broke"));
          return;
        }
        await target.write(name);
      },
      close: () => target.close(),
    };
    await assert.rejects(measureFanOut(failing, { watchers: 2, writes: 3 }), /watch broke/);
    assert.ok(target.closed);
  });
});

describe("formatReport", () => {
  it("prints both layers per operation and the API/raw latency ratio", () => {
    const text = formatReport({
      backend: "sqlite",
      sizes: "n=2",
      raw: [{ operation: "create", count: 2, elapsedMs: 2, latenciesMs: [1, 1] }],
      api: [{ operation: "create", count: 2, elapsedMs: 8, latenciesMs: [3, 3] }],
      serverRssAtEnd: 100 * 1024 * 1024,
    });
    assert.match(text, /create\s+store\s+2\s+1000\s+1\.000\s+1\.000/);
    assert.match(text, /create\s+api\s+2\s+250\s+3\.000\s+3\.000/);
    assert.match(text, /create: API p50 is 3\.0x raw store p50, API ops\/s is 0\.25x raw/);
    assert.match(text, /server RSS at the end: 100\.0 MiB/);
  });
});
