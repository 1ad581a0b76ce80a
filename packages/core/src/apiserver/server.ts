/**
 * The HTTP edge of the API server: TLS, authentication, routing of
 * non-resource paths (version, health, metrics, discovery, OpenAPI) and of
 * resource paths to the one generic handler, and the mapping of every error
 * to a `Status`. Business logic lives elsewhere: this server only stores
 * desired state; controllers converge.
 */
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { createHash } from "node:crypto";
import { ApiError, errors } from "../api/errors.js";
import type { KubeObject } from "../api/object.js";
import { openApiV3Document } from "../api/openapi/index.js";
import type { Store } from "../storage/index.js";
import { logger } from "../util/logger.js";
import { realClock, type Clock } from "../util/clock.js";
import { parseRequestInfo } from "./request-info.js";
import { parseAccept } from "./codec.js";
import { ResourceCatalog } from "./resource-catalog.js";
import { ObjectStore } from "./object-store.js";
import { handleResource, sendJson, type HandlerDeps, type RequestContext } from "./handler/index.js";
import {
  aggregatedContentType,
  aggregatedDiscovery,
  legacyApiGroup,
  legacyApiGroupList,
  legacyApiVersions,
  legacyResourceList,
} from "./discovery.js";
import { ApiServerMetrics } from "./metrics.js";
import { resolveApiServerOptions, type ApiServerOptions, type ResolvedApiServerOptions } from "./options.js";
import { anonymousUser, type UserInfo, type TokenFile } from "./authn/index.js";
import type { Pki } from "./pki/index.js";
import { RbacAuthorizer, RbacCache, attributesFrom, ensureBootstrapPolicy, forbiddenError } from "./authz/index.js";
import { rfc3339 } from "./handler/write-pipeline.js";

const log = logger("apiserver");

/** What `/version` reports. kubectl's dispatcher picks its binary by the minor version. */
export const serverVersion = {
  major: "1",
  minor: "32",
  gitVersion: "v1.32.0-skiff",
  gitCommit: "0000000000000000000000000000000000000000",
  gitTreeState: "clean",
  buildDate: "2026-01-01T00:00:00Z",
  goVersion: "go1.23.4",
  compiler: "gc",
  platform: "linux/amd64",
};

export interface ApiServerDeps {
  store: Store;
  /** Serving certificate; required when options.tls is true. */
  pki?: Pki;
  tokens: TokenFile;
  clock?: Clock;
}

export class ApiServer {
  readonly options: ResolvedApiServerOptions;
  readonly catalog = new ResourceCatalog();
  readonly metrics = new ApiServerMetrics();
  private readonly objects: ObjectStore;
  private readonly clock: Clock;
  private server: Server | undefined;
  private crdWatch: AbortController | undefined;
  private compactTimer: NodeJS.Timeout | undefined;
  private openApiCache = new Map<string, { body: string; hash: string }>();
  private ready = false;
  private readonly rbac: RbacCache;
  private readonly authorizer: RbacAuthorizer;
  private readonly rbacStop = new AbortController();

  constructor(
    private readonly deps: ApiServerDeps,
    options: ApiServerOptions = {},
  ) {
    this.options = resolveApiServerOptions(options);
    this.objects = new ObjectStore(deps.store);
    this.clock = deps.clock ?? realClock;
    this.catalog.onChange(() => this.openApiCache.clear());
    this.rbac = new RbacCache(this.objects, this.catalog, { clock: this.clock });
    this.authorizer = new RbacAuthorizer(this.rbac);
    if (this.options.tls && !deps.pki) throw new Error("ApiServer: TLS needs a PKI");
  }

  /** Loads CRDs, creates the system namespaces, then listens. Resolves with the bound port. */
  async start(): Promise<number> {
    await this.loadCrds();
    await this.bootstrapNamespaces();
    const policy = await ensureBootstrapPolicy(this.objects, this.catalog, this.clock);
    if (policy.created.length) log.info({ created: policy.created.length }, "bootstrap RBAC policy written");
    await this.rbac.start(this.rbacStop.signal);
    const handler = (req: IncomingMessage, res: ServerResponse) => void this.handle(req, res);
    this.server = this.options.tls
      ? createHttpsServer({ cert: this.deps.pki!.certPem, key: this.deps.pki!.keyPem }, handler)
      : createHttpServer(handler);
    this.server.keepAliveTimeout = 65_000;
    this.server.requestTimeout = 0; // watches are long-lived
    await new Promise<void>((resolve, reject) => {
      this.server!.once("error", reject);
      this.server!.listen(this.options.port, this.options.host, () => resolve());
    });
    if (this.options.compactIntervalMs > 0) {
      this.compactTimer = setInterval(() => void this.compact(), this.options.compactIntervalMs);
      this.compactTimer.unref();
    }
    this.ready = true;
    const port = (this.server.address() as AddressInfo).port;
    log.info({ host: this.options.host, port, tls: this.options.tls }, "API server listening");
    return port;
  }

  async stop(): Promise<void> {
    this.ready = false;
    this.crdWatch?.abort();
    this.rbacStop.abort();
    if (this.compactTimer) clearInterval(this.compactTimer);
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private async compact(): Promise<void> {
    try {
      const head = await this.deps.store.currentRevision();
      const target = head - this.options.compactRetainRevisions;
      if (target > (await this.deps.store.compactedRevision())) await this.deps.store.compact(target);
    } catch (err) {
      log.warn({ err }, "compaction failed");
    }
  }

  private async bootstrapNamespaces(): Promise<void> {
    const info = this.catalog.lookup("", "v1", "namespaces")!.info;
    for (const name of ["default", "kube-system", "kube-public", "kube-node-lease"]) {
      if (await this.objects.tryGet(info, "", name)) continue;
      const ns: KubeObject = {
        apiVersion: "v1",
        kind: "Namespace",
        metadata: {
          name,
          uid: crypto.randomUUID(),
          creationTimestamp: rfc3339(this.clock.now()) as never,
          labels: { "kubernetes.io/metadata.name": name },
        },
        spec: { finalizers: ["kubernetes"] },
        status: { phase: "Active" },
      };
      try {
        await this.objects.create(info, ns);
      } catch (err) {
        if (!(err instanceof ApiError && err.reason === "AlreadyExists")) throw err;
      }
    }
  }

  /** Serves every stored CRD and follows changes made through any API server sharing the store. */
  private async loadCrds(): Promise<void> {
    const served = this.catalog.lookup("apiextensions.k8s.io", "v1", "customresourcedefinitions")!;
    const list = await this.objects.list(served.info, "", {});
    for (const crd of list.items) this.serveCrd(crd);
    this.crdWatch = new AbortController();
    const signal = this.crdWatch.signal;
    void (async () => {
      let from = list.revision;
      for (;;) {
        try {
          for await (const ev of this.objects.watch(served.info, "", from, signal)) {
            from = ev.revision;
            if (ev.type === "DELETED") this.catalog.removeCrd(ev.object.metadata.name!);
            else this.serveCrd(ev.object);
          }
          return;
        } catch (err) {
          if (signal.aborted) return;
          log.warn({ err }, "CRD watch ended; relisting");
          const again = await this.objects.list(served.info, "", {});
          for (const crd of again.items) this.serveCrd(crd);
          from = again.revision;
        }
      }
    })();
  }

  private serveCrd(crd: KubeObject): void {
    try {
      if (crd.metadata.deletionTimestamp) return;
      this.catalog.setCrd(crd);
    } catch (err) {
      log.error({ err, crd: crd.metadata.name }, "cannot serve CustomResourceDefinition");
    }
  }

  private async onCrdWritten(crd: KubeObject, deleted: boolean): Promise<void> {
    const name = crd.metadata.name!;
    if (!deleted && !crd.metadata.deletionTimestamp) {
      this.serveCrd(crd);
      return;
    }
    // Deleting a CRD deletes every object of it, then stops serving it.
    const spec = crd["spec"] as { group: string; names: { plural: string } };
    const versions = this.catalog.versionsOf(spec.group, spec.names.plural);
    if (versions[0]) {
      const page = await this.objects.list(versions[0].info, "", {});
      for (const obj of page.items) {
        try {
          await this.objects.delete(versions[0].info, obj.metadata.namespace ?? "", obj.metadata.name!);
        } catch {
          // already gone
        }
      }
    }
    this.catalog.removeCrd(name);
  }

  private handlerDeps(): HandlerDeps {
    return {
      catalog: this.catalog,
      objects: this.objects,
      clock: this.clock,
      maxBodyBytes: this.options.maxBodyBytes,
      bookmarkIntervalMs: this.options.bookmarkIntervalMs,
      onCrdWritten: (crd, deleted) => this.onCrdWritten(crd, deleted),
    };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const url = new URL(req.url ?? "/", "https://localhost");
    const info = parseRequestInfo(req.method ?? "GET", url.pathname, url.searchParams);
    const labels = info.isResource
      ? {
          verb: metricVerb(req, info.verb),
          group: info.group,
          version: info.version,
          resource: info.resource,
          subresource: info.subresource,
          scope: info.name ? "resource" : info.namespace ? "namespace" : "cluster",
        }
      : { verb: req.method ?? "GET", group: "", version: "", resource: "", subresource: "", scope: "" };
    const warnings: string[] = [];
    try {
      const user = this.authenticate(req, url.pathname);
      this.authorize(user, info, req.method ?? "GET", url);
      if (!info.isResource) {
        await this.handleNonResource(req, res, url, user);
      } else {
        const served = this.catalog.lookup(info.group, info.version, info.resource);
        if (!served) {
          throw new ApiError("NotFound", "the server could not find the requested resource", {
            group: info.group,
            kind: info.resource,
            name: info.name,
          });
        }
        const ctx: RequestContext = {
          req,
          res,
          info,
          query: url.searchParams,
          accept: parseAccept(req.headers.accept),
          user,
          served,
          deps: this.handlerDeps(),
          warnings,
        };
        await handleResource(ctx);
      }
    } catch (err) {
      this.sendError(res, err, req, warnings);
    } finally {
      this.metrics.requests.inc({ ...labels, code: String(res.statusCode) });
      if (labels.verb !== "WATCH") this.metrics.duration.observe(labels, (performance.now() - started) / 1000);
      log.debug({ method: req.method, path: url.pathname, code: res.statusCode, ms: Math.round(performance.now() - started) }, "request");
    }
  }

  /** Bearer tokens; public health and version endpoints allow anonymous access. */
  private authenticate(req: IncomingMessage, path: string): UserInfo {
    const header = req.headers.authorization;
    const user = this.deps.tokens.authenticateBearer(header);
    if (user) return user;
    if (header) throw errors.unauthorized();
    if (publicPaths.has(path) || path.startsWith("/livez") || path.startsWith("/readyz") || path.startsWith("/healthz")) {
      return anonymousUser;
    }
    throw errors.unauthorized();
  }

  /** RBAC, before anything is looked up (upstream answers 403 before 404). */
  private authorize(user: UserInfo, info: ReturnType<typeof parseRequestInfo>, method: string, url: URL): void {
    const attrs = attributesFrom(user, info, method, { path: url.pathname, query: url.searchParams });
    const decision = this.authorizer.authorize(attrs);
    if (!decision.allowed) throw forbiddenError(attrs, decision.reason);
    // Streaming pod subresources opened with GET (WebSocket) also need "create", as upstream 1.31+.
    if (attrs.resourceRequest && attrs.resource === "pods" && attrs.verb === "get" && ["exec", "attach", "portforward"].includes(attrs.subresource)) {
      const create = this.authorizer.authorize({ ...attrs, verb: "create" });
      if (!create.allowed) throw forbiddenError({ ...attrs, verb: "create" }, create.reason);
    }
  }

  private sendError(res: ServerResponse, err: unknown, req: IncomingMessage, warnings: string[]): void {
    let apiErr: ApiError;
    if (err instanceof ApiError) apiErr = err;
    else {
      log.error({ err, method: req.method, url: req.url }, "internal error");
      apiErr = errors.internal();
    }
    if (res.headersSent) {
      if (!res.writableEnded) res.end();
      return;
    }
    sendJson({ res, warnings }, apiErr.code, apiErr.toStatus());
  }

  private async handleNonResource(req: IncomingMessage, res: ServerResponse, url: URL, user: UserInfo): Promise<void> {
    void user;
    const path = url.pathname.replace(/\/+$/, "") || "/";
    if (req.method !== "GET" && req.method !== "HEAD") throw errors.methodNotAllowed(`${req.method} is not supported on ${path}`);
    const accept = parseAccept(req.headers.accept);
    const parts = path.split("/").filter(Boolean);

    if (path === "/version") return sendJson({ res }, 200, serverVersion);
    if (path === "/healthz" || path === "/livez" || path === "/readyz" || /^\/(healthz|livez|readyz)\/.+/.test(path)) {
      const ok = path.startsWith("/readyz") ? this.ready : true;
      res.writeHead(ok ? 200 : 500, { "Content-Type": "text/plain; charset=utf-8" });
      res.end(ok ? "ok" : "not ready");
      return;
    }
    if (path === "/metrics") {
      const text = await this.metrics.registry.metrics();
      res.writeHead(200, { "Content-Type": this.metrics.registry.contentType });
      res.end(text);
      return;
    }
    if (path === "/api") {
      if (accept.discovery) return this.sendDiscovery(res, aggregatedDiscovery(this.catalog, true, accept.discovery), accept.discovery);
      const host = req.headers.host ?? `127.0.0.1:${this.options.port}`;
      return sendJson({ res }, 200, legacyApiVersions(host));
    }
    if (path === "/apis") {
      if (accept.discovery) return this.sendDiscovery(res, aggregatedDiscovery(this.catalog, false, accept.discovery), accept.discovery);
      return sendJson({ res }, 200, legacyApiGroupList(this.catalog));
    }
    if (parts[0] === "api" && parts.length === 2) {
      const doc = legacyResourceList(this.catalog, "", parts[1]!);
      if (doc) return sendJson({ res }, 200, doc);
    }
    if (parts[0] === "apis" && parts.length === 2) {
      const doc = legacyApiGroup(this.catalog, parts[1]!);
      if (doc) return sendJson({ res }, 200, doc);
    }
    if (parts[0] === "apis" && parts.length === 3) {
      const doc = legacyResourceList(this.catalog, parts[1]!, parts[2]!);
      if (doc) return sendJson({ res }, 200, doc);
    }
    if (path === "/openapi/v3") return sendJson({ res }, 200, this.openApiIndex());
    if (parts[0] === "openapi" && parts[1] === "v3" && parts.length >= 3) {
      const gvPath = parts.slice(2).join("/");
      const doc = this.openApiDoc(gvPath);
      if (doc) {
        res.writeHead(200, {
          "Content-Type": "application/json",
          "Cache-Control": url.searchParams.has("hash") ? "public, immutable" : "no-cache, private",
          ETag: `"${doc.hash}"`,
        });
        res.end(doc.body);
        return;
      }
    }
    throw new ApiError("NotFound", "the server could not find the requested resource");
  }

  private sendDiscovery(res: ServerResponse, body: unknown, version: "v2" | "v2beta1"): void {
    const text = JSON.stringify(body);
    res.writeHead(200, { "Content-Type": aggregatedContentType(version), "Content-Length": Buffer.byteLength(text) });
    res.end(text);
  }

  private openApiIndex(): unknown {
    const paths: Record<string, { serverRelativeURL: string }> = {};
    for (const gv of this.catalog.groupVersions()) {
      const key = gv.group ? `apis/${gv.group}/${gv.version}` : `api/${gv.version}`;
      const doc = this.openApiDoc(key)!;
      paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${doc.hash}` };
    }
    return { paths };
  }

  /** The OpenAPI v3 document of one group/version ("api/v1", "apis/apps/v1"), cached until the catalog changes. */
  private openApiDoc(gvPath: string): { body: string; hash: string } | undefined {
    const cached = this.openApiCache.get(gvPath);
    if (cached) return cached;
    const parts = gvPath.split("/");
    let group: string;
    let version: string;
    if (parts[0] === "api" && parts.length === 2) [group, version] = ["", parts[1]!];
    else if (parts[0] === "apis" && parts.length === 3) [group, version] = [parts[1]!, parts[2]!];
    else return undefined;
    const resources = this.catalog.resourcesIn(group, version);
    if (resources.length === 0) return undefined;
    const extra: Record<string, unknown> = {};
    for (const r of resources) {
      if (!r.crdName) continue;
      extra[customSchemaName(r.info.group, r.info.version, r.info.kind)] = {
        ...(r.rawSchema as object | undefined),
        "x-kubernetes-group-version-kind": [{ group: r.info.group, version: r.info.version, kind: r.info.kind }],
      };
    }
    const doc = openApiV3Document(group, version, resources.map((r) => r.info), extra);
    const body = JSON.stringify(doc);
    const entry = { body, hash: createHash("sha512").update(body).digest("hex").toUpperCase() };
    this.openApiCache.set(gvPath, entry);
    return entry;
  }
}

/** kube-apiserver's metric verb: the HTTP method, except LIST, WATCH and APPLY. */
function metricVerb(req: IncomingMessage, verb: string): string {
  if (verb === "list" || verb === "watch") return verb.toUpperCase();
  if (verb === "patch" && (req.headers["content-type"] ?? "").startsWith("application/apply-patch")) return "APPLY";
  return req.method ?? "GET";
}

const publicPaths = new Set(["/version", "/healthz", "/livez", "/readyz"]);

/** Upstream names CR schemas `<reversed group>.<version>.<Kind>`, e.g. `com.example.v1.Widget`. */
export function customSchemaName(group: string, version: string, kind: string): string {
  return `${group.split(".").reverse().join(".")}.${version}.${kind}`;
}
