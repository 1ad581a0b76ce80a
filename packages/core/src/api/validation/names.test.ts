import { test } from "node:test";
import assert from "node:assert/strict";
import { isConfigMapKey, isDns1123Label, isDns1123Subdomain, isQualifiedName, isValidLabelValue, isValidPathSegmentName } from "./names.js";

test("isDns1123Label accepts lower-case labels and explains rejections like upstream", () => {
  assert.deepEqual(isDns1123Label("my-name"), []);
  assert.deepEqual(isDns1123Label("Web"), [
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
  ]);
  assert.equal(isDns1123Label("a".repeat(64))[0], "must be no more than 63 characters");
  assert.equal(isDns1123Label("a.b").length, 1);
});

test("isDns1123Subdomain allows dots", () => {
  assert.deepEqual(isDns1123Subdomain("web.example.com"), []);
  assert.match(isDns1123Subdomain("-web")[0]!, /RFC 1123 subdomain .*'example.com'/);
});

test("isQualifiedName checks prefix and name parts", () => {
  assert.deepEqual(isQualifiedName("app"), []);
  assert.deepEqual(isQualifiedName("app.kubernetes.io/name"), []);
  assert.deepEqual(isQualifiedName("/x"), ["prefix part must be non-empty"]);
  assert.match(isQualifiedName("Example.com/x")[0]!, /^prefix part a lowercase RFC 1123 subdomain/);
  assert.match(isQualifiedName("a/b/c")[0]!, /^a qualified name must consist of/);
  assert.deepEqual(isQualifiedName("x/")[0], "name part must be non-empty");
  assert.match(isQualifiedName("-x")[0]!, /^name part must consist of alphanumeric characters/);
});

test("isValidLabelValue allows the empty string", () => {
  assert.deepEqual(isValidLabelValue(""), []);
  assert.deepEqual(isValidLabelValue("v1.2_3"), []);
  assert.match(isValidLabelValue("bad value")[0]!, /^a valid label must be an empty string/);
});

test("path segment names and config keys", () => {
  assert.deepEqual(isValidPathSegmentName("system:admin"), []);
  assert.deepEqual(isValidPathSegmentName(".."), ["may not be '..'"]);
  assert.deepEqual(isValidPathSegmentName("a/b"), ["may not contain '/'"]);
  assert.deepEqual(isConfigMapKey("app.properties"), []);
  assert.deepEqual(isConfigMapKey("..data"), ["must not start with '..'"]);
  assert.match(isConfigMapKey("a b")[0]!, /^a valid config key/);
});
