/**
 * Ingresses and IngressClasses. Ingress paths need a `pathType`, and Prefix
 * or Exact paths must be absolute; each backend is a service or a resource.
 * Tables `Class Hosts Address Ports Age` and `Controller Parameters Age`.
 */
import type { HTTPIngressPath, Ingress, IngressBackend, IngressClass, IngressRule } from "kubernetes-types/networking/v1.js";
import { field, type FieldError } from "../../../api/errors.js";
import type { KubeObject } from "../../../api/object.js";
import type { ResourceInfo } from "../../../api/resource-info.js";
import { isDns1123Subdomain, isValidPortName, isValidPortNum } from "../../../api/validation/names.js";
import { age, column, createStrategy, nameColumn, ageColumn } from "../default-strategy.js";
import type { Strategy } from "../strategy.js";
import { loadBalancerString } from "../table-cells.js";

const asIngress = (obj: Readonly<KubeObject>) => obj as unknown as Ingress;
const pathTypes = ["Exact", "ImplementationSpecific", "Prefix"];

function validateBackend(b: IngressBackend | undefined, path: string): FieldError[] {
  if (!b) return [field.required(path)];
  if (b.service && b.resource) return [field.invalid(path, "", "cannot set both resource and service backends")];
  if (!b.service && !b.resource) return [field.invalid(path, "", "one of `backend.service` or `backend.resource` must be specified")];
  const errs: FieldError[] = [];
  if (b.service) {
    if (!b.service.name) errs.push(field.required(`${path}.service.name`));
    const port = b.service.port;
    if (!port || (port.name === undefined && port.number === undefined)) {
      errs.push(field.required(`${path}.service.port`, "port name or number is required"));
    } else if (port.name !== undefined && port.number !== undefined) {
      errs.push(field.invalid(`${path}.service.port`, port, "cannot set both port name & port number"));
    } else if (port.number !== undefined) {
      for (const msg of isValidPortNum(port.number)) errs.push(field.invalid(`${path}.service.port.number`, port.number, msg));
    } else if (port.name !== undefined) {
      for (const msg of isValidPortName(port.name)) errs.push(field.invalid(`${path}.service.port.name`, port.name, msg));
    }
  }
  return errs;
}

function validatePath(p: HTTPIngressPath, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!p.pathType) errs.push(field.required(`${path}.pathType`, "pathType must be specified"));
  else if (!pathTypes.includes(p.pathType)) errs.push(field.notSupported(`${path}.pathType`, p.pathType, pathTypes));
  else if ((p.pathType === "Prefix" || p.pathType === "Exact") && !(p.path ?? "").startsWith("/")) {
    errs.push(field.invalid(`${path}.path`, p.path ?? "", "must be an absolute path"));
  }
  errs.push(...validateBackend(p.backend, `${path}.backend`));
  return errs;
}

function validateIngress(obj: Readonly<KubeObject>): FieldError[] {
  const spec = asIngress(obj).spec ?? {};
  const errs: FieldError[] = [];
  if (!spec.defaultBackend && (spec.rules ?? []).length === 0) {
    errs.push(field.invalid("spec.rules", spec.rules ?? [], "either `defaultBackend` or `rules` must be specified"));
  }
  if (spec.defaultBackend) errs.push(...validateBackend(spec.defaultBackend, "spec.defaultBackend"));
  (spec.rules ?? []).forEach((r, i) => {
    if (r.host) {
      const host = r.host.startsWith("*.") ? r.host.slice(2) : r.host;
      for (const msg of isDns1123Subdomain(host)) errs.push(field.invalid(`spec.rules[${i}].host`, r.host, msg));
    }
    if (r.http) {
      if ((r.http.paths ?? []).length === 0) errs.push(field.required(`spec.rules[${i}].http.paths`));
      (r.http.paths ?? []).forEach((p, j) => errs.push(...validatePath(p, `spec.rules[${i}].http.paths[${j}]`)));
    }
  });
  if (spec.ingressClassName !== undefined) {
    for (const msg of isDns1123Subdomain(spec.ingressClassName)) errs.push(field.invalid("spec.ingressClassName", spec.ingressClassName, msg));
  }
  return errs;
}

/** Upstream `formatHosts`: three hosts then `+ N more...`, `*` when none. */
export function formatHosts(rules: readonly IngressRule[] | undefined): string {
  const list: string[] = [];
  const max = 3;
  let more = false;
  for (const rule of rules ?? []) {
    if (list.length === max) more = true;
    if (!more && rule.host) list.push(rule.host);
  }
  if (list.length === 0) return "*";
  const ret = list.join(",");
  return more ? `${ret} + ${(rules ?? []).length - max} more...` : ret;
}

export function ingressStrategy(resource: ResourceInfo): Strategy {
  return createStrategy(resource, {
    validate: validateIngress,
    columns: [
      nameColumn,
      column("Class", "string", "The name of the IngressClass resource that should be used for ingress"),
      column("Hosts", "string", "Hosts that incoming requests are matched against before the ingress rule"),
      column("Address", "string", "Address is a list containing ingress points for the load-balancer"),
      column("Ports", "string", "Ports of TLS configurations that open"),
      ageColumn,
    ],
    row(obj, now) {
      const ing = asIngress(obj);
      return [
        ing.metadata?.name ?? "",
        ing.spec?.ingressClassName ?? "<none>",
        formatHosts(ing.spec?.rules),
        loadBalancerString(ing.status?.loadBalancer),
        (ing.spec?.tls ?? []).length > 0 ? "80, 443" : "80",
        age(obj, now),
      ];
    },
  });
}

export function ingressClassStrategy(resource: ResourceInfo): Strategy {
  const asClass = (obj: Readonly<KubeObject>) => obj as unknown as IngressClass;
  return createStrategy(resource, {
    validate(obj) {
      const controller = asClass(obj).spec?.controller;
      if (!controller) return [];
      const errs: FieldError[] = [];
      if (controller.length > 253) errs.push({ type: "FieldValueTooLong", field: "spec.controller", value: controller, detail: "may not be more than 253 bytes" });
      return errs;
    },
    validateUpdate(obj, old) {
      const next = asClass(obj).spec?.controller ?? "";
      const prev = asClass(old).spec?.controller ?? "";
      return next === prev ? [] : [field.invalid("spec.controller", next, "field is immutable")];
    },
    columns: [
      nameColumn,
      column("Controller", "string", "Controller that is responsible for handling this class"),
      column("Parameters", "string", "A reference to a resource with additional parameters"),
      ageColumn,
    ],
    row(obj, now) {
      const spec = asClass(obj).spec;
      let parameters = "<none>";
      if (spec?.parameters) {
        parameters = spec.parameters.kind;
        if (spec.parameters.apiGroup) parameters += "." + spec.parameters.apiGroup;
        parameters += "/" + spec.parameters.name;
      }
      return [obj.metadata?.name ?? "", spec?.controller ?? "", parameters, age(obj, now)];
    },
  });
}
