import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, stat, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TokenFile, ensureAdminToken, parseBearer } from "./token-file.js";
import { anonymousUser } from "./user-info.js";

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "skiff-authn-"));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test("the admin token is created once, saved 0600 and reused", () =>
  withDir(async (dir) => {
    const token = await ensureAdminToken(dir);
    assert.match(token, /^[0-9a-f]{64}$/);
    assert.equal((await stat(join(dir, "tokens.json"))).mode & 0o777, 0o600);
    assert.equal(await ensureAdminToken(dir), token);
    const saved = JSON.parse(await readFile(join(dir, "tokens.json"), "utf8"));
    assert.equal(saved.tokens.length, 1);
    assert.deepEqual(saved.tokens[0].groups, ["system:masters"]);
  }));

test("a bearer header with the admin token authenticates as admin in system:masters", () =>
  withDir(async (dir) => {
    const token = await ensureAdminToken(dir);
    const file = await TokenFile.load(dir);
    const user = file.authenticateBearer(`Bearer ${token}`);
    assert.equal(user?.name, "admin");
    assert.ok(user?.groups.includes("system:masters"));
    assert.ok(user?.groups.includes("system:authenticated"));
    assert.ok(user?.uid);
  }));

test("wrong, missing or malformed credentials authenticate nobody", () =>
  withDir(async (dir) => {
    const token = await ensureAdminToken(dir);
    const file = await TokenFile.load(dir);
    assert.equal(file.authenticateBearer(undefined), undefined);
    assert.equal(file.authenticateBearer(""), undefined);
    const flipped = token.slice(0, -1) + (token.endsWith("0") ? "1" : "0");
    assert.equal(file.authenticateBearer(`Bearer ${flipped}`), undefined);
    assert.equal(file.authenticateBearer(`Bearer ${token}extra`), undefined);
    assert.equal(file.authenticateBearer(`Basic ${token}`), undefined);
    assert.equal(file.authenticateBearer(token), undefined);
    assert.equal(anonymousUser.name, "system:anonymous");
  }));

test("added tokens carry their user and groups", () =>
  withDir(async (dir) => {
    const file = await TokenFile.load(dir);
    const t = await file.addToken("system:node:n1", ["system:nodes"]);
    const reloaded = await TokenFile.load(dir);
    assert.deepEqual(reloaded.authenticateBearer(`bearer ${t}`)?.groups, ["system:nodes", "system:authenticated"]);
  }));

test("parseBearer accepts the scheme case-insensitively", () => {
  assert.equal(parseBearer("Bearer abc"), "abc");
  assert.equal(parseBearer("bearer  abc "), "abc");
  assert.equal(parseBearer("Bearer a b"), undefined);
});
