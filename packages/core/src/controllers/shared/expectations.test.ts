import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { FakeClock } from "../../util/index.js";
import { ControllerExpectations, expectationsTimeoutMs } from "./expectations.js";

describe("ControllerExpectations", () => {
  it("is satisfied for a key nothing was expected of", () => {
    assert.equal(new ControllerExpectations(new FakeClock()).satisfied("ns/rs"), true);
  });

  it("blocks until every expected creation is observed", () => {
    const e = new ControllerExpectations(new FakeClock());
    e.expectCreations("ns/rs", 2);
    assert.equal(e.satisfied("ns/rs"), false);
    e.creationObserved("ns/rs");
    assert.equal(e.satisfied("ns/rs"), false);
    e.creationObserved("ns/rs");
    assert.equal(e.satisfied("ns/rs"), true);
    e.creationObserved("ns/rs");
    assert.deepEqual(e.pending("ns/rs"), { adds: 0, deletes: [] }, "never below zero");
  });

  it("counts a deletion once per expected pod, whichever event shows it", () => {
    const e = new ControllerExpectations(new FakeClock());
    e.expectDeletions("ns/rs", ["ns/a", "ns/b"]);
    e.deletionObserved("ns/rs", "ns/a");
    e.deletionObserved("ns/rs", "ns/a"); // deletionTimestamp, then the DELETED event
    e.deletionObserved("ns/rs", "ns/other");
    assert.equal(e.satisfied("ns/rs"), false);
    e.deletionObserved("ns/rs", "ns/b");
    assert.equal(e.satisfied("ns/rs"), true);
  });

  it("expires unmet expectations after five minutes", () => {
    const clock = new FakeClock();
    const e = new ControllerExpectations(clock);
    e.expectCreations("ns/rs", 3);
    clock.advance(expectationsTimeoutMs);
    assert.equal(e.satisfied("ns/rs"), false);
    clock.advance(1);
    assert.equal(e.satisfied("ns/rs"), true);
  });

  it("forgets a deleted owner's expectations", () => {
    const e = new ControllerExpectations(new FakeClock());
    e.expectCreations("ns/rs", 1);
    e.delete("ns/rs");
    assert.equal(e.satisfied("ns/rs"), true);
    assert.equal(e.pending("ns/rs"), undefined);
  });
});
