import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { formatLabelSelector, labelSelectorFromStruct, parseLabelSelector } from "./label-selector.js";
import { isBadRequest } from "./errors.js";

const web = { app: "web", tier: "front", version: "3" };
const db = { app: "db", tier: "back" };

describe("parseLabelSelector", () => {
  const table: [string, Record<string, string> | undefined, boolean][] = [
    ["", web, true],
    ["", undefined, true],
    ["app=web", web, true],
    ["app==web", web, true],
    ["app=web", db, false],
    ["app!=web", db, true],
    ["app!=web", {}, true],
    ["app!=web", web, false],
    ["app in (web,db)", db, true],
    ["app in (web, db)", { app: "cache" }, false],
    ["app notin (web)", db, true],
    ["app notin (web)", {}, true],
    ["app notin (web)", web, false],
    ["tier", web, true],
    ["tier", {}, false],
    ["!tier", {}, true],
    ["!tier", web, false],
    ["app=web,tier=front", web, true],
    ["app=web,tier=back", web, false],
    [" app = web , !missing , tier in ( front ) ", web, true],
    ["version>2", web, true],
    ["version<2", web, false],
    ["example.com/role=db", { "example.com/role": "db" }, true],
    ["app=", { app: "" }, true],
    ["app=", web, false],
    ["app in ()", { app: "" }, true],
  ];
  for (const [selector, labels, want] of table) {
    it(`${JSON.stringify(selector)} ${want ? "matches" : "does not match"} ${JSON.stringify(labels)}`, () => {
      assert.equal(parseLabelSelector(selector).matches(labels), want);
    });
  }

  it("prints a canonical form with requirements sorted by key and values sorted", () => {
    assert.equal(parseLabelSelector("z in (b,a), !y ,x==1,w!=2, v").toString(), "v,w!=2,x==1,!y,z in (a,b)");
    assert.equal(parseLabelSelector("a=b").toString(), "a=b");
    assert.equal(parseLabelSelector("").toString(), "");
    assert.equal(parseLabelSelector("").empty, true);
    assert.equal(parseLabelSelector("a").empty, false);
  });

  it("exposes the requirements", () => {
    assert.deepEqual(parseLabelSelector("b notin (y,x),a").requirements, [
      { key: "a", operator: "exists", values: [] },
      { key: "b", operator: "notin", values: ["x", "y"] },
    ]);
  });

  it("rejects bad syntax and invalid keys or values with BadRequest", () => {
    const bad = [
      "a=b,",
      ",a",
      "a b",
      "a in b",
      "a in (b",
      "a notin",
      "!",
      "!a=b",
      "a=(b)",
      "=b",
      "a=b=c",
      "-a=b",
      "a/b/c=d",
      "Example.com/a=b",
      `a=${"x".repeat(64)}`,
      "a=-b",
      "a>b",
      "a in (x y)",
    ];
    for (const s of bad) {
      assert.throws(() => parseLabelSelector(s), (err: Error) => isBadRequest(err) && err.message.startsWith("unable to parse requirement: "), s);
    }
  });
});

describe("labelSelectorFromStruct", () => {
  it("a missing selector selects nothing, an empty one everything", () => {
    assert.equal(labelSelectorFromStruct(undefined).matches(web), false);
    assert.equal(labelSelectorFromStruct(null).matches({}), false);
    assert.equal(labelSelectorFromStruct({}).matches(web), true);
    assert.equal(labelSelectorFromStruct({ matchLabels: {}, matchExpressions: [] }).empty, true);
  });

  it("combines matchLabels and matchExpressions", () => {
    const sel = labelSelectorFromStruct({
      matchLabels: { app: "web" },
      matchExpressions: [
        { key: "tier", operator: "In", values: ["front", "edge"] },
        { key: "canary", operator: "DoesNotExist" },
        { key: "version", operator: "Exists" },
        { key: "zone", operator: "NotIn", values: ["x"] },
      ],
    });
    assert.equal(sel.matches(web), true);
    assert.equal(sel.matches({ ...web, canary: "1" }), false);
    assert.equal(sel.matches(db), false);
    assert.equal(sel.toString(), "app=web,!canary,tier in (edge,front),version,zone notin (x)");
  });

  it("rejects bad operators and value sets", () => {
    assert.throws(() => labelSelectorFromStruct({ matchExpressions: [{ key: "a", operator: "Like", values: ["x"] }] }), isBadRequest);
    assert.throws(() => labelSelectorFromStruct({ matchExpressions: [{ key: "a", operator: "In", values: [] }] }), isBadRequest);
    assert.throws(() => labelSelectorFromStruct({ matchExpressions: [{ key: "a", operator: "Exists", values: ["x"] }] }), isBadRequest);
    assert.throws(() => labelSelectorFromStruct({ matchLabels: { "bad key": "x" } }), isBadRequest);
  });

  it("formats a struct for Scale status.selector", () => {
    assert.equal(formatLabelSelector({ matchLabels: { app: "web", tier: "front" } }), "app=web,tier=front");
    assert.equal(formatLabelSelector({ matchExpressions: [{ key: "c", operator: "In", values: ["y", "x"] }], matchLabels: { a: "b" } }), "a=b,c in (x,y)");
    assert.equal(formatLabelSelector({}), "");
  });

  it("the formatted string parses back to the same selector", () => {
    const struct = { matchLabels: { app: "web" }, matchExpressions: [{ key: "tier", operator: "NotIn", values: ["back"] }] };
    const text = formatLabelSelector(struct);
    assert.equal(parseLabelSelector(text).toString(), text);
  });
});
