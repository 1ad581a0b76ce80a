/** Kubernetes' protobuf media type; parameters are ignored (clients send none for request bodies). */
const PROTOBUF = "application/vnd.kubernetes.protobuf";

/** True when a Content-Type header names Kubernetes protobuf, whatever its case or parameters. */
export function isProtobufMediaType(contentType: string): boolean {
  return contentType.split(";")[0]!.trim().toLowerCase() === PROTOBUF;
}
