import { test } from "node:test";
import assert from "node:assert/strict";
import type { KubeObject } from "../../../api/object.js";
import { formatFieldError } from "../../../api/errors.js";
import { strategyFor } from "../registry.js";

const services = strategyFor("", "services")!;
const now = Date.parse("2024-01-01T00:00:30Z");

function svc(spec: Record<string, unknown>, status: Record<string, unknown> = {}): KubeObject {
  return { metadata: { name: "web", namespace: "default", creationTimestamp: "2024-01-01T00:00:00Z" }, spec, status };
}

test("service row: type, cluster IP, external IP, ports with node ports, selector", () => {
  const row = services.row(
    svc({ type: "NodePort", clusterIP: "10.96.0.10", clusterIPs: ["10.96.0.10"], selector: { app: "web" }, ports: [{ port: 80, nodePort: 30080, protocol: "TCP" }, { port: 53, protocol: "UDP" }] }),
    now,
  );
  assert.deepEqual(row, ["web", "NodePort", "10.96.0.10", "<none>", "80:30080/TCP,53/UDP", "30s", "app=web"]);
});

test("service external IP column: LoadBalancer pending, ingress IPs, ExternalName", () => {
  assert.equal(services.row(svc({ type: "LoadBalancer", ports: [{ port: 80 }] }), now)[3], "<pending>");
  assert.equal(services.row(svc({ type: "LoadBalancer", ports: [{ port: 80 }] }, { loadBalancer: { ingress: [{ ip: "1.2.3.4" }] } }), now)[3], "1.2.3.4");
  const ext = services.row(svc({ type: "ExternalName", externalName: "example.com" }), now);
  assert.deepEqual([ext[2], ext[3], ext[4]], ["<none>", "example.com", "<none>"]);
  assert.equal(services.row(svc({ clusterIP: "None", clusterIPs: ["None"] }), now)[2], "None");
});

test("service validation: ports, names, types, node port range", () => {
  assert.deepEqual(services.validate(svc({ type: "ClusterIP" })).map(formatFieldError), ["spec.ports: Required value"]);
  assert.deepEqual(services.validate(svc({ clusterIP: "None" })), []);
  const errs = services.validate(svc({ type: "NodePort", ports: [{ port: 80, nodePort: 80 }, { name: "b", port: 0 }] })).map(formatFieldError);
  assert.deepEqual(errs, [
    "spec.ports[0].name: Required value",
    "spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767",
    "spec.ports[1].port: Invalid value: 0: must be between 1 and 65535, inclusive",
  ]);
  assert.match(formatFieldError(services.validate(svc({ type: "Fancy", ports: [{ port: 1 }] }))[0]!), /^spec.type: Unsupported value: "Fancy"/);
  assert.equal(services.validate(svc({ ports: [{ port: 80, nodePort: 30001 }] }))[0]?.type, "FieldValueForbidden");
  assert.match(formatFieldError(services.validate({ metadata: { name: "1web", namespace: "d" }, spec: { clusterIP: "None" } })[0]!), /DNS-1035 label/);
});

test("service update keeps the allocated cluster IP and node ports, and refuses to change the IP", () => {
  const old = svc({ type: "NodePort", clusterIP: "10.96.0.10", clusterIPs: ["10.96.0.10"], ports: [{ port: 80, protocol: "TCP", nodePort: 30080 }] });
  const next = svc({ type: "NodePort", ports: [{ port: 80, protocol: "TCP" }] });
  services.prepareForUpdate(next, old);
  const spec = next.spec as { clusterIP: string; ports: { nodePort: number }[] };
  assert.equal(spec.clusterIP, "10.96.0.10");
  assert.equal(spec.ports[0]!.nodePort, 30080);
  assert.deepEqual(services.validateUpdate(next, old), []);
  const moved = svc({ type: "NodePort", clusterIP: "10.96.0.11", ports: [{ port: 80 }] });
  assert.deepEqual(services.validateUpdate(moved, old).map(formatFieldError), ['spec.clusterIP: Invalid value: "10.96.0.11": field is immutable']);
});
