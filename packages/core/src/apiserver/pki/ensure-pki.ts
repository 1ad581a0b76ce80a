/**
 * The cluster's TLS material, created on first start and reused afterwards:
 *
 *   <dir>/ca.crt, ca.key               cluster CA (10 years)
 *   <dir>/apiserver.crt, apiserver.key serving certificate (1 year), signed by the CA
 *
 * Keys are written 0600 and the folder 0700. The serving certificate is
 * re-issued when it expires within 30 days, when its SAN set differs from
 * the one wanted now (a new --tls-san, a new host IP), or when it was not
 * signed by the CA on disk. The CA itself is only created when missing, so
 * kubeconfigs and joined nodes keep trusting the server across restarts.
 */
import { mkdir, readFile, rename, writeFile, chmod } from "node:fs/promises";
import { hostname } from "node:os";
import { isIP } from "node:net";
import { join } from "node:path";
import * as x509 from "@peculiar/x509";
import { generateKeyPair, privateKeyToPem, signingAlgorithm } from "./ecdsa-key.js";
import { backdateMs, dayMs, issueCertificate, randomSerial } from "./issue-certificate.js";

/** PEM strings of the cluster CA and the API server's serving certificate. */
export interface Pki {
  caCertPem: string;
  caKeyPem: string;
  certPem: string;
  keyPem: string;
}

export interface PkiOptions {
  /** Extra DNS names for the serving certificate. */
  hosts: string[];
  /** Extra IP addresses for the serving certificate. */
  ips: string[];
  /** Defaults to the current time; tests pass a fixed one. */
  now?: Date;
  /** Defaults to the machine's host name. */
  hostname?: string;
}

export const pkiFiles = {
  caCert: "ca.crt",
  caKey: "ca.key",
  cert: "apiserver.crt",
  key: "apiserver.key",
} as const;

const caDays = 3650;
const servingDays = 365;
const renewBeforeDays = 30;

/** The names every Skiff API server answers to, plus the configured extras. */
export function servingNames(options: PkiOptions): { dnsNames: string[]; ips: string[] } {
  const dns = new Set<string>([
    "localhost",
    options.hostname ?? hostname(),
    "kubernetes",
    "kubernetes.default",
    "kubernetes.default.svc",
    "kubernetes.default.svc.cluster.local",
  ]);
  const ips = new Set<string>(["127.0.0.1", "::1"]);
  for (const h of options.hosts) {
    // A host given as an IP belongs in the IP SANs, where TLS clients look for it.
    if (isIP(h)) ips.add(normalizeIp(h));
    else if (h) dns.add(h.toLowerCase());
  }
  for (const ip of options.ips) if (ip) ips.add(normalizeIp(ip));
  return { dnsNames: [...dns].filter(Boolean), ips: [...ips] };
}

export async function ensurePki(dir: string, options: PkiOptions): Promise<Pki> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  const now = options.now ?? new Date();

  let ca = await readPair(join(dir, pkiFiles.caCert), join(dir, pkiFiles.caKey));
  let caCreated = false;
  if (!ca) {
    const created = await createCa(now);
    await writePem(join(dir, pkiFiles.caKey), created.keyPem, 0o600);
    await writePem(join(dir, pkiFiles.caCert), created.certPem, 0o644);
    ca = created;
    caCreated = true;
  }
  const authority = { caCertPem: ca.certPem, caKeyPem: ca.keyPem };

  const wanted = servingNames(options);
  let serving = await readPair(join(dir, pkiFiles.cert), join(dir, pkiFiles.key));
  if (caCreated || !serving || !(await servingStillGood(serving.certPem, ca.certPem, wanted, now))) {
    serving = await issueCertificate(authority, {
      commonName: "kube-apiserver",
      dnsNames: wanted.dnsNames,
      ips: wanted.ips,
      usage: "serverAuth",
      days: servingDays,
      now,
    });
    await writePem(join(dir, pkiFiles.key), serving.keyPem, 0o600);
    await writePem(join(dir, pkiFiles.cert), serving.certPem, 0o644);
  }
  return { ...authority, certPem: serving.certPem, keyPem: serving.keyPem };
}

async function createCa(now: Date): Promise<{ certPem: string; keyPem: string }> {
  const keys = await generateKeyPair();
  const name = `CN=skiff-ca-${Math.floor(now.getTime() / 1000)}`;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name,
    notBefore: new Date(now.getTime() - backdateMs),
    notAfter: new Date(now.getTime() + caDays * dayMs),
    keys,
    signingAlgorithm,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false),
    ],
  });
  return { certPem: cert.toString("pem"), keyPem: await privateKeyToPem(keys.privateKey) };
}

async function servingStillGood(
  certPem: string,
  caCertPem: string,
  wanted: { dnsNames: string[]; ips: string[] },
  now: Date,
): Promise<boolean> {
  let cert: x509.X509Certificate;
  try {
    cert = new x509.X509Certificate(certPem);
  } catch {
    return false;
  }
  if (cert.notAfter.getTime() - now.getTime() < renewBeforeDays * dayMs) return false;
  const ca = new x509.X509Certificate(caCertPem);
  if (!(await cert.verify({ publicKey: ca.publicKey, signatureOnly: true }))) return false;
  const san = cert.getExtension(x509.SubjectAlternativeNameExtension);
  const have = new Set<string>();
  for (const n of san?.names.toJSON() ?? []) {
    if (n.type === "dns") have.add(`dns:${n.value.toLowerCase()}`);
    if (n.type === "ip") have.add(`ip:${normalizeIp(n.value)}`);
  }
  const want = new Set<string>([
    ...wanted.dnsNames.map((d) => `dns:${d.toLowerCase()}`),
    ...wanted.ips.map((ip) => `ip:${normalizeIp(ip)}`),
  ]);
  return have.size === want.size && [...want].every((w) => have.has(w));
}

/** One spelling per address, so `::1` and `0:0:0:0:0:0:0:1` compare equal. */
export function normalizeIp(ip: string): string {
  if (isIP(ip) === 6) return new URL(`http://[${ip}]/`).hostname.slice(1, -1);
  return ip;
}

async function readPair(certPath: string, keyPath: string): Promise<{ certPem: string; keyPem: string } | undefined> {
  try {
    const [certPem, keyPem] = await Promise.all([readFile(certPath, "utf8"), readFile(keyPath, "utf8")]);
    return { certPem, keyPem };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}

/** Write-then-rename, so a crash never leaves half a key on disk. */
async function writePem(path: string, content: string, mode: number): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, content, { mode });
  await chmod(tmp, mode);
  await rename(tmp, path);
}
