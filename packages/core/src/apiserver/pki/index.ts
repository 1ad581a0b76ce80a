export { ensurePki, servingNames, normalizeIp, pkiFiles, type Pki, type PkiOptions } from "./ensure-pki.js";
export {
  issueClientCertificate,
  issueCertificate,
  type IssuedCertificate,
  type IssueOptions,
  type CertificateAuthority,
} from "./issue-certificate.js";
