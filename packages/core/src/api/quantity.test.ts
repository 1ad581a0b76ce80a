import { test } from "node:test";
import assert from "node:assert/strict";
import { formatQuantity, isQuantity, milliValue, parseQuantity, quantityValue, QuantityError } from "./quantity.js";

test("parses decimal SI, binary SI and exponent suffixes into base units", () => {
  assert.equal(parseQuantity("100m"), 0.1);
  assert.equal(parseQuantity("1.5"), 1.5);
  assert.equal(parseQuantity("128Mi"), 128 * 2 ** 20);
  assert.equal(parseQuantity("1G"), 1e9);
  assert.equal(parseQuantity("1k"), 1000);
  assert.equal(parseQuantity("1e3"), 1000);
  assert.equal(parseQuantity("2E-1"), 0.2);
  assert.equal(parseQuantity("1.5Gi"), 1.5 * 2 ** 30);
  assert.equal(parseQuantity("500u"), 0.0005);
  assert.equal(parseQuantity("-2"), -2);
  assert.equal(parseQuantity(".5"), 0.5);
  assert.equal(parseQuantity(3), 3);
});

test("rejects malformed quantities with upstream's message", () => {
  for (const bad of ["", "abc", "1Ki5", "1 Gi", "1.2.3", "Mi", " 1"]) {
    assert.throws(() => parseQuantity(bad), QuantityError, bad);
    assert.equal(isQuantity(bad), false);
  }
  assert.throws(() => parseQuantity("x"), /quantities must match the regular expression/);
});

test("milliValue gives thousandths, rounded up", () => {
  assert.equal(milliValue("100m"), 100);
  assert.equal(milliValue("1"), 1000);
  assert.equal(milliValue("0.5"), 500);
  assert.equal(milliValue("2.5k"), 2_500_000);
  assert.equal(milliValue("1n"), 1);
});

test("quantityValue rounds up to whole units", () => {
  assert.equal(quantityValue("100m"), 1);
  assert.equal(quantityValue("1Ki"), 1024);
  assert.equal(quantityValue("2"), 2);
});

test("formats canonically", () => {
  assert.equal(formatQuantity(0.1), "100m");
  assert.equal(formatQuantity(1.5), "1500m");
  assert.equal(formatQuantity(2000), "2k");
  assert.equal(formatQuantity(1536 * 2 ** 20, "BinarySI"), "1536Mi");
  assert.equal(formatQuantity(2 ** 30, "BinarySI"), "1Gi");
  assert.equal(formatQuantity(0), "0");
  assert.equal(formatQuantity(3), "3");
  assert.equal(formatQuantity(-0.25), "-250m");
  assert.equal(parseQuantity(formatQuantity(parseQuantity("750m"))), 0.75);
});
