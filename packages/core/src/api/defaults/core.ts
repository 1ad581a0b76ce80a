/**
 * Defaults of the core/v1 kinds, as upstream's `SetDefaults_*` functions in
 * `pkg/apis/core/v1/defaults.go` (Kubernetes 1.30) apply them. Only unset
 * fields are filled; a value the user gave is never replaced.
 */
import type {
  Container,
  EphemeralContainer,
  Namespace,
  Node,
  PersistentVolume,
  PersistentVolumeClaim,
  Pod,
  PodSpec,
  Probe,
  Secret,
  Service,
  Endpoints,
  LifecycleHandler,
  Volume,
} from "kubernetes-types/core/v1.js";

const defaultFileMode = 0o644; // 420

/** `Always` for `:latest` or an untagged image without digest, `IfNotPresent` otherwise. */
export function defaultImagePullPolicy(image: string | undefined): "Always" | "IfNotPresent" {
  if (!image) return "Always";
  if (image.includes("@")) return "IfNotPresent";
  const lastSlash = image.lastIndexOf("/");
  const colon = image.indexOf(":", lastSlash + 1);
  if (colon < 0) return "Always";
  return image.slice(colon + 1) === "latest" ? "Always" : "IfNotPresent";
}

function defaultProbe(probe: Probe | undefined): void {
  if (!probe) return;
  probe.timeoutSeconds ??= 1;
  probe.periodSeconds ??= 10;
  probe.successThreshold ??= 1;
  probe.failureThreshold ??= 3;
  defaultHandler(probe);
}

function defaultHandler(handler: Pick<LifecycleHandler, "httpGet"> | undefined): void {
  if (!handler?.httpGet) return;
  handler.httpGet.path ??= "/";
  handler.httpGet.scheme ??= "HTTP";
}

function defaultContainer(c: Container | EphemeralContainer, hostNetwork: boolean): void {
  c.imagePullPolicy ??= defaultImagePullPolicy(c.image);
  c.terminationMessagePath ??= "/dev/termination-log";
  c.terminationMessagePolicy ??= "File";
  c.resources ??= {};
  for (const port of c.ports ?? []) {
    port.protocol ??= "TCP";
    if (hostNetwork && port.hostPort === undefined) port.hostPort = port.containerPort;
  }
  for (const env of c.env ?? []) {
    if (env.valueFrom?.fieldRef) env.valueFrom.fieldRef.apiVersion ??= "v1";
  }
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  defaultHandler(c.lifecycle?.postStart);
  defaultHandler(c.lifecycle?.preStop);
}

function defaultVolume(v: Volume): void {
  const sources = Object.keys(v).filter((k) => k !== "name");
  if (sources.length === 0) v.emptyDir = {};
  if (v.configMap) v.configMap.defaultMode ??= defaultFileMode;
  if (v.secret) v.secret.defaultMode ??= defaultFileMode;
  if (v.downwardAPI) {
    v.downwardAPI.defaultMode ??= defaultFileMode;
    for (const item of v.downwardAPI.items ?? []) if (item.fieldRef) item.fieldRef.apiVersion ??= "v1";
  }
  if (v.projected) v.projected.defaultMode ??= defaultFileMode;
  if (v.hostPath) v.hostPath.type ??= "";
}

/** PodSpec defaults; used for pods and for every pod template (Deployment, Job, …). */
export function defaultPodSpec(spec: PodSpec | undefined): void {
  if (!spec) return;
  spec.dnsPolicy ??= "ClusterFirst";
  spec.restartPolicy ??= "Always";
  spec.terminationGracePeriodSeconds ??= 30;
  spec.securityContext ??= {};
  spec.schedulerName ??= "default-scheduler";
  const hostNetwork = spec.hostNetwork === true;
  for (const c of spec.initContainers ?? []) defaultContainer(c, hostNetwork);
  for (const c of spec.containers ?? []) defaultContainer(c, hostNetwork);
  for (const c of spec.ephemeralContainers ?? []) defaultContainer(c, hostNetwork);
  for (const v of spec.volumes ?? []) defaultVolume(v);
}

/** Pod-only defaults on top of the spec's: service links, and requests copied from limits. */
export function defaultPod(pod: Pod): void {
  pod.spec ??= { containers: [] };
  defaultPodSpec(pod.spec);
  pod.spec.enableServiceLinks ??= true;
  for (const c of [...(pod.spec.initContainers ?? []), ...(pod.spec.containers ?? [])]) {
    const limits = c.resources?.limits;
    if (!limits || Object.keys(limits).length === 0) continue;
    const requests = (c.resources!.requests ??= {});
    for (const [name, value] of Object.entries(limits)) if (requests[name] === undefined) requests[name] = value;
  }
}

export function defaultService(svc: Service): void {
  const spec = (svc.spec ??= {});
  spec.type ??= "ClusterIP";
  spec.sessionAffinity ??= "None";
  if (spec.sessionAffinity === "ClientIP") {
    const cfg = (spec.sessionAffinityConfig ??= {});
    const clientIP = (cfg.clientIP ??= {});
    clientIP.timeoutSeconds ??= 10800;
  }
  for (const port of spec.ports ?? []) {
    port.protocol ??= "TCP";
    if (port.targetPort === undefined || port.targetPort === 0 || port.targetPort === "") port.targetPort = port.port;
  }
  if (spec.type === "ExternalName") return;
  spec.internalTrafficPolicy ??= "Cluster";
  if (spec.type === "NodePort" || spec.type === "LoadBalancer") spec.externalTrafficPolicy ??= "Cluster";
  if (spec.type === "LoadBalancer") spec.allocateLoadBalancerNodePorts ??= true;
  spec.ipFamilyPolicy ??= "SingleStack";
  spec.ipFamilies ??= ["IPv4"];
}

export function defaultEndpoints(ep: Endpoints): void {
  for (const subset of ep.subsets ?? []) for (const port of subset.ports ?? []) port.protocol ??= "TCP";
}

export function defaultSecret(secret: Secret): void {
  secret.type ??= "Opaque";
}

/** The immutable `kubernetes.io/metadata.name` label every namespace carries. */
export function defaultNamespace(ns: Namespace): void {
  const name = ns.metadata?.name;
  if (!name) return;
  ns.metadata!.labels = { ...ns.metadata!.labels, "kubernetes.io/metadata.name": name };
}

export function defaultNode(node: Node): void {
  const status = node.status as { capacity?: Record<string, string>; allocatable?: Record<string, string> } | undefined;
  if (status?.capacity && status.allocatable === undefined) status.allocatable = { ...status.capacity };
}

export function defaultPersistentVolume(pv: PersistentVolume): void {
  const spec = (pv.spec ??= {});
  spec.persistentVolumeReclaimPolicy ??= "Retain";
  spec.volumeMode ??= "Filesystem";
  const status = ((pv as { status?: { phase?: string } }).status ??= {});
  status.phase ??= "Pending";
}

export function defaultPersistentVolumeClaim(pvc: PersistentVolumeClaim): void {
  const spec = (pvc.spec ??= {});
  spec.volumeMode ??= "Filesystem";
  const status = ((pvc as { status?: { phase?: string } }).status ??= {});
  status.phase ??= "Pending";
}
