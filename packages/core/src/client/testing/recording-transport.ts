/**
 * A `Transport` fake for tests: records every request and answers from a
 * handler. Streams are answered with a fixed list of lines (watch events),
 * after which the stream ends, or stays open until closed when `hold` is set.
 */
import type { Transport, TransportRequest, TransportResponse, TransportStream } from "../transport.js";

export interface FakeReply {
  status?: number;
  headers?: Record<string, string>;
  /** Serialised as JSON unless already a string. */
  body?: unknown;
}

export interface FakeStreamReply extends FakeReply {
  lines?: unknown[];
}

export type FakeHandler = (req: TransportRequest) => FakeReply | FakeStreamReply | undefined;

export class RecordingTransport implements Transport {
  readonly requests: TransportRequest[] = [];

  constructor(private readonly handler: FakeHandler = () => undefined) {}

  async request(req: TransportRequest): Promise<TransportResponse> {
    this.requests.push(req);
    const reply = this.handler(req) ?? { status: 404, body: notFoundStatus(req.path) };
    return {
      status: reply.status ?? 200,
      headers: { "content-type": "application/json", ...(reply.headers ?? {}) },
      body: reply.body === undefined ? "" : typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body),
    };
  }

  async stream(req: TransportRequest): Promise<TransportStream> {
    this.requests.push(req);
    const reply = (this.handler(req) ?? { status: 404, body: notFoundStatus(req.path) }) as FakeStreamReply;
    const lines =
      reply.lines?.map((l) => (typeof l === "string" ? l : JSON.stringify(l))) ??
      (reply.body === undefined ? [] : [typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body)]);
    let closed = false;
    async function* iterate(): AsyncGenerator<string> {
      for (const line of lines) {
        if (closed) return;
        yield line;
      }
    }
    return {
      status: reply.status ?? 200,
      headers: { "content-type": "application/json", ...(reply.headers ?? {}) },
      lines: iterate(),
      close: () => {
        closed = true;
      },
    };
  }

  /** `METHOD path?query` of every request, for compact assertions. */
  summary(): string[] {
    return this.requests.map((r) => {
      const q = new URLSearchParams();
      for (const [k, v] of Object.entries(r.query ?? {})) {
        if (v === undefined) continue;
        if (Array.isArray(v)) v.forEach((x) => q.append(k, x));
        else q.append(k, String(v));
      }
      const qs = q.toString();
      return `${r.method} ${r.path}${qs ? "?" + decodeURIComponent(qs) : ""}`;
    });
  }
}

export function notFoundStatus(path: string): unknown {
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", reason: "NotFound", code: 404, message: `the server could not find the requested resource (get ${path})` };
}
