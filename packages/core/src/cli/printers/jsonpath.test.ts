import { test } from "node:test";
import assert from "node:assert/strict";
import { jsonPath, JsonPathError } from "./jsonpath.js";

const list = {
  kind: "List",
  items: [
    { metadata: { name: "a", labels: { "app.kubernetes.io/name": "x" } }, status: { conditions: [{ type: "Ready", status: "True" }, { type: "Other", status: "False" }] } },
    { metadata: { name: "b" }, status: { conditions: [{ type: "Ready", status: "False" }] }, spec: { replicas: 3 } },
  ],
};

test("simple fields and wildcards", () => {
  assert.equal(jsonPath("{.kind}", list), "List");
  assert.equal(jsonPath("{.items[*].metadata.name}", list), "a b");
  assert.equal(jsonPath("{.items[0].metadata.name}", list), "a");
  assert.equal(jsonPath("{.items[-1].spec.replicas}", list), "3");
  assert.equal(jsonPath("{$.items[1].spec}", list), '{"replicas":3}');
  assert.equal(jsonPath("{.items[0].metadata.labels['app.kubernetes.io/name']}", list), "x");
  assert.equal(jsonPath("{.items[0:1].metadata.name}", list), "a");
  assert.equal(jsonPath("{..name}", list), "a b");
});

test("text, string literals and range", () => {
  assert.equal(jsonPath('names: {range .items[*]}{.metadata.name}{"\\n"}{end}', list), "names: a\nb\n");
  assert.equal(jsonPath("{range .items[*]}[{.metadata.name}]{end}", list), "[a][b]");
});

test("filters", () => {
  assert.equal(jsonPath('{.items[*].status.conditions[?(@.type=="Ready")].status}', list), "True False");
  assert.equal(jsonPath("{.items[?(@.spec.replicas)].metadata.name}", list), "b");
  assert.equal(jsonPath('{.items[?(@.metadata.name!="a")].metadata.name}', list), "b");
});

test("missing paths print nothing; malformed templates throw", () => {
  assert.equal(jsonPath("{.nope.deeper}", list), "");
  assert.throws(() => jsonPath("{.items", list), JsonPathError);
  assert.throws(() => jsonPath("{range .items[*]}{.a}", list), JsonPathError);
});
