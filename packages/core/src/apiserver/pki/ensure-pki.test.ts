import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, stat, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer, connect, type TLSSocket } from "node:tls";
import { X509Certificate } from "node:crypto";
import { ensurePki, pkiFiles } from "./ensure-pki.js";
import { issueClientCertificate } from "./issue-certificate.js";

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const base = await mkdtemp(join(tmpdir(), "skiff-pki-"));
  try {
    await fn(join(base, "pki"));
  } finally {
    await rm(base, { recursive: true, force: true });
  }
}

test("first start writes CA and serving certificate with private modes", () =>
  withDir(async (dir) => {
    const pki = await ensurePki(dir, { hosts: ["skiff.example"], ips: ["10.1.2.3"], hostname: "node-a" });
    assert.equal((await stat(dir)).mode & 0o777, 0o700);
    assert.equal((await stat(join(dir, pkiFiles.caKey))).mode & 0o777, 0o600);
    assert.equal((await stat(join(dir, pkiFiles.key))).mode & 0o777, 0o600);
    assert.equal(await readFile(join(dir, pkiFiles.caCert), "utf8"), pki.caCertPem);

    const ca = new X509Certificate(pki.caCertPem);
    const serving = new X509Certificate(pki.certPem);
    assert.equal(ca.ca, true);
    assert.equal(serving.ca, false);
    assert.ok(serving.checkIssued(ca));
    assert.ok(serving.verify(ca.publicKey));
    const san = serving.subjectAltName ?? "";
    for (const want of [
      "DNS:localhost",
      "DNS:node-a",
      "DNS:kubernetes.default.svc.cluster.local",
      "DNS:skiff.example",
      "IP Address:127.0.0.1",
      "IP Address:0:0:0:0:0:0:0:1",
      "IP Address:10.1.2.3",
    ]) {
      assert.ok(san.includes(want), `${want} in ${san}`);
    }
    assert.ok(serving.keyUsage?.includes("1.3.6.1.5.5.7.3.1"), "serverAuth EKU");
    const years = (Date.parse(ca.validTo) - Date.now()) / (365 * 24 * 3600 * 1000);
    assert.ok(years > 9.9 && years < 10.1);
  }));

test("a later start reuses the CA and the serving certificate", () =>
  withDir(async (dir) => {
    const first = await ensurePki(dir, { hosts: [], ips: [], hostname: "h" });
    const second = await ensurePki(dir, { hosts: [], ips: [], hostname: "h" });
    assert.equal(second.caCertPem, first.caCertPem);
    assert.equal(second.caKeyPem, first.caKeyPem);
    assert.equal(second.certPem, first.certPem);
  }));

test("a changed SAN set or a near expiry re-issues only the serving certificate", () =>
  withDir(async (dir) => {
    const first = await ensurePki(dir, { hosts: [], ips: [], hostname: "h" });
    const moreIps = await ensurePki(dir, { hosts: [], ips: ["192.168.0.9"], hostname: "h" });
    assert.equal(moreIps.caCertPem, first.caCertPem);
    assert.notEqual(moreIps.certPem, first.certPem);
    assert.ok(new X509Certificate(moreIps.certPem).subjectAltName?.includes("IP Address:192.168.0.9"));

    const in340Days = new Date(Date.now() + 340 * 24 * 3600 * 1000);
    const renewed = await ensurePki(dir, { hosts: [], ips: ["192.168.0.9"], hostname: "h", now: in340Days });
    assert.equal(renewed.caCertPem, first.caCertPem);
    assert.notEqual(renewed.certPem, moreIps.certPem);
  }));

test("a TLS client trusting ca.crt verifies the serving certificate", () =>
  withDir(async (dir) => {
    const pki = await ensurePki(dir, { hosts: [], ips: [], hostname: "h" });
    const client = await issueClientCertificate(pki, "system:node:n1", ["system:nodes"]);
    const server = createServer(
      { cert: pki.certPem, key: pki.keyPem, ca: pki.caCertPem, requestCert: true, rejectUnauthorized: true },
      (socket) => {
        const peer = socket.getPeerCertificate();
        socket.end(`${peer.subject.CN}|${[peer.subject.O].flat().join(",")}`);
      },
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const reply = await new Promise<string>((resolve, reject) => {
        const socket: TLSSocket = connect({
          host: "127.0.0.1",
          port,
          servername: "kubernetes.default.svc",
          ca: pki.caCertPem,
          cert: client.certPem,
          key: client.keyPem,
        });
        let data = "";
        socket.on("data", (d) => (data += d));
        socket.on("end", () => resolve(data));
        socket.on("error", reject);
      });
      assert.equal(reply, "system:node:n1|system:nodes");
    } finally {
      server.close();
    }
  }));
