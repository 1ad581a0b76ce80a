import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { NodeTransport } from "./node-transport.js";

test("requests carry the bearer token and query; streams deliver lines as they arrive", async () => {
  const seen: { url?: string; auth?: string; body?: string }[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      seen.push({ url: req.url, auth: req.headers.authorization, body });
      if (req.url?.includes("watch=true")) {
        res.writeHead(200, { "content-type": "application/json" });
        res.flushHeaders();
        res.write('{"type":"ADDED","object":{}}\n{"type":"MOD');
        setImmediate(() => res.write('IFIED","object":{}}\n'));
        // Left open: the client must be able to close it.
        return;
      }
      res.writeHead(201, { "content-type": "application/json" });
      res.end('{"ok":true}');
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  const t = new NodeTransport({ server: `http://127.0.0.1:${port}/prefix`, token: "abc" });
  try {
    const res = await t.request({ method: "POST", path: "/api/v1/pods", query: { a: "1 2", b: ["x", "y"], c: undefined }, body: "{}" });
    assert.equal(res.status, 201);
    assert.equal(res.body, '{"ok":true}');
    assert.deepEqual(seen[0], { url: "/prefix/api/v1/pods?a=1+2&b=x&b=y", auth: "Bearer abc", body: "{}" });

    const s = await t.stream({ method: "GET", path: "/api/v1/pods", query: { watch: "true" } });
    const lines: string[] = [];
    for await (const line of s.lines) {
      lines.push(line);
      if (lines.length === 2) s.close();
    }
    assert.deepEqual(lines.map((l) => JSON.parse(l).type), ["ADDED", "MODIFIED"]);
  } finally {
    t.destroy();
    server.closeAllConnections();
    server.close();
  }
});
