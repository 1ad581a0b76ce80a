/**
 * `Transport` over `node:https` / `node:http` with one keep-alive agent per
 * client. Credentials follow the kubeconfig: a CA bundle to trust, a bearer
 * token, and/or a client certificate. Node-only; not exported from the
 * browser-safe `index.ts`.
 */
import * as http from "node:http";
import * as https from "node:https";
import type { IncomingMessage } from "node:http";
import { encodeQuery, splitLines, type Transport, type TransportRequest, type TransportResponse, type TransportStream } from "./transport.js";

export interface NodeTransportOptions {
  /** `https://host:port[/prefix]` or `http://…`. */
  server: string;
  caPem?: string;
  token?: string;
  clientCertPem?: string;
  clientKeyPem?: string;
  insecureSkipTlsVerify?: boolean;
  /** @default "skiff" */
  userAgent?: string;
}

export class NodeTransport implements Transport {
  private readonly base: URL;
  private readonly agent: http.Agent;
  private readonly secure: boolean;

  constructor(private readonly options: NodeTransportOptions) {
    this.base = new URL(options.server);
    this.secure = this.base.protocol === "https:";
    this.agent = this.secure
      ? new https.Agent({
          keepAlive: true,
          ...(options.caPem ? { ca: options.caPem } : {}),
          ...(options.clientCertPem ? { cert: options.clientCertPem } : {}),
          ...(options.clientKeyPem ? { key: options.clientKeyPem } : {}),
          rejectUnauthorized: !options.insecureSkipTlsVerify,
        })
      : new http.Agent({ keepAlive: true });
  }

  async request(req: TransportRequest): Promise<TransportResponse> {
    const res = await this.send(req);
    const chunks: Buffer[] = [];
    for await (const chunk of res) chunks.push(chunk as Buffer);
    return { status: res.statusCode ?? 0, headers: flatHeaders(res), body: Buffer.concat(chunks).toString("utf8") };
  }

  async stream(req: TransportRequest): Promise<TransportStream> {
    const res = await this.send(req);
    res.setEncoding("utf8");
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      res.destroy();
    };
    async function* text(): AsyncGenerator<string> {
      try {
        for await (const chunk of res) yield chunk as string;
      } catch (err) {
        // Our own close() (or an abort) ends the stream quietly; anything else is a real failure.
        if (!closed && !req.signal?.aborted) throw err;
      }
    }
    return { status: res.statusCode ?? 0, headers: flatHeaders(res), lines: splitLines(text()), close };
  }

  /** Frees pooled sockets so the process can exit. */
  destroy(): void {
    this.agent.destroy();
  }

  private send(req: TransportRequest): Promise<IncomingMessage> {
    const basePath = this.base.pathname.replace(/\/$/, "");
    const headers: Record<string, string> = {
      "user-agent": this.options.userAgent ?? "skiff",
      accept: "application/json",
      ...lowerKeys(req.headers ?? {}),
    };
    if (this.options.token) headers["authorization"] = `Bearer ${this.options.token}`;
    const body = typeof req.body === "string" ? Buffer.from(req.body, "utf8") : req.body;
    if (body) headers["content-length"] = String(body.byteLength);
    const options: https.RequestOptions = {
      method: req.method,
      protocol: this.base.protocol,
      hostname: this.base.hostname.replace(/^\[|\]$/g, ""),
      port: this.base.port || (this.secure ? 443 : 80),
      path: basePath + req.path + encodeQuery(req.query),
      headers,
      agent: this.agent,
      ...(req.signal ? { signal: req.signal } : {}),
    };
    return new Promise((resolve, reject) => {
      const r = (this.secure ? https : http).request(options, resolve);
      r.on("error", reject);
      if (body) r.write(body);
      r.end();
    });
  }
}

function lowerKeys(h: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
}

function flatHeaders(res: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers)) {
    if (v !== undefined) out[k] = Array.isArray(v) ? v.join(", ") : v;
  }
  return out;
}
