import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { escapeValue, fieldsUsed, parseFieldSelector } from "./field-selector.js";
import { isBadRequest } from "./errors.js";

const pod = { "metadata.name": "web", "metadata.namespace": "default", "status.phase": "Running", "spec.nodeName": "" };

describe("parseFieldSelector", () => {
  const table: [string, boolean][] = [
    ["", true],
    ["metadata.name=web", true],
    ["metadata.name==web", true],
    ["metadata.name=db", false],
    ["status.phase!=Running", false],
    ["status.phase!=Pending", true],
    ["metadata.name=web,status.phase=Running", true],
    ["metadata.name=web,status.phase=Failed", false],
    ["spec.nodeName=", true],
    ["spec.nodeName!=", false],
    ["involvedObject.kind=Pod", false],
  ];
  for (const [selector, want] of table) {
    it(`${JSON.stringify(selector)} → ${want}`, () => assert.equal(parseFieldSelector(selector).matches(pod), want));
  }

  it("unescapes \\, \\= and \\\\ in values", () => {
    const sel = parseFieldSelector("metadata.name=a\\,b\\=c\\\\d,status.phase!=x");
    assert.deepEqual(sel.requirements, [
      { field: "metadata.name", operator: "=", value: "a,b=c\\d" },
      { field: "status.phase", operator: "!=", value: "x" },
    ]);
    assert.equal(sel.matches({ "metadata.name": "a,b=c\\d" }), true);
    assert.equal(sel.toString(), "metadata.name=a\\,b\\=c\\\\d,status.phase!=x");
    assert.equal(escapeValue("a,b=c\\"), "a\\,b\\=c\\\\");
  });

  it("lists the fields used", () => {
    assert.deepEqual(fieldsUsed(parseFieldSelector("b=1,a!=2,b!=3")), ["a", "b"]);
    assert.deepEqual(fieldsUsed(parseFieldSelector("")), []);
  });

  it("rejects unsupported operators and bad escapes with BadRequest", () => {
    for (const s of ["metadata.name", "a in (x)", "a>1", "a=b=c", "a=b\\x", "a=b\\", "a=b,c"]) {
      assert.throws(() => parseFieldSelector(s), isBadRequest, s);
    }
  });

  it("ignores empty terms", () => {
    assert.equal(parseFieldSelector("metadata.name=web,").requirements.length, 1);
  });
});
