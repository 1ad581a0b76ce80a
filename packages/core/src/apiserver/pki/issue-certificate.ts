/**
 * Issuing certificates signed by the cluster CA: the API server's serving
 * certificate and client certificates (node credentials, later users).
 * A client certificate's identity follows Kubernetes: the subject CN is the
 * user name, each O is a group.
 */
import { randomBytes } from "node:crypto";
import * as x509 from "@peculiar/x509";
import { generateKeyPair, privateKeyFromPem, privateKeyToPem, signingAlgorithm } from "./ecdsa-key.js";

/** PEM material of a CA-signed certificate and its private key. */
export interface IssuedCertificate {
  certPem: string;
  keyPem: string;
}

export interface CertificateAuthority {
  caCertPem: string;
  caKeyPem: string;
}

export interface IssueOptions {
  commonName: string;
  organizations?: string[];
  dnsNames?: string[];
  ips?: string[];
  usage: "serverAuth" | "clientAuth";
  /** Validity in days from now. */
  days: number;
  now?: Date;
}

/** Backdating absorbs small clock differences between machines of a cluster. */
export const backdateMs = 5 * 60 * 1000;

export const dayMs = 24 * 60 * 60 * 1000;

export function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = bytes[0]! & 0x7f; // a positive INTEGER
  return bytes.toString("hex");
}

/** `CN=x, O=a, O=b` with RFC 4514 escaping of the characters that need it. */
export function distinguishedName(commonName: string, organizations: string[] = []): string {
  const escape = (v: string) => v.replace(/([,+"\\<>;=#])/g, "\\$1");
  return [`CN=${escape(commonName)}`, ...organizations.map((o) => `O=${escape(o)}`)].join(", ");
}

export async function issueCertificate(ca: CertificateAuthority, options: IssueOptions): Promise<IssuedCertificate> {
  const caCert = new x509.X509Certificate(ca.caCertPem);
  const caKey = await privateKeyFromPem(ca.caKeyPem);
  const keys = await generateKeyPair();
  const now = options.now ?? new Date();
  const names: x509.JsonGeneralName[] = [
    ...(options.dnsNames ?? []).map((value) => ({ type: "dns" as const, value })),
    ...(options.ips ?? []).map((value) => ({ type: "ip" as const, value })),
  ];
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
    new x509.ExtendedKeyUsageExtension(
      [options.usage === "serverAuth" ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth],
      false,
    ),
    await x509.AuthorityKeyIdentifierExtension.create(caCert.publicKey, false),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false),
  ];
  if (names.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(names, false));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: distinguishedName(options.commonName, options.organizations),
    issuer: caCert.subject,
    notBefore: new Date(now.getTime() - backdateMs),
    notAfter: new Date(now.getTime() + options.days * dayMs),
    publicKey: keys.publicKey,
    signingKey: caKey,
    signingAlgorithm,
    extensions,
  });
  return { certPem: cert.toString("pem"), keyPem: await privateKeyToPem(keys.privateKey) };
}

/**
 * A client certificate (ExtKeyUsage clientAuth) for `commonName` in the
 * given groups, valid for one year. Used for node credentials.
 */
export async function issueClientCertificate(
  ca: CertificateAuthority,
  commonName: string,
  organizations: string[] = [],
  options: { days?: number; now?: Date } = {},
): Promise<IssuedCertificate> {
  return issueCertificate(ca, {
    commonName,
    organizations,
    usage: "clientAuth",
    days: options.days ?? 365,
    ...(options.now ? { now: options.now } : {}),
  });
}
