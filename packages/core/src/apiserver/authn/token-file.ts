/**
 * Static bearer tokens kept in `<dir>/tokens.json` (mode 0600):
 *
 *   { "tokens": [ { "token": "<hex>", "user": "admin", "uid": "…", "groups": ["system:masters"] } ] }
 *
 * The server creates the admin token on first start and writes it into the
 * admin kubeconfig; later starts reuse it. Lookups compare every stored
 * token in constant time, so response timing says nothing about how much of
 * a guessed token was right.
 */
import { randomBytes, randomUUID, timingSafeEqual, createHash } from "node:crypto";
import { mkdir, readFile, rename, writeFile, chmod } from "node:fs/promises";
import { join } from "node:path";
import { authenticatedGroup, type UserInfo } from "./user-info.js";

export interface TokenEntry {
  token: string;
  user: string;
  uid: string;
  groups: string[];
}

interface TokenFileContent {
  tokens: TokenEntry[];
}

export const tokenFileName = "tokens.json";
export const adminUser = "admin";
export const mastersGroup = "system:masters";

export class TokenFile {
  private entries: TokenEntry[] = [];

  private constructor(readonly path: string) {}

  /** Reads `<dir>/tokens.json`; a missing file is an empty set of tokens. */
  static async load(dir: string): Promise<TokenFile> {
    const file = new TokenFile(join(dir, tokenFileName));
    try {
      const parsed = JSON.parse(await readFile(file.path, "utf8")) as Partial<TokenFileContent>;
      file.entries = (parsed.tokens ?? []).filter(
        (t): t is TokenEntry => typeof t?.token === "string" && t.token.length > 0 && typeof t.user === "string",
      );
      for (const t of file.entries) {
        t.groups = Array.isArray(t.groups) ? t.groups : [];
        t.uid = typeof t.uid === "string" ? t.uid : "";
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    }
    return file;
  }

  /** The admin's token, created (32 random bytes, hex) and saved if missing. */
  async ensureAdminToken(): Promise<string> {
    const existing = this.entries.find((t) => t.user === adminUser);
    if (existing) return existing.token;
    const entry: TokenEntry = {
      token: randomBytes(32).toString("hex"),
      user: adminUser,
      uid: randomUUID(),
      groups: [mastersGroup],
    };
    this.entries.push(entry);
    await this.save();
    return entry.token;
  }

  /**
   * The token of a built-in identity (e.g. `system:kube-controller-manager`),
   * created and saved on first use, reused afterwards.
   */
  async ensureToken(user: string, groups: string[]): Promise<string> {
    const existing = this.entries.find((t) => t.user === user);
    if (existing) return existing.token;
    return this.addToken(user, groups);
  }

  /** Adds a token for a user (e.g. a node's bootstrap credential) and saves. */
  async addToken(user: string, groups: string[], token = randomBytes(32).toString("hex")): Promise<string> {
    this.entries.push({ token, user, uid: randomUUID(), groups });
    await this.save();
    return token;
  }

  /**
   * The user of an `Authorization: Bearer <token>` header, or undefined when
   * the header is absent, not a bearer header, or the token is unknown.
   * Callers treat undefined as `anonymousUser` (or 401 when a credential
   * was presented and refused).
   */
  authenticateBearer(authorizationHeader: string | undefined): UserInfo | undefined {
    const token = parseBearer(authorizationHeader);
    if (token === undefined) return undefined;
    // Hash both sides so every comparison has the same length.
    const presented = digest(token);
    let found: TokenEntry | undefined;
    for (const entry of this.entries) {
      if (timingSafeEqual(presented, digest(entry.token)) && !found) found = entry;
    }
    if (!found) return undefined;
    const groups = found.groups.includes(authenticatedGroup) ? found.groups : [...found.groups, authenticatedGroup];
    return { name: found.user, uid: found.uid, groups: [...groups] };
  }

  private async save(): Promise<void> {
    const dir = join(this.path, "..");
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const tmp = `${this.path}.tmp-${process.pid}`;
    const content: TokenFileContent = { tokens: this.entries };
    await writeFile(tmp, JSON.stringify(content, null, 2) + "\n", { mode: 0o600 });
    await chmod(tmp, 0o600);
    await rename(tmp, this.path);
  }
}

/** Loads `<dir>/tokens.json` and returns the admin token, creating it if needed. */
export async function ensureAdminToken(dir: string): Promise<string> {
  return (await TokenFile.load(dir)).ensureAdminToken();
}

export function parseBearer(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}
