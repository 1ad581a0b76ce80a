/**
 * Role-based access control with kube-apiserver's semantics, as a pure
 * function of an `RbacSource`:
 *
 *   members of a privileged group (system:masters) ─▶ allowed
 *   every ClusterRoleBinding naming the user ─▶ its ClusterRole's rules, in every namespace
 *   every RoleBinding in the request's namespace naming the user
 *        ─▶ its Role's rules, or its ClusterRole's rules, in that namespace only
 *   the first rule that allows the request ─▶ allowed; none ─▶ refused
 *
 * RBAC only grants, never denies. A binding whose role does not exist
 * grants nothing; it is named in the refusal's reason
 * (`RBAC: role.rbac.authorization.k8s.io "x" not found`) as upstream does,
 * but does not stop other bindings from allowing.
 */
import type { PolicyRule, RoleRef, Subject } from "kubernetes-types/rbac/v1.js";
import type { UserInfo } from "../authn/index.js";
import type { AuthorizationAttributes } from "./attributes.js";
import { clusterRoleRules } from "./aggregated-rules.js";
import { forbiddenMessage } from "./forbidden-message.js";
import { ruleAllows, subjectMatches } from "./policy-rule.js";
import type { RbacSource } from "./rbac-source.js";

export type AuthorizationDecision =
  | { allowed: true }
  /** `reason` is the whole message of the 403, as upstream words it. */
  | { allowed: false; reason: string };

export interface RbacAuthorizerOptions {
  /**
   * Groups allowed everything without any binding, like upstream's
   * privileged-group authorizer; this keeps the admin in even when the
   * RBAC objects are missing or broken.
   * @default ["system:masters"]
   */
  privilegedGroups?: readonly string[];
}

/** The rules granted to a user in a namespace, and the bindings whose role is missing. */
export interface UserRules {
  rules: PolicyRule[];
  errors: string[];
}

export class RbacAuthorizer {
  private readonly privilegedGroups: readonly string[];

  constructor(
    private readonly source: RbacSource,
    options: RbacAuthorizerOptions = {},
  ) {
    this.privilegedGroups = options.privilegedGroups ?? ["system:masters"];
  }

  authorize(attrs: AuthorizationAttributes): AuthorizationDecision {
    if (attrs.user.groups.some((g) => this.privilegedGroups.includes(g))) return { allowed: true };
    const errors: string[] = [];
    const allowed = this.visitRules(attrs.user, attrs.namespace, errors, (rule) => ruleAllows(attrs, rule));
    if (allowed) return { allowed: true };
    return { allowed: false, reason: forbiddenMessage(attrs, errors.length > 0 ? `RBAC: ${aggregate(errors)}` : "") };
  }

  /**
   * Every rule that applies to the user in `namespace` ("" for cluster-wide
   * bindings only), for rules reviews and `kubectl auth can-i --list`.
   */
  rulesFor(user: UserInfo, namespace: string): UserRules {
    const rules: PolicyRule[] = [];
    const errors: string[] = [];
    this.visitRules(user, namespace, errors, (rule) => {
      rules.push(rule);
      return false;
    });
    return { rules, errors };
  }

  /** Calls `visit` on each granted rule until it returns true; says whether it did. */
  private visitRules(
    user: UserInfo,
    namespace: string,
    errors: string[],
    visit: (rule: Readonly<PolicyRule>) => boolean,
  ): boolean {
    for (const binding of this.source.clusterRoleBindings()) {
      if (!appliesTo(user, binding.subjects, "")) continue;
      const rules = this.roleRefRules(binding.roleRef, "", errors);
      if (rules.some(visit)) return true;
    }
    if (namespace === "") return false;
    for (const binding of this.source.roleBindings(namespace)) {
      if (!appliesTo(user, binding.subjects, namespace)) continue;
      const rules = this.roleRefRules(binding.roleRef, namespace, errors);
      if (rules.some(visit)) return true;
    }
    return false;
  }

  private roleRefRules(ref: Readonly<RoleRef>, namespace: string, errors: string[]): readonly PolicyRule[] {
    switch (ref.kind) {
      case "ClusterRole": {
        const role = this.source.clusterRole(ref.name);
        if (role) return clusterRoleRules(this.source, role);
        errors.push(`clusterrole.rbac.authorization.k8s.io ${JSON.stringify(ref.name)} not found`);
        return [];
      }
      case "Role": {
        const role = namespace === "" ? undefined : this.source.role(namespace, ref.name);
        if (role) return role.rules ?? [];
        errors.push(`role.rbac.authorization.k8s.io ${JSON.stringify(ref.name)} not found`);
        return [];
      }
      default:
        errors.push(`unsupported role reference kind: ${JSON.stringify(ref.kind)}`);
        return [];
    }
  }
}

function appliesTo(user: UserInfo, subjects: readonly Subject[] | undefined, namespace: string): boolean {
  return (subjects ?? []).some((s) => subjectMatches(user, s, namespace));
}

/** Go's `utilerrors.NewAggregate(errs).Error()`: one message alone, several de-duplicated in brackets. */
function aggregate(messages: string[]): string {
  if (messages.length === 1) return messages[0]!;
  const unique = [...new Set(messages)];
  return unique.length === 1 ? unique[0]! : `[${unique.join(", ")}]`;
}
