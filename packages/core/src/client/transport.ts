/**
 * The one seam between the REST client and the network. `RestClient` speaks
 * Kubernetes REST through it and knows nothing of TLS, agents or fetch; the
 * Node transport (`node-transport.ts`), a browser fetch transport and the
 * recording fake in `testing/` implement it.
 *
 * Contract: a transport never throws for an HTTP status — any answer is a
 * response; it throws only when no answer came (refused, reset, aborted).
 */

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** Query values; arrays repeat the key (`command=a&command=b`), undefined is left out. */
export type QueryValue = string | number | boolean | string[] | undefined;

export interface TransportRequest {
  method: HttpMethod;
  /** Absolute API path, e.g. `/api/v1/namespaces/default/pods`. */
  path: string;
  query?: Record<string, QueryValue>;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  signal?: AbortSignal;
}

export interface TransportResponse {
  status: number;
  /** Header names are lower-case. */
  headers: Record<string, string>;
  body: string;
}

export interface TransportStream {
  status: number;
  headers: Record<string, string>;
  /** The body split on `\n`, without the newlines; empty lines are skipped. Ends when the server ends the response. */
  lines: AsyncIterable<string>;
  /** Ends the stream; pending iteration finishes without error. */
  close(): void;
}

export interface Transport {
  request(req: TransportRequest): Promise<TransportResponse>;
  /** For watches and followed logs: the response is read line by line as it arrives. */
  stream(req: TransportRequest): Promise<TransportStream>;
}

/** `?a=1&b=x&b=y`, or "" when nothing is set. */
export function encodeQuery(query: Record<string, QueryValue> | undefined): string {
  if (!query) return "";
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) params.append(key, v);
    else params.append(key, String(value));
  }
  const s = params.toString();
  return s ? `?${s}` : "";
}

/** Splits a stream of text chunks into lines, carrying partial lines across chunks. */
export async function* splitLines(chunks: AsyncIterable<string>): AsyncGenerator<string> {
  let rest = "";
  for await (const chunk of chunks) {
    rest += chunk;
    let nl: number;
    while ((nl = rest.indexOf("\n")) >= 0) {
      const line = rest.slice(0, nl).replace(/\r$/, "");
      rest = rest.slice(nl + 1);
      if (line) yield line;
    }
  }
  const last = rest.replace(/\r$/, "");
  if (last) yield last;
}
