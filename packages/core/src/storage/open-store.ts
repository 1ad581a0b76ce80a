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

type Opener = (rest: string, options: OpenStoreOptions) => Store;

const openers: Record<string, Opener> = {
  sqlite: (rest, options) => new SqliteStore(sqlitePath(rest), options.sqlite),
  etcd: (rest, options) => new EtcdStore(etcdOptions("http", rest, options)),
  "etcd+http": (rest, options) => new EtcdStore(etcdOptions("http", rest, options)),
  "etcd+https": (rest, options) => new EtcdStore(etcdOptions("https", rest, options)),
};

/** The URL schemes `openStore` understands. */
export const storeSchemes = Object.keys(openers);

export async function openStore(url: string, options: OpenStoreOptions = {}): Promise<Store> {
  const match = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i.exec(url);
  const opener = match ? openers[match[1]!.toLowerCase()] : undefined;
  if (!match || !opener) {
    throw new Error(
      `unsupported store URL ${JSON.stringify(redact(url))}: expected one of ${storeSchemes.map((s) => `${s}://…`).join(", ")}`,
    );
  }
  return opener(match[2]!, options);
}

function sqlitePath(rest: string): string {
  if (rest === "") throw new Error("sqlite store URL needs a path, e.g. sqlite:///var/lib/skiff/state.db");
  if (rest === ":memory:") return rest;
  return resolve(decodeURIComponent(rest));
}

function etcdOptions(scheme: "http" | "https", rest: string, options: OpenStoreOptions): EtcdStoreOptions {
  const slash = rest.indexOf("/");
  const hosts = slash === -1 ? rest : rest.slice(0, slash);
  const path = slash === -1 ? "" : rest.slice(slash);
  const endpoints = hosts
    .split(",")
    .map((host) => host.trim())
    .filter((host) => host !== "")
    .map((host) => `${scheme}://${host.includes("@") ? host.slice(host.lastIndexOf("@") + 1) : host}`);
  if (endpoints.length === 0) throw new Error("etcd store URL needs at least one host:port, e.g. etcd://127.0.0.1:2379");
  const prefix = path === "" || path === "/" ? options.etcd?.prefix : decodeURIComponent(path.replace(/\/+$/, ""));
  return { ...options.etcd, endpoints, ...(prefix === undefined ? {} : { prefix }) };
}

/** Hides credentials (user:password@) when a URL is quoted in an error. */
function redact(url: string): string {
  return url.replace(/\/\/[^/@]*@/, "//***@");
}
