/**
 * ECDSA P-256 keys as PEM (PKCS#8), through Node's WebCrypto. Every key the
 * cluster owns — CA, serving, node clients — uses this one algorithm, which
 * Node's `tls`, Go's crypto/tls (kubectl) and browsers all accept.
 */
import { webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export const ecdsaAlgorithm = { name: "ECDSA", namedCurve: "P-256" } as const;
export const signingAlgorithm = { name: "ECDSA", hash: "SHA-256" } as const;

export type { CryptoKey, CryptoKeyPair };

export async function generateKeyPair(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(ecdsaAlgorithm, true, ["sign", "verify"])) as CryptoKeyPair;
}

export async function privateKeyToPem(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey("pkcs8", key as webcrypto.CryptoKey);
  return x509.PemConverter.encode(der, "PRIVATE KEY");
}

export async function privateKeyFromPem(pem: string): Promise<CryptoKey> {
  const der = x509.PemConverter.decodeFirst(pem);
  return (await webcrypto.subtle.importKey("pkcs8", der, ecdsaAlgorithm, true, ["sign"])) as CryptoKey;
}
