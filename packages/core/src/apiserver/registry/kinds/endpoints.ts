/** Endpoints: addresses need an IP and ports a valid number; table `Endpoints Age` (`ip:port`, three then `+ N more...`). */
import { isIP } from "node:net";
import type { Endpoints } from "kubernetes-types/core/v1.js";
import { field, type FieldError } from "../../../api/errors.js";
import type { KubeObject } from "../../../api/object.js";
import type { ResourceInfo } from "../../../api/resource-info.js";
import { isValidPortNum } from "../../../api/validation/names.js";
import { age, column, createStrategy, nameColumn, ageColumn } from "../default-strategy.js";
import type { Strategy } from "../strategy.js";

const asEndpoints = (obj: Readonly<KubeObject>) => obj as unknown as Endpoints;

const joinHostPort = (ip: string, port: number) => (ip.includes(":") ? `[${ip}]:${port}` : `${ip}:${port}`);

/** Upstream `formatEndpoints` with no port filter. */
export function formatEndpoints(ep: Endpoints): string {
  const subsets = ep.subsets ?? [];
  if (subsets.length === 0) return "<none>";
  const list: string[] = [];
  const max = 3;
  let more = false;
  let count = 0;
  for (const ss of subsets) {
    const addresses = ss.addresses ?? [];
    const ports = ss.ports ?? [];
    if (ports.length === 0) {
      count += addresses.length;
      for (const a of addresses) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(a.ip);
      }
      continue;
    }
    for (const port of ports) {
      count += addresses.length;
      for (const a of addresses) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(joinHostPort(a.ip, port.port));
      }
    }
  }
  const ret = list.join(",");
  return more ? `${ret} + ${count - max} more...` : ret;
}

function validateEndpoints(obj: Readonly<KubeObject>): FieldError[] {
  const errs: FieldError[] = [];
  (asEndpoints(obj).subsets ?? []).forEach((ss, i) => {
    for (const key of ["addresses", "notReadyAddresses"] as const) {
      (ss[key] ?? []).forEach((a, j) => {
        if (isIP(a.ip ?? "") === 0) errs.push(field.invalid(`subsets[${i}].${key}[${j}].ip`, a.ip, "must be a valid IP address"));
      });
    }
    (ss.ports ?? []).forEach((p, j) => {
      for (const msg of isValidPortNum(p.port)) errs.push(field.invalid(`subsets[${i}].ports[${j}].port`, p.port, msg));
    });
  });
  return errs;
}

export function endpointsStrategy(resource: ResourceInfo): Strategy {
  return createStrategy(resource, {
    validate: validateEndpoints,
    columns: [nameColumn, column("Endpoints", "string", "The set of all endpoints is the union of all subsets."), ageColumn],
    row: (obj, now) => [obj.metadata?.name ?? "", formatEndpoints(asEndpoints(obj)), age(obj, now)],
  });
}
