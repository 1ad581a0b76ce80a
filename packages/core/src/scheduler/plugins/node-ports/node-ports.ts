/**
 * NodePorts: two pods cannot claim the same host port (same protocol, and
 * overlapping host IPs: `0.0.0.0` or empty overlaps every IP) on one node.
 */
import { fits, unfit, type FilterPlugin } from "../../framework.js";
import type { Pod } from "../../../api/types.js";

interface HostPort {
  ip: string;
  protocol: string;
  port: number;
}

export function hostPorts(pod: Readonly<Pod>): HostPort[] {
  const out: HostPort[] = [];
  for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort) continue;
      out.push({ ip: p.hostIP || "0.0.0.0", protocol: p.protocol ?? "TCP", port: p.hostPort });
    }
  }
  return out;
}

function conflicts(a: HostPort, b: HostPort): boolean {
  return a.port === b.port && a.protocol === b.protocol && (a.ip === b.ip || a.ip === "0.0.0.0" || b.ip === "0.0.0.0");
}

export const nodePorts: FilterPlugin = {
  name: "NodePorts",
  filter(pod, nodeInfo, state) {
    const wanted = state.memo("NodePorts/wanted", () => hostPorts(pod));
    if (wanted.length === 0) return fits;
    for (const other of nodeInfo.pods) {
      for (const used of hostPorts(other)) {
        if (wanted.some((w) => conflicts(w, used))) return unfit("node(s) didn't have free ports for the requested pod ports");
      }
    }
    return fits;
  },
};
