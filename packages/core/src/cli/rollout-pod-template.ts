/**
 * kubectl's `DescribePodTemplate`, which `rollout history --revision=N`
 * prints. Like kubectl there, the text goes straight to the output without
 * column alignment: keys and values are separated by a tab.
 */
import type { Container, PodTemplateSpec, Probe, Toleration, Volume } from "../api/index.js";

export function describePodTemplate(template: PodTemplateSpec | undefined): string {
  const out: string[] = ["Pod Template:\n"];
  if (!template) {
    out.push("  <unset>");
    return out.join("");
  }
  const spec = template.spec;
  out.push(multiline("  Labels", template.metadata?.labels, (k, v) => `${k}=${v}`));
  const annotations = template.metadata?.annotations;
  if (annotations && Object.keys(annotations).length) out.push(multiline("  Annotations", annotations, (k, v) => `${k}: ${v}`));
  if (spec?.serviceAccountName) out.push(`  Service Account:\t${spec.serviceAccountName}\n`);
  if (spec?.initContainers?.length) out.push(containers("Init Containers", spec.initContainers));
  out.push(containers("Containers", spec?.containers ?? []));
  out.push(volumes(spec?.volumes ?? []));
  if (spec?.priorityClassName) out.push(`  Priority Class Name:\t${spec.priorityClassName}\n`);
  out.push(multiline("  Node-Selectors", spec?.nodeSelector, (k, v) => `${k}=${v}`));
  out.push(tolerations(spec?.tolerations ?? []));
  return out.join("");
}

/** `Title:\tfirst\n\tsecond\n`, keys sorted; `<none>` when empty. */
function multiline(title: string, map: Record<string, string> | undefined, line: (k: string, v: string) => string): string {
  const keys = Object.keys(map ?? {}).sort();
  if (!keys.length) return `${title}:\t<none>\n`;
  return keys.map((k, i) => `${i === 0 ? `${title}:` : ""}\t${line(k, map![k]!)}\n`).join("");
}

function containers(label: string, list: Container[]): string {
  const out: string[] = [list.length ? `  ${label}:\n` : `  ${label}: <none>\n`];
  for (const c of list) {
    out.push(`   ${c.name}:\n`);
    out.push(`    Image:\t${c.image ?? ""}\n`);
    const ports = (c.ports ?? []).map((p) => `${p.containerPort}/${p.protocol ?? "TCP"}`).join(", ");
    out.push(ports.includes(",") ? `    Ports:\t${ports}\n` : `    Port:\t${ports || "<none>"}\n`);
    const hostPorts = (c.ports ?? []).map((p) => `${p.hostPort ?? 0}/${p.protocol ?? "TCP"}`).join(", ");
    out.push(hostPorts.includes(",") ? `    Host Ports:\t${hostPorts}\n` : `    Host Port:\t${hostPorts || "<none>"}\n`);
    if (c.restartPolicy) out.push(`    Restart Policy:\t${c.restartPolicy}\n`);
    for (const [title, words] of [["Command", c.command], ["Args", c.args]] as const) {
      if (!words?.length) continue;
      out.push(`    ${title}:\n`);
      for (const w of words) for (const s of w.split("\n")) out.push(`      ${s}\n`);
    }
    for (const [title, quantities] of [["Limits", c.resources?.limits], ["Requests", c.resources?.requests]] as const) {
      const names = Object.keys(quantities ?? {}).sort();
      if (!names.length) continue;
      out.push(`    ${title}:\n`);
      for (const n of names) out.push(`      ${n}:\t${String(quantities![n])}\n`);
    }
    for (const [title, probe] of [["Liveness", c.livenessProbe], ["Readiness", c.readinessProbe], ["Startup", c.startupProbe]] as const) {
      if (probe) out.push(`    ${title}:\t${describeProbe(probe)}\n`);
    }
    if (c.envFrom?.length) {
      out.push("    Environment Variables from:\n");
      for (const from of c.envFrom) {
        const [name, kind, optional] = from.configMapRef
          ? [from.configMapRef.name ?? "", "ConfigMap", from.configMapRef.optional ?? false]
          : [from.secretRef?.name ?? "", "Secret", from.secretRef?.optional ?? false];
        const prefix = from.prefix ? ` with prefix '${from.prefix}'` : "";
        out.push(`      ${name}\t${kind}${prefix}\tOptional: ${optional}\n`);
      }
    }
    out.push(`    Environment:${c.env?.length ? "" : "\t<none>"}\n`);
    for (const e of c.env ?? []) {
      const from = e.valueFrom;
      if (!from) {
        (e.value ?? "").split("\n").forEach((s, i) => out.push(i === 0 ? `      ${e.name}:\t${s}\n` : `      \t${s}\n`));
      } else if (from.fieldRef) {
        out.push(`      ${e.name}:\t (${from.fieldRef.apiVersion ?? "v1"}:${from.fieldRef.fieldPath})\n`);
      } else if (from.resourceFieldRef) {
        out.push(`      ${e.name}:\t (${from.resourceFieldRef.resource})\n`);
      } else if (from.secretKeyRef) {
        out.push(`      ${e.name}:\t<set to the key '${from.secretKeyRef.key}' in secret '${from.secretKeyRef.name ?? ""}'>\tOptional: ${from.secretKeyRef.optional ?? false}\n`);
      } else if (from.configMapKeyRef) {
        out.push(`      ${e.name}:\t<set to the key '${from.configMapKeyRef.key}' of config map '${from.configMapKeyRef.name ?? ""}'>\tOptional: ${from.configMapKeyRef.optional ?? false}\n`);
      }
    }
    const mounts = [...(c.volumeMounts ?? [])].sort((a, b) => (a.mountPath < b.mountPath ? -1 : a.mountPath > b.mountPath ? 1 : 0));
    out.push(`    Mounts:${mounts.length ? "" : "\t<none>"}\n`);
    for (const m of mounts) {
      const flags = [m.readOnly ? "ro" : "rw", ...(m.subPath ? [`path=${JSON.stringify(m.subPath)}`] : [])];
      out.push(`      ${m.mountPath} from ${m.name} (${flags.join(",")})\n`);
    }
  }
  return out.join("");
}

/** `http-get http://:8080/healthz delay=0s timeout=1s period=10s #success=1 #failure=3`, as kubectl writes a probe. */
export function describeProbe(p: Probe): string {
  const attrs = `delay=${p.initialDelaySeconds ?? 0}s timeout=${p.timeoutSeconds ?? 0}s period=${p.periodSeconds ?? 0}s #success=${p.successThreshold ?? 0} #failure=${p.failureThreshold ?? 0}`;
  if (p.exec) return `exec [${(p.exec.command ?? []).join(" ")}] ${attrs}`;
  if (p.httpGet) {
    const port = String(p.httpGet.port ?? "");
    const host = p.httpGet.host ?? "";
    const hostPort = port ? `${host.includes(":") ? `[${host}]` : host}:${port}` : host;
    return `http-get ${(p.httpGet.scheme ?? "").toLowerCase()}://${hostPort}${p.httpGet.path ?? ""} ${attrs}`;
  }
  if (p.tcpSocket) return `tcp-socket ${p.tcpSocket.host ?? ""}:${String(p.tcpSocket.port)} ${attrs}`;
  if (p.grpc) return `grpc <pod>:${p.grpc.port} ${p.grpc.service ?? ""} ${attrs}`;
  return `unknown ${attrs}`;
}

function volumes(list: Volume[]): string {
  if (!list.length) return "  Volumes:\t<none>\n";
  const out: string[] = ["  Volumes:\n"];
  for (const v of list) {
    out.push(`   ${v.name}:\n`);
    if (v.emptyDir) {
      out.push("    Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n");
      out.push(`    Medium:\t${v.emptyDir.medium ?? ""}\n`);
      out.push(`    SizeLimit:\t${v.emptyDir.sizeLimit ? String(v.emptyDir.sizeLimit) : "<unset>"}\n`);
    } else if (v.configMap) {
      out.push("    Type:\tConfigMap (a volume populated by a ConfigMap)\n");
      out.push(`    Name:\t${v.configMap.name ?? ""}\n`);
      out.push(`    Optional:\t${v.configMap.optional ?? false}\n`);
    } else if (v.secret) {
      out.push("    Type:\tSecret (a volume populated by a Secret)\n");
      out.push(`    SecretName:\t${v.secret.secretName ?? ""}\n`);
      out.push(`    Optional:\t${v.secret.optional ?? false}\n`);
    } else if (v.hostPath) {
      out.push("    Type:\tHostPath (bare host directory volume)\n");
      out.push(`    Path:\t${v.hostPath.path}\n`);
      out.push(`    HostPathType:\t${v.hostPath.type ?? ""}\n`);
    } else if (v.persistentVolumeClaim) {
      out.push("    Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n");
      out.push(`    ClaimName:\t${v.persistentVolumeClaim.claimName}\n`);
      out.push(`    ReadOnly:\t${v.persistentVolumeClaim.readOnly ?? false}\n`);
    } else {
      out.push("    <unknown>\n");
    }
  }
  return out.join("");
}

function tolerations(list: Toleration[]): string {
  if (!list.length) return "  Tolerations:\t<none>\n";
  return list
    .map((t, i) => {
      let s = i === 0 ? "  Tolerations:\t" : "\t";
      s += t.key ?? "";
      if (t.value) s += `=${t.value}`;
      if (t.effect) s += `:${t.effect}`;
      // `operator: Exists` with no value tolerates everything.
      if (t.operator === "Exists" && !t.value) s += t.key || t.effect ? " op=Exists" : "op=Exists";
      if (t.tolerationSeconds !== undefined) s += ` for ${t.tolerationSeconds}s`;
      return s + "\n";
    })
    .join("");
}
