/** EndpointSlices: an addressType from the enum, immutable; table `AddressType Ports Endpoints Age`. */
import type { EndpointSlice } from "kubernetes-types/discovery/v1.js";
import { field, type FieldError } from "../../../api/errors.js";
import type { KubeObject } from "../../../api/object.js";
import type { ResourceInfo } from "../../../api/resource-info.js";
import { validateImmutableField } from "../../../api/validation/object-meta.js";
import { age, column, createStrategy, nameColumn, ageColumn } from "../default-strategy.js";
import type { Strategy } from "../strategy.js";
import { listWithMore } from "../table-cells.js";

const asSlice = (obj: Readonly<KubeObject>) => obj as unknown as EndpointSlice;
const addressTypes = ["FQDN", "IPv4", "IPv6"];

function validateSlice(obj: Readonly<KubeObject>): FieldError[] {
  const slice = asSlice(obj);
  const errs: FieldError[] = [];
  if (!slice.addressType) errs.push(field.required("addressType"));
  else if (!addressTypes.includes(slice.addressType)) errs.push(field.notSupported("addressType", slice.addressType, addressTypes));
  (slice.endpoints ?? []).forEach((ep, i) => {
    const n = ep.addresses?.length ?? 0;
    if (n < 1 || n > 100) errs.push(field.invalid(`endpoints[${i}].addresses`, ep.addresses ?? [], "must contain at least 1 address but no more than 100 addresses"));
  });
  return errs;
}

export function endpointSliceStrategy(resource: ResourceInfo): Strategy {
  return createStrategy(resource, {
    validate: validateSlice,
    validateUpdate: (obj, old) => validateImmutableField(asSlice(obj).addressType, asSlice(old).addressType, "addressType"),
    columns: [
      nameColumn,
      column("AddressType", "string", "addressType specifies the type of address carried by this EndpointSlice."),
      column("Ports", "string", "ports specifies the list of network ports exposed by each endpoint in this slice."),
      column("Endpoints", "string", "endpoints is a list of unique endpoints in this slice."),
      ageColumn,
    ],
    row(obj, now) {
      const slice = asSlice(obj);
      const ports = (slice.ports ?? []).map((p) => (p.port !== undefined && p.port !== null ? String(p.port) : p.name || "*"));
      const addresses = (slice.endpoints ?? []).flatMap((e) => e.addresses ?? []);
      return [
        slice.metadata?.name ?? "",
        slice.addressType ?? "",
        listWithMore(ports, ports.length, 3),
        listWithMore(addresses, addresses.length, 3),
        age(obj, now),
      ];
    },
  });
}
