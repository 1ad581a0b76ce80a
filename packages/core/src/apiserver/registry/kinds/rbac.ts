/**
 * RBAC kinds: names are path segments (`system:admin` is valid), rules need
 * verbs, bindings need a known role kind and may never change their
 * roleRef. Roles print `Created At`; bindings `Role Age | Users Groups
 * ServiceAccounts`.
 */
import type { ClusterRoleBinding, PolicyRule, Role, RoleBinding, Subject } from "kubernetes-types/rbac/v1.js";
import { field, type FieldError } from "../../../api/errors.js";
import type { KubeObject } from "../../../api/object.js";
import type { ResourceInfo } from "../../../api/resource-info.js";
import { deepEqual } from "../deep-equal.js";
import { age, column, createdAtColumn, createStrategy, nameColumn, ageColumn } from "../default-strategy.js";
import type { Strategy } from "../strategy.js";
import { rfc3339 } from "../table-cells.js";

const rbacGroup = "rbac.authorization.k8s.io";
const subjectKinds = ["ServiceAccount", "User", "Group"];

function validateRules(rules: PolicyRule[] | undefined, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  (rules ?? []).forEach((r, i) => {
    const path = `rules[${i}]`;
    if ((r.verbs ?? []).length === 0) errs.push(field.required(`${path}.verbs`, "verbs must contain at least one value"));
    const nonResource = r.nonResourceURLs ?? [];
    if (nonResource.length > 0) {
      if (namespaced) errs.push(field.invalid(`${path}.nonResourceURLs`, nonResource, "namespaced rules cannot apply to non-resource URLs"));
      if ((r.apiGroups ?? []).length > 0 || (r.resources ?? []).length > 0 || (r.resourceNames ?? []).length > 0) {
        errs.push(field.invalid(`${path}.nonResourceURLs`, nonResource, "rules cannot apply to both regular resources and non-resource URLs"));
      }
      return;
    }
    if ((r.apiGroups ?? []).length === 0) errs.push(field.required(`${path}.apiGroups`, "resource rules must supply at least one api group"));
    if ((r.resources ?? []).length === 0) errs.push(field.required(`${path}.resources`, "resource rules must supply at least one resource"));
  });
  return errs;
}

function validateSubjects(subjects: Subject[] | undefined, requireNamespace: boolean): FieldError[] {
  const errs: FieldError[] = [];
  (subjects ?? []).forEach((s, i) => {
    const path = `subjects[${i}]`;
    if (!s.name) errs.push(field.required(`${path}.name`));
    if (!subjectKinds.includes(s.kind)) errs.push(field.notSupported(`${path}.kind`, s.kind, subjectKinds));
    else if (s.kind === "ServiceAccount") {
      if (s.apiGroup) errs.push(field.notSupported(`${path}.apiGroup`, s.apiGroup, [""]));
      if (requireNamespace && !s.namespace) errs.push(field.required(`${path}.namespace`));
    } else if (s.apiGroup !== rbacGroup) {
      errs.push(field.notSupported(`${path}.apiGroup`, s.apiGroup ?? "", [rbacGroup]));
    }
  });
  return errs;
}

type Binding = RoleBinding | ClusterRoleBinding;

function validateBinding(obj: Readonly<KubeObject>, roleKinds: string[], clusterScoped: boolean): FieldError[] {
  const b = obj as unknown as Binding;
  const errs: FieldError[] = [];
  if (b.roleRef?.apiGroup !== rbacGroup) errs.push(field.notSupported("roleRef.apiGroup", b.roleRef?.apiGroup ?? "", [rbacGroup]));
  if (!roleKinds.includes(b.roleRef?.kind ?? "")) errs.push(field.notSupported("roleRef.kind", b.roleRef?.kind ?? "", roleKinds));
  if (!b.roleRef?.name) errs.push(field.required("roleRef.name"));
  errs.push(...validateSubjects(b.subjects, clusterScoped));
  return errs;
}

function bindingRow(obj: Readonly<KubeObject>, now: number): unknown[] {
  const b = obj as unknown as Binding;
  const users: string[] = [];
  const groups: string[] = [];
  const serviceAccounts: string[] = [];
  for (const s of b.subjects ?? []) {
    if (s.kind === "User") users.push(s.name);
    else if (s.kind === "Group") groups.push(s.name);
    else if (s.kind === "ServiceAccount") serviceAccounts.push(`${s.namespace ?? ""}/${s.name}`);
  }
  return [
    b.metadata?.name ?? "",
    `${b.roleRef?.kind ?? ""}/${b.roleRef?.name ?? ""}`,
    age(obj, now),
    users.join(", "),
    groups.join(", "),
    serviceAccounts.join(", "),
  ];
}

const bindingColumns = [
  nameColumn,
  column("Role", "string", "RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace."),
  ageColumn,
  column("Users", "string", "Users in the roleBinding", 1),
  column("Groups", "string", "Groups in the roleBinding", 1),
  column("ServiceAccounts", "string", "ServiceAccounts in the roleBinding", 1),
];

const roleRow = (obj: Readonly<KubeObject>) => [obj.metadata?.name ?? "", rfc3339(obj.metadata?.creationTimestamp)];

export function roleStrategy(resource: ResourceInfo): Strategy {
  return createStrategy(resource, {
    nameValidator: "path-segment",
    validate: (obj) => validateRules((obj as unknown as Role).rules, true),
    columns: [nameColumn, createdAtColumn],
    row: roleRow,
  });
}

export function clusterRoleStrategy(resource: ResourceInfo): Strategy {
  return createStrategy(resource, {
    nameValidator: "path-segment",
    // Aggregated cluster roles get their rules from the aggregation controller.
    validate: (obj) => validateRules((obj as unknown as Role).rules, false),
    columns: [nameColumn, createdAtColumn],
    row: roleRow,
  });
}

function validateRoleRefUpdate(obj: Readonly<KubeObject>, old: Readonly<KubeObject>): FieldError[] {
  const next = (obj as unknown as Binding).roleRef;
  const prev = (old as unknown as Binding).roleRef;
  return deepEqual(next, prev) ? [] : [field.invalid("roleRef", next, "cannot change roleRef")];
}

export function roleBindingStrategy(resource: ResourceInfo): Strategy {
  return createStrategy(resource, {
    nameValidator: "path-segment",
    validate: (obj) => validateBinding(obj, ["Role", "ClusterRole"], false),
    validateUpdate: validateRoleRefUpdate,
    columns: bindingColumns,
    row: bindingRow,
  });
}

export function clusterRoleBindingStrategy(resource: ResourceInfo): Strategy {
  return createStrategy(resource, {
    nameValidator: "path-segment",
    validate: (obj) => validateBinding(obj, ["ClusterRole"], true),
    validateUpdate: validateRoleRefUpdate,
    columns: bindingColumns,
    row: bindingRow,
  });
}
