/**
 * The one place a backend is chosen: by the scheme of the store URL.
 *
 *   sqlite:///abs/path/state.db   embedded SQLite file (absolute path)
 *   sqlite://relative/state.db    … relative to the working directory
 *   sqlite://:memory:             private in-memory database (tests)
 *   etcd://host:port[,host:port][/prefix]        etcd over plain gRPC
 *   etcd+https://host:port[,host:port][/prefix]  etcd over TLS (`options.etcd.tls`)
 *
 * An etcd URL's path, if any, becomes the key prefix in etcd.
 */
import { resolve } from "node:path";
import { EtcdStore } from "./etcd/etcd-store.js";
import type { EtcdStoreOptions } from "./etcd/etcd-store-options.js";
import { SqliteStore } from "./sqlite/sqlite-store.js";
import type { SqliteStoreOptions } from "./sqlite/sqlite-store-options.js";
import type { Store } from "./store.js";

export interface OpenStoreOptions {
  /** Options for `sqlite://` URLs. */
  sqlite?: SqliteStoreOptions;
  /** Options for `etcd://` URLs; endpoints come from the URL, and a prefix in the URL wins over this one. */
  etcd?: Omit<EtcdStoreOptions, "endpoints">;
}

/** What a store URL names. */
export type StoreLocation =
  | { backend: "sqlite"; path: string }
  | { backend: "etcd"; endpoints: string[]; prefix?: string };

type Parser = (rest: string) => StoreLocation;

const parsers: Record<string, Parser> = {
  sqlite: (rest) => ({ backend: "sqlite", path: sqlitePath(rest) }),
  etcd: (rest) => etcdLocation("http", rest),
  "etcd+http": (rest) => etcdLocation("http", rest),
  "etcd+https": (rest) => etcdLocation("https", rest),
};

/** The URL schemes `openStore` understands. */
export const storeSchemes = Object.keys(parsers);

export function parseStoreUrl(url: string): StoreLocation {
  const match = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i.exec(url);
  const parser = match ? parsers[match[1]!.toLowerCase()] : undefined;
  if (!match || !parser) {
    throw new Error(
      `unsupported store URL ${JSON.stringify(redactStoreUrl(url))}: expected one of ${storeSchemes.map((s) => `${s}://…`).join(", ")}`,
    );
  }
  return parser(match[2]!);
}

export async function openStore(url: string, options: OpenStoreOptions = {}): Promise<Store> {
  const location = parseStoreUrl(url);
  switch (location.backend) {
    case "sqlite":
      return new SqliteStore(location.path, options.sqlite);
    case "etcd": {
      const prefix = location.prefix ?? options.etcd?.prefix;
      return new EtcdStore({ ...options.etcd, endpoints: location.endpoints, ...(prefix === undefined ? {} : { prefix }) });
    }
  }
}

/** Hides credentials (user:password@) when a store URL is logged or quoted in an error. */
export function redactStoreUrl(url: string): string {
  return url.replace(/\/\/[^/@]*@/, "//***@");
}

function sqlitePath(rest: string): string {
  if (rest === "") throw new Error("a sqlite store URL needs a path, e.g. sqlite:///var/lib/skiff/state.db");
  if (rest === ":memory:") return rest;
  return resolve(decodeURIComponent(rest));
}

function etcdLocation(scheme: "http" | "https", rest: string): StoreLocation {
  const slash = rest.indexOf("/");
  const hosts = slash === -1 ? rest : rest.slice(0, slash);
  const path = slash === -1 ? "" : rest.slice(slash).replace(/\/+$/, "");
  const endpoints = hosts
    .split(",")
    .map((host) => host.trim())
    .filter((host) => host !== "")
    .map((host) => `${scheme}://${host}`);
  if (endpoints.length === 0) throw new Error("an etcd store URL needs at least one host:port, e.g. etcd://127.0.0.1:2379");
  return path === "" ? { backend: "etcd", endpoints } : { backend: "etcd", endpoints, prefix: decodeURIComponent(path) };
}
