/**
 * Semantic checks of a PodSpec, shared by Pods and every pod template
 * (Deployment, ReplicaSet, DaemonSet, Job), after upstream
 * `ValidatePodSpec`: container names, images, ports, volumes and mounts,
 * restart policy. Types and required-by-schema fields are the schema's job.
 */
import type { LabelSelector } from "kubernetes-types/meta/v1.js";
import type { Container, PodSpec, PodTemplateSpec } from "kubernetes-types/core/v1.js";
import { field, type FieldError } from "../../../api/errors.js";
import { isDns1123Label, isDns1123Subdomain, isValidPortName, isValidPortNum } from "../../../api/validation/names.js";
import { validateLabels } from "../../../api/validation/object-meta.js";
import { selectorMatches } from "./label-selector.js";

export const restartPolicies = ["Always", "OnFailure", "Never"] as const;
const protocols = ["TCP", "UDP", "SCTP"];
const dnsPolicies = ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"];

export function notFound(path: string, value: unknown): FieldError {
  return { type: "FieldValueNotFound", field: path, value, detail: `Not found: ${JSON.stringify(value)}` };
}

function validateContainer(c: Container, path: string, volumes: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  if (!c.image) errs.push(field.required(`${path}.image`));
  else if (c.image.trim() !== c.image) errs.push(field.invalid(`${path}.image`, c.image, "must not have leading or trailing whitespace"));
  const portNames = new Set<string>();
  (c.ports ?? []).forEach((p, i) => {
    const pp = `${path}.ports[${i}]`;
    if (p.name) {
      for (const msg of isValidPortName(p.name)) errs.push(field.invalid(`${pp}.name`, p.name, msg));
      if (portNames.has(p.name)) errs.push(field.duplicate(`${pp}.name`, p.name));
      portNames.add(p.name);
    }
    for (const msg of isValidPortNum(p.containerPort)) errs.push(field.invalid(`${pp}.containerPort`, p.containerPort, msg));
    if (p.hostPort) for (const msg of isValidPortNum(p.hostPort)) errs.push(field.invalid(`${pp}.hostPort`, p.hostPort, msg));
    if (p.protocol !== undefined && !protocols.includes(p.protocol)) {
      errs.push(field.notSupported(`${pp}.protocol`, p.protocol, protocols));
    }
  });
  const mountPaths = new Set<string>();
  (c.volumeMounts ?? []).forEach((m, i) => {
    const mp = `${path}.volumeMounts[${i}]`;
    if (!m.name) errs.push(field.required(`${mp}.name`));
    else if (!volumes.has(m.name)) errs.push(notFound(`${mp}.name`, m.name));
    if (!m.mountPath) errs.push(field.required(`${mp}.mountPath`));
    else if (mountPaths.has(m.mountPath)) errs.push(field.invalid(`${mp}.mountPath`, m.mountPath, "must be unique"));
    else mountPaths.add(m.mountPath);
  });
  return errs;
}

/**
 * `allowedRestartPolicies` narrows the pod-level policy for templates
 * (workloads need Always, Jobs OnFailure or Never); a missing policy is
 * taken as defaulted to Always.
 */
export function validatePodSpec(
  spec: PodSpec | undefined,
  path: string,
  allowedRestartPolicies: readonly string[] = restartPolicies,
): FieldError[] {
  const errs: FieldError[] = [];
  if (!spec) return [field.required(path)];
  const volumes = new Set<string>();
  (spec.volumes ?? []).forEach((v, i) => {
    const vp = `${path}.volumes[${i}].name`;
    if (!v.name) errs.push(field.required(vp));
    else {
      for (const msg of isDns1123Label(v.name)) errs.push(field.invalid(vp, v.name, msg));
      if (volumes.has(v.name)) errs.push(field.duplicate(vp, v.name));
      volumes.add(v.name);
    }
  });
  const names = new Set<string>();
  const checkName = (c: Container, p: string) => {
    if (!c.name) return errs.push(field.required(`${p}.name`));
    for (const msg of isDns1123Label(c.name)) errs.push(field.invalid(`${p}.name`, c.name, msg));
    if (names.has(c.name)) errs.push(field.duplicate(`${p}.name`, c.name));
    names.add(c.name);
  };
  (spec.initContainers ?? []).forEach((c, i) => {
    const p = `${path}.initContainers[${i}]`;
    checkName(c, p);
    errs.push(...validateContainer(c, p, volumes));
  });
  if (!spec.containers || spec.containers.length === 0) errs.push(field.required(`${path}.containers`));
  (spec.containers ?? []).forEach((c, i) => {
    const p = `${path}.containers[${i}]`;
    checkName(c, p);
    errs.push(...validateContainer(c, p, volumes));
  });
  const policy = spec.restartPolicy ?? "Always";
  if (!allowedRestartPolicies.includes(policy)) {
    errs.push(field.notSupported(`${path}.restartPolicy`, policy, allowedRestartPolicies));
  }
  if (spec.dnsPolicy !== undefined && !dnsPolicies.includes(spec.dnsPolicy)) {
    errs.push(field.notSupported(`${path}.dnsPolicy`, spec.dnsPolicy, dnsPolicies));
  }
  if (spec.activeDeadlineSeconds !== undefined && (spec.activeDeadlineSeconds < 1 || spec.activeDeadlineSeconds > 2147483647)) {
    errs.push(field.invalid(`${path}.activeDeadlineSeconds`, spec.activeDeadlineSeconds, "must be between 1 and 2147483647, inclusive"));
  }
  if (spec.serviceAccountName) {
    for (const msg of isDns1123Subdomain(spec.serviceAccountName)) {
      errs.push(field.invalid(`${path}.serviceAccountName`, spec.serviceAccountName, msg));
    }
  }
  if (spec.hostname) for (const msg of isDns1123Label(spec.hostname)) errs.push(field.invalid(`${path}.hostname`, spec.hostname, msg));
  if (spec.subdomain) for (const msg of isDns1123Label(spec.subdomain)) errs.push(field.invalid(`${path}.subdomain`, spec.subdomain, msg));
  errs.push(...validateLabels(spec.nodeSelector, `${path}.nodeSelector`));
  return errs;
}

/**
 * The checks every controller-owned workload shares: a non-empty selector
 * that matches the template's labels, and a valid template. `path` is the
 * spec path (`spec`).
 */
export function validateSelectorAndTemplate(
  selector: LabelSelector | undefined,
  template: PodTemplateSpec | undefined,
  path: string,
  kindWord: string,
  allowedRestartPolicies: readonly string[],
): FieldError[] {
  const errs: FieldError[] = [];
  if (!selector) errs.push(field.required(`${path}.selector`));
  else if (Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0) {
    errs.push(field.invalid(`${path}.selector`, selector, `empty selector is invalid for ${kindWord}`));
  }
  if (!template) {
    errs.push(field.required(`${path}.template`));
    return errs;
  }
  const labels = template.metadata?.labels ?? {};
  if (selector && !selectorMatches(selector, labels)) {
    errs.push(field.invalid(`${path}.template.metadata.labels`, labels, "`selector` does not match template `labels`"));
  }
  errs.push(...validateLabels(template.metadata?.labels, `${path}.template.metadata.labels`));
  errs.push(...validatePodSpec(template.spec, `${path}.template.spec`, allowedRestartPolicies));
  return errs;
}

export function validateNonNegative(value: number | undefined, path: string): FieldError[] {
  return value !== undefined && value < 0 ? [field.invalid(path, value, "must be greater than or equal to 0")] : [];
}
