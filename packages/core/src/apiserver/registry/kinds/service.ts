/**
 * Services: port, type and name rules of upstream `ValidateService`, an
 * immutable cluster IP, allocated values carried over when a PUT omits
 * them (like upstream `patchAllocatedValues`, so `kubectl replace` of a
 * manifest without clusterIP works); table `Type Cluster-IP External-IP
 * Port(s) Age | Selector`. Allocation of cluster IPs and node ports is the
 * handler's (it has the allocators), not the strategy's.
 */
import { isIP } from "node:net";
import type { Service, ServicePort } from "kubernetes-types/core/v1.js";
import { field, type FieldError } from "../../../api/errors.js";
import type { KubeObject } from "../../../api/object.js";
import type { ResourceInfo } from "../../../api/resource-info.js";
import { isDns1123Label, isDns1123Subdomain, isValidPortName, isValidPortNum } from "../../../api/validation/names.js";
import { validateImmutableField, validateLabels } from "../../../api/validation/object-meta.js";
import { age, column, createStrategy, nameColumn, ageColumn } from "../default-strategy.js";
import type { Strategy } from "../strategy.js";
import { formatLabels, loadBalancerString } from "../table-cells.js";

const asService = (obj: Readonly<KubeObject>) => obj as unknown as Service;

export const serviceTypes = ["ClusterIP", "ExternalName", "NodePort", "LoadBalancer"];
const protocols = ["TCP", "UDP", "SCTP"];
/** The default `--service-node-port-range`. */
export const nodePortRange = { min: 30000, max: 32767 };

const needsNodePort = (type: string | undefined) => type === "NodePort" || type === "LoadBalancer";

function validatePort(p: ServicePort, path: string, requireName: boolean, type: string): FieldError[] {
  const errs: FieldError[] = [];
  if (requireName && !p.name) errs.push(field.required(`${path}.name`));
  else if (p.name) for (const msg of isDns1123Label(p.name)) errs.push(field.invalid(`${path}.name`, p.name, msg));
  for (const msg of isValidPortNum(p.port)) errs.push(field.invalid(`${path}.port`, p.port, msg));
  if (p.protocol !== undefined && !protocols.includes(p.protocol)) errs.push(field.notSupported(`${path}.protocol`, p.protocol, protocols));
  const target = p.targetPort;
  if (typeof target === "number" && target !== 0) {
    for (const msg of isValidPortNum(target)) errs.push(field.invalid(`${path}.targetPort`, target, msg));
  } else if (typeof target === "string") {
    for (const msg of isValidPortName(target)) errs.push(field.invalid(`${path}.targetPort`, target, msg));
  }
  if (p.nodePort) {
    if (type === "ClusterIP") errs.push(field.forbidden(`${path}.nodePort`, "may not be used when `type` is 'ClusterIP'"));
    else if (type === "ExternalName") errs.push(field.forbidden(`${path}.nodePort`, "may not be used when `type` is 'ExternalName'"));
    else if (p.nodePort < nodePortRange.min || p.nodePort > nodePortRange.max) {
      errs.push(
        field.invalid(
          `${path}.nodePort`,
          p.nodePort,
          `provided port is not in the valid range. The range of valid ports is ${nodePortRange.min}-${nodePortRange.max}`,
        ),
      );
    }
  }
  return errs;
}

function validateService(obj: Readonly<KubeObject>): FieldError[] {
  const spec = asService(obj).spec;
  if (!spec) return [field.required("spec")];
  const errs: FieldError[] = [];
  const type = spec.type ?? "ClusterIP";
  if (!serviceTypes.includes(type)) errs.push(field.notSupported("spec.type", type, serviceTypes));
  const headless = spec.clusterIP === "None";
  const ports = spec.ports ?? [];
  if (type !== "ExternalName" && ports.length === 0 && !headless) errs.push(field.required("spec.ports"));
  const names = new Set<string>();
  const ports2 = new Set<string>();
  ports.forEach((p, i) => {
    const path = `spec.ports[${i}]`;
    errs.push(...validatePort(p, path, ports.length > 1, type));
    if (p.name) {
      if (names.has(p.name)) errs.push(field.duplicate(`${path}.name`, p.name));
      names.add(p.name);
    }
    const key = `${p.port}/${p.protocol ?? "TCP"}`;
    if (ports2.has(key)) errs.push(field.duplicate(path, { port: p.port, protocol: p.protocol ?? "TCP" }));
    ports2.add(key);
  });
  if (type === "ExternalName") {
    if (!spec.externalName) errs.push(field.required("spec.externalName"));
    else {
      const name = spec.externalName.endsWith(".") ? spec.externalName.slice(0, -1) : spec.externalName;
      for (const msg of isDns1123Subdomain(name)) errs.push(field.invalid("spec.externalName", spec.externalName, msg));
    }
  }
  if (spec.clusterIP && spec.clusterIP !== "None" && isIP(spec.clusterIP) === 0) {
    errs.push(field.invalid("spec.clusterIPs[0]", spec.clusterIP, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"));
  }
  if (headless && needsNodePort(type)) {
    errs.push(field.invalid("spec.clusterIPs[0]", "None", `may not be set to 'None' for ${type} services`));
  }
  if (spec.sessionAffinity !== undefined && spec.sessionAffinity !== "None" && spec.sessionAffinity !== "ClientIP") {
    errs.push(field.notSupported("spec.sessionAffinity", spec.sessionAffinity, ["ClientIP", "None"]));
  }
  (spec.externalIPs ?? []).forEach((ip, i) => {
    if (isIP(ip) === 0) errs.push(field.invalid(`spec.externalIPs[${i}]`, ip, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"));
  });
  errs.push(...validateLabels(spec.selector, "spec.selector"));
  return errs;
}

function validateServiceUpdate(obj: Readonly<KubeObject>, old: Readonly<KubeObject>): FieldError[] {
  const next = asService(obj).spec;
  const prev = asService(old).spec;
  if (next?.type === "ExternalName" || prev?.type === "ExternalName" || !prev?.clusterIP) return [];
  return validateImmutableField(next?.clusterIP ?? "", prev.clusterIP, "spec.clusterIP");
}

/** Copies allocated cluster IPs and node ports from the stored object when the update omits them. */
function carryAllocatedValues(obj: KubeObject, old: Readonly<KubeObject>): void {
  const spec = (obj as unknown as Service).spec as Record<string, unknown> | undefined;
  const prev = asService(old).spec;
  if (!spec || !prev) return;
  const type = (spec.type as string | undefined) ?? "ClusterIP";
  if (type !== "ExternalName" && prev.type !== "ExternalName" && !spec.clusterIP && prev.clusterIP) {
    spec.clusterIP = prev.clusterIP;
    if (prev.clusterIPs) spec.clusterIPs = structuredClone(prev.clusterIPs);
    if (!spec.ipFamilies && prev.ipFamilies) spec.ipFamilies = structuredClone(prev.ipFamilies);
    if (!spec.ipFamilyPolicy && prev.ipFamilyPolicy) spec.ipFamilyPolicy = prev.ipFamilyPolicy;
  }
  if (needsNodePort(type) && needsNodePort(prev.type)) {
    for (const p of (spec.ports as ServicePort[] | undefined) ?? []) {
      if (p.nodePort) continue;
      const match = (prev.ports ?? []).find((o) => o.port === p.port && (o.protocol ?? "TCP") === (p.protocol ?? "TCP"));
      if (match?.nodePort) p.nodePort = match.nodePort;
    }
    if (!spec.healthCheckNodePort && prev.healthCheckNodePort) spec.healthCheckNodePort = prev.healthCheckNodePort;
  }
}

/** `80/TCP,443:30443/TCP`, `<none>` without ports. */
export function servicePorts(ports: readonly ServicePort[] | undefined): string {
  const list = (ports ?? []).map((p) =>
    p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol ?? "TCP"}` : `${p.port}/${p.protocol ?? "TCP"}`,
  );
  return list.length === 0 ? "<none>" : list.join(",");
}

/** Upstream `getServiceExternalIP` (wide). */
export function serviceExternalIP(svc: Service): string {
  const spec = svc.spec ?? {};
  const externalIPs = spec.externalIPs ?? [];
  switch (spec.type ?? "ClusterIP") {
    case "ClusterIP":
    case "NodePort":
      return externalIPs.length > 0 ? externalIPs.join(",") : "<none>";
    case "LoadBalancer": {
      const lb = loadBalancerString(svc.status?.loadBalancer);
      if (externalIPs.length > 0) return [...(lb ? lb.split(",") : []), ...externalIPs].join(",");
      return lb || "<pending>";
    }
    case "ExternalName":
      return spec.externalName ?? "";
    default:
      return "<unknown>";
  }
}

export function serviceStrategy(resource: ResourceInfo): Strategy {
  return createStrategy(resource, {
    nameValidator: "dns1035-label",
    prepareForUpdate: carryAllocatedValues,
    validate: validateService,
    validateUpdate: validateServiceUpdate,
    columns: [
      nameColumn,
      column("Type", "string", "type determines how the Service is exposed."),
      column("Cluster-IP", "string", "clusterIP is the IP address of the service and is usually assigned randomly."),
      column("External-IP", "string", "externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service."),
      column("Port(s)", "string", "The list of ports that are exposed by this service."),
      ageColumn,
      column("Selector", "string", "Route service traffic to pods with label keys and values matching this selector.", 1),
    ],
    row(obj, now) {
      const svc = asService(obj);
      const clusterIP = svc.spec?.clusterIPs?.[0] || svc.spec?.clusterIP || "<none>";
      return [
        svc.metadata?.name ?? "",
        svc.spec?.type ?? "ClusterIP",
        clusterIP,
        serviceExternalIP(svc),
        servicePorts(svc.spec?.ports),
        age(obj, now),
        formatLabels(svc.spec?.selector),
      ];
    },
    selectableFields: (obj) => ({
      "spec.clusterIP": asService(obj).spec?.clusterIP ?? "",
      "spec.type": asService(obj).spec?.type ?? "",
    }),
  });
}
