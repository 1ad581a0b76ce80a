/**
 * The parsed protobuf schema and the kinds Skiff accepts as protobuf bodies.
 * Parsed once, on first use, so a server that never sees a protobuf body
 * never pays for it.
 */
import protobuf from "protobufjs";
import { k8sSubsetProto } from "./k8s-subset-proto.js";

/** apiVersion/kind → the message that carries that kind's object. */
const messageByKind: Readonly<Record<string, string>> = {
  "v1/Namespace": "k8s.io.api.core.v1.Namespace",
  "v1/ConfigMap": "k8s.io.api.core.v1.ConfigMap",
  "v1/Secret": "k8s.io.api.core.v1.Secret",
  "v1/Service": "k8s.io.api.core.v1.Service",
  "v1/ServiceAccount": "k8s.io.api.core.v1.ServiceAccount",
  "apps/v1/Deployment": "k8s.io.api.apps.v1.Deployment",
  "batch/v1/Job": "k8s.io.api.batch.v1.Job",
  "batch/v1/CronJob": "k8s.io.api.batch.v1.CronJob",
};

/** `Namespace (v1), …, CronJob (batch/v1)`, for error messages. */
export const supportedKinds: string = Object.keys(messageByKind)
  .map((key) => {
    const slash = key.lastIndexOf("/");
    return `${key.slice(slash + 1)} (${key.slice(0, slash)})`;
  })
  .join(", ");

let root: protobuf.Root | undefined;

function schemaRoot(): protobuf.Root {
  if (!root) {
    const parsed = new protobuf.Root();
    for (const source of k8sSubsetProto) protobuf.parse(source, parsed, { keepCase: true });
    parsed.resolveAll();
    root = parsed;
  }
  return root;
}

export function unknownEnvelopeType(): protobuf.Type {
  return schemaRoot().lookupType("k8s.io.apimachinery.pkg.runtime.Unknown");
}

/** The message type for an object of this apiVersion and kind, or undefined when Skiff does not decode it. */
export function messageTypeFor(apiVersion: string, kind: string): protobuf.Type | undefined {
  const name = messageByKind[`${apiVersion}/${kind}`];
  return name ? schemaRoot().lookupType(name) : undefined;
}
