import { test } from "node:test";
import assert from "node:assert/strict";
import { ApiError, isBadRequest } from "../../api/errors.js";
import { decodeProtobufObject, isProtobufMediaType } from "./index.js";
import { messageTypeFor, unknownEnvelopeType } from "./protobuf-schema.js";
import { kubectl132Bodies } from "./testdata/kubectl-bodies.js";

const MAGIC = Buffer.from("k8s\0", "latin1");

/** A body as kubectl would send it: magic, then Unknown{typeMeta, raw}. */
function envelope(apiVersion: string, kind: string, raw: Uint8Array): Buffer {
  const unknown = unknownEnvelopeType();
  const bytes = unknown.encode(unknown.fromObject({ typeMeta: { apiVersion, kind }, raw })).finish();
  return Buffer.concat([MAGIC, bytes]);
}

function encodeObject(apiVersion: string, kind: string, object: Record<string, unknown>): Buffer {
  const type = messageTypeFor(apiVersion, kind)!;
  return envelope(apiVersion, kind, type.encode(type.fromObject(object)).finish());
}

function badRequest(pattern: RegExp) {
  return (err: unknown) => {
    assert.ok(err instanceof ApiError && isBadRequest(err), `expected a BadRequest ApiError, got ${String(err)}`);
    assert.match(err.message, pattern);
    return true;
  };
}

for (const [name, captured] of Object.entries(kubectl132Bodies)) {
  test(`kubectl 1.32 \`${captured.command}\` decodes to the JSON kubectl 1.31 sends (${name})`, () => {
    assert.deepEqual(decodeProtobufObject(Buffer.from(captured.body, "base64")), captured.json);
  });
}

test("an explicit replicas: 0 survives (a pointer field's zero is meaningful)", () => {
  const obj = decodeProtobufObject(Buffer.from(kubectl132Bodies["deployment-zero-replicas"]!.body, "base64"));
  assert.equal((obj.spec as { replicas?: number }).replicas, 0);
});

test("secret data and configmap binaryData come out base64, as in JSON", () => {
  const secret = decodeProtobufObject(Buffer.from(kubectl132Bodies.secret!.body, "base64"));
  assert.equal(Buffer.from((secret.data as Record<string, string>).user!, "base64").toString(), "admin");
  const cm = decodeProtobufObject(Buffer.from(kubectl132Bodies["configmap-binary"]!.body, "base64"));
  assert.deepEqual([...Buffer.from((cm.binaryData as Record<string, string>).blob!, "base64")], [0x00, 0x01, 0xff, 0xfe]);
});

test("metadata maps, owner references, finalizers, times, quantities, intstr and inlined structs", () => {
  const body = encodeObject("apps/v1", "Deployment", {
    metadata: {
      name: "web",
      generateName: "web-",
      namespace: "prod",
      labels: { app: "web" },
      annotations: { note: "x" },
      ownerReferences: [{ apiVersion: "v1", kind: "ConfigMap", name: "owner", uid: "u-1", controller: false }],
      finalizers: ["example.com/keep"],
      creationTimestamp: {},
      deletionTimestamp: { seconds: 1700000000, nanos: 5 },
    },
    spec: {
      replicas: 3,
      selector: { matchExpressions: [{ key: "tier", operator: "In", values: ["a", "b"] }] },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: { type: 0, intVal: 0 }, maxSurge: { type: 1, strVal: "25%" } } },
      template: {
        spec: {
          containers: [
            {
              name: "app",
              image: "nginx",
              ports: [{ containerPort: 80, protocol: "TCP" }],
              env: [
                { name: "A", value: "1" },
                { name: "B", valueFrom: { configMapKeyRef: { localObjectReference: { name: "cfg" }, key: "b" } } },
              ],
              resources: { limits: { cpu: { string: "500m" } }, requests: { memory: { string: "64Mi" } } },
              volumeMounts: [{ name: "data", mountPath: "/data", readOnly: true }],
              readinessProbe: { handler: { httpGet: { path: "/", port: { type: 1, strVal: "http" } } }, periodSeconds: 5 },
            },
          ],
          volumes: [{ name: "data", volumeSource: { emptyDir: { sizeLimit: { string: "1Gi" } } } }],
        },
      },
    },
  });
  assert.deepEqual(decodeProtobufObject(body), {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: {
      name: "web",
      generateName: "web-",
      namespace: "prod",
      labels: { app: "web" },
      annotations: { note: "x" },
      ownerReferences: [{ apiVersion: "v1", kind: "ConfigMap", name: "owner", uid: "u-1", controller: false }],
      finalizers: ["example.com/keep"],
      deletionTimestamp: "2023-11-14T22:13:20Z",
    },
    spec: {
      replicas: 3,
      selector: { matchExpressions: [{ key: "tier", operator: "In", values: ["a", "b"] }] },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: "25%" } },
      template: {
        spec: {
          containers: [
            {
              name: "app",
              image: "nginx",
              ports: [{ containerPort: 80, protocol: "TCP" }],
              env: [
                { name: "A", value: "1" },
                { name: "B", valueFrom: { configMapKeyRef: { name: "cfg", key: "b" } } },
              ],
              resources: { limits: { cpu: "500m" }, requests: { memory: "64Mi" } },
              volumeMounts: [{ name: "data", mountPath: "/data", readOnly: true }],
              readinessProbe: { httpGet: { path: "/", port: "http" }, periodSeconds: 5 },
            },
          ],
          volumes: [{ name: "data", emptyDir: { sizeLimit: "1Gi" } }],
        },
      },
    },
  });
});

test("a kind Skiff does not decode is refused with the list of kinds it does", () => {
  const body = envelope("rbac.authorization.k8s.io/v1", "Role", new Uint8Array());
  assert.throws(
    () => decodeProtobufObject(body),
    badRequest(/^protobuf bodies are accepted for Namespace \(v1\), .*Deployment \(apps\/v1\).*; send JSON or YAML for Role \(rbac.authorization.k8s.io\/v1\)$/),
  );
});

test("a field the schema does not know is refused, naming where it is", () => {
  // Namespace field 9 does not exist upstream: tag (9 << 3 | 2), length 0.
  const body = envelope("v1", "Namespace", Uint8Array.from([0x4a, 0x00]));
  assert.throws(() => decodeProtobufObject(body), badRequest(/Namespace \(Namespace\) has field number 9/));
});

test("a body without the k8s\\0 prefix is refused", () => {
  assert.throws(() => decodeProtobufObject(Buffer.from('{"kind":"Namespace"}')), badRequest(/k8s\\0/));
  assert.throws(() => decodeProtobufObject(Buffer.alloc(0)), badRequest(/k8s\\0/));
});

test("a truncated body is refused as malformed", () => {
  const full = Buffer.from(kubectl132Bodies.deployment!.body, "base64");
  assert.throws(() => decodeProtobufObject(full.subarray(0, full.length - 7)), badRequest(/malformed|wire type|field number/));
});

test("a compressed inner object is refused", () => {
  const unknown = unknownEnvelopeType();
  const bytes = unknown
    .encode(unknown.fromObject({ typeMeta: { apiVersion: "v1", kind: "Namespace" }, raw: new Uint8Array(), contentEncoding: "gzip" }))
    .finish();
  assert.throws(() => decodeProtobufObject(Buffer.concat([MAGIC, bytes])), badRequest(/content encoding "gzip"/));
});

test("isProtobufMediaType matches the Kubernetes protobuf type, with any case or parameters", () => {
  assert.equal(isProtobufMediaType("application/vnd.kubernetes.protobuf"), true);
  assert.equal(isProtobufMediaType("Application/VND.Kubernetes.Protobuf; charset=binary"), true);
  assert.equal(isProtobufMediaType("application/json"), false);
  assert.equal(isProtobufMediaType("application/vnd.kubernetes.protobuf+json"), false);
  assert.equal(isProtobufMediaType(""), false);
});

test("64-bit fields come out as plain numbers", () => {
  // ObjectMeta.generation is int64; a large value must not come back as a Long.
  const body = encodeObject("v1", "Namespace", { metadata: { name: "n", generation: 2 ** 40 } });
  assert.equal((decodeProtobufObject(body).metadata as { generation: unknown }).generation, 2 ** 40);
});
