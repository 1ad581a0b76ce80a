/**
 * Secrets: valid keys, the keys each well-known `type` requires, an
 * immutable type; `stringData` is merged into `data` (base64) on write like
 * upstream's conversion. Table `Type Data Age`; field selector `type`.
 */
import type { Secret } from "kubernetes-types/core/v1.js";
import { field, type FieldError } from "../../../api/errors.js";
import type { KubeObject } from "../../../api/object.js";
import type { ResourceInfo } from "../../../api/resource-info.js";
import { validateImmutableField } from "../../../api/validation/object-meta.js";
import { age, column, createStrategy, nameColumn, ageColumn } from "../default-strategy.js";
import type { Strategy } from "../strategy.js";
import { validateDataKeys, validateImmutablePayload } from "./config-data.js";

const asSecret = (obj: Readonly<KubeObject>) => obj as unknown as Secret;

/** Keys each well-known type must carry in `data`. */
const requiredKeys: Record<string, string[]> = {
  "kubernetes.io/tls": ["tls.crt", "tls.key"],
  "kubernetes.io/dockerconfigjson": [".dockerconfigjson"],
  "kubernetes.io/dockercfg": [".dockercfg"],
  "kubernetes.io/ssh-auth": ["ssh-privatekey"],
};

/** Folds `stringData` into `data` (stringData wins), as the API does on every write. */
function mergeStringData(obj: KubeObject): void {
  const stringData = obj.stringData as Record<string, string> | undefined;
  if (!stringData) return;
  const data = ((obj.data as Record<string, string> | undefined) ?? {}) as Record<string, string>;
  for (const [k, v] of Object.entries(stringData)) data[k] = Buffer.from(v, "utf8").toString("base64");
  obj.data = data;
  delete obj.stringData;
}

function validateSecret(obj: Readonly<KubeObject>): FieldError[] {
  const secret = asSecret(obj);
  const errs = validateDataKeys({ ...(secret.data ?? {}), ...(secret.stringData ?? {}) }, undefined, "data");
  const type = secret.type ?? "Opaque";
  for (const key of requiredKeys[type] ?? []) {
    if (!(key in (secret.data ?? {})) && !(key in (secret.stringData ?? {}))) errs.push(field.required(`data[${key}]`));
  }
  if (type === "kubernetes.io/service-account-token" && !secret.metadata?.annotations?.["kubernetes.io/service-account.name"]) {
    errs.push(field.required("metadata.annotations[kubernetes.io/service-account.name]"));
  }
  if (type === "kubernetes.io/basic-auth" && !("username" in (secret.data ?? {})) && !("password" in (secret.data ?? {}))) {
    errs.push(field.required("data[username]", "either username or password is required"));
  }
  return errs;
}

export function secretStrategy(resource: ResourceInfo): Strategy {
  return createStrategy(resource, {
    prepareForCreate: mergeStringData,
    prepareForUpdate: mergeStringData,
    validate: validateSecret,
    validateUpdate: (obj, old) => [
      ...validateImmutableField(asSecret(obj).type ?? "Opaque", asSecret(old).type ?? "Opaque", "type"),
      ...validateImmutablePayload(asSecret(obj), asSecret(old)),
    ],
    columns: [
      nameColumn,
      column("Type", "string", "Used to facilitate programmatic handling of secret data."),
      column("Data", "string", "Data contains the secret data."),
      ageColumn,
    ],
    row(obj, now) {
      const s = asSecret(obj);
      return [s.metadata?.name ?? "", s.type ?? "Opaque", Object.keys(s.data ?? {}).length, age(obj, now)];
    },
    selectableFields: (obj) => ({ type: asSecret(obj).type ?? "" }),
  });
}
