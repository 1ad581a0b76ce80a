/**
 * The default roles and bindings a fresh cluster starts with, after
 * upstream's bootstrap policy (`plugin/pkg/auth/authorizer/rbac/bootstrappolicy`):
 *
 *   cluster-admin ─────────────── system:masters
 *   system:discovery ──────────── system:authenticated          (/api, /apis, /openapi, /version, health)
 *   system:basic-user ─────────── system:authenticated          (self subject access/rules reviews)
 *   system:public-info-viewer ─── system:authenticated, system:unauthenticated (health, /version)
 *   system:monitoring ─────────── system:monitoring             (/metrics, health)
 *   admin ⊇ edit ⊇ view ───────── (bind them with RoleBindings)   aggregated from system:aggregate-to-*
 *   system:kube-scheduler, system:volume-scheduler ─ user system:kube-scheduler
 *   system:kube-controller-manager ─ user system:kube-controller-manager
 *   system:node, system:node-proxier ─ group system:nodes, user system:kube-proxy
 *
 * `admin`, `edit` and `view` carry no rules of their own: they aggregate
 * the `system:aggregate-to-*` roles (and any role a user labels
 * `rbac.authorization.k8s.io/aggregate-to-view: "true"` etc.), exactly as
 * upstream, and `view` ⊂ `edit` ⊂ `admin` through the same labels.
 *
 * Where Skiff differs, and why:
 * - `system:node` is bound to the group `system:nodes`; upstream leaves
 *   it unbound and uses the Node authorizer, which Skiff does not have. It
 *   also carries kube-proxy's and the node network's reads, since Skiff's
 *   agent runs them under the node's identity.
 * - `system:kube-controller-manager` may read and write every resource:
 *   Skiff runs all controllers under this one identity (upstream gives
 *   each controller its own service account and role), and the garbage
 *   collector and namespace controller act on every kind, custom
 *   resources included. It gets no non-resource URLs and no
 *   impersonate/escalate/bind.
 *
 * Every object is labelled `kubernetes.io/bootstrapping: rbac-defaults` and
 * annotated `rbac.authorization.kubernetes.io/autoupdate: "true"`.
 */
import type { ClusterRole, ClusterRoleBinding, PolicyRule, Subject } from "kubernetes-types/rbac/v1.js";
import type { KubeObject } from "../../api/object.js";

const rbacGroup = "rbac.authorization.k8s.io";
const read = ["get", "list", "watch"];
const write = ["create", "update", "patch", "delete", "deletecollection"];
const readWrite = [...read, ...write];

const bootstrapLabels = { "kubernetes.io/bootstrapping": "rbac-defaults" };
const bootstrapAnnotations = { "rbac.authorization.kubernetes.io/autoupdate": "true" };

const aggregateToAdmin = "rbac.authorization.k8s.io/aggregate-to-admin";
const aggregateToEdit = "rbac.authorization.k8s.io/aggregate-to-edit";
const aggregateToView = "rbac.authorization.k8s.io/aggregate-to-view";

function rule(verbs: string[], apiGroups: string[], resources: string[], resourceNames?: string[]): PolicyRule {
  return resourceNames ? { verbs, apiGroups, resources, resourceNames } : { verbs, apiGroups, resources };
}

function urls(verbs: string[], nonResourceURLs: string[]): PolicyRule {
  return { verbs, nonResourceURLs };
}

function clusterRole(
  name: string,
  rules: PolicyRule[],
  extra: { labels?: Record<string, string>; aggregateFrom?: string } = {},
): ClusterRole {
  const role: ClusterRole = {
    apiVersion: `${rbacGroup}/v1`,
    kind: "ClusterRole",
    metadata: { name, labels: { ...bootstrapLabels, ...extra.labels }, annotations: { ...bootstrapAnnotations } },
    rules,
  };
  if (extra.aggregateFrom) {
    role.aggregationRule = { clusterRoleSelectors: [{ matchLabels: { [extra.aggregateFrom]: "true" } }] };
  }
  return role;
}

function clusterRoleBinding(name: string, subjects: Subject[], roleName = name): ClusterRoleBinding {
  return {
    apiVersion: `${rbacGroup}/v1`,
    kind: "ClusterRoleBinding",
    metadata: { name, labels: { ...bootstrapLabels }, annotations: { ...bootstrapAnnotations } },
    roleRef: { apiGroup: rbacGroup, kind: "ClusterRole", name: roleName },
    subjects,
  };
}

const group = (name: string): Subject => ({ kind: "Group", apiGroup: rbacGroup, name });
const user = (name: string): Subject => ({ kind: "User", apiGroup: rbacGroup, name });

const eventsRule = rule(["create", "update", "patch"], ["", "events.k8s.io"], ["events"]);

function clusterRoles(): ClusterRole[] {
  return [
    clusterRole("cluster-admin", [rule(["*"], ["*"], ["*"]), urls(["*"], ["*"])]),
    clusterRole("system:discovery", [
      urls(["get"], ["/livez", "/readyz", "/healthz", "/version", "/version/", "/openapi", "/openapi/*", "/api", "/api/*", "/apis", "/apis/*"]),
    ]),
    clusterRole("system:monitoring", [
      urls(["get"], ["/metrics", "/metrics/slis", "/livez", "/readyz", "/healthz", "/livez/*", "/readyz/*", "/healthz/*"]),
    ]),
    clusterRole("system:basic-user", [
      rule(["create"], ["authorization.k8s.io"], ["selfsubjectaccessreviews", "selfsubjectrulesreviews"]),
      rule(["create"], ["authentication.k8s.io"], ["selfsubjectreviews"]),
    ]),
    clusterRole("system:public-info-viewer", [urls(["get"], ["/livez", "/readyz", "/healthz", "/version", "/version/"])]),

    // User-facing roles, filled by aggregation.
    clusterRole("admin", [], { aggregateFrom: aggregateToAdmin }),
    clusterRole("edit", [], { aggregateFrom: aggregateToEdit, labels: { [aggregateToAdmin]: "true" } }),
    clusterRole("view", [], { aggregateFrom: aggregateToView, labels: { [aggregateToEdit]: "true" } }),
    clusterRole(
      "system:aggregate-to-admin",
      [
        rule(["create"], ["authorization.k8s.io"], ["localsubjectaccessreviews"]),
        rule(readWrite, [rbacGroup], ["roles", "rolebindings"]),
      ],
      { labels: { [aggregateToAdmin]: "true" } },
    ),
    clusterRole(
      "system:aggregate-to-edit",
      [
        // Reading these escalates (secrets hold credentials; exec and attach run as the pod).
        rule(read, [""], ["pods/attach", "pods/proxy", "pods/exec", "pods/portforward", "secrets", "services/proxy"]),
        rule(["impersonate"], [""], ["serviceaccounts"]),
        rule(write, [""], ["pods", "pods/attach", "pods/proxy", "pods/exec", "pods/portforward"]),
        rule(["create"], [""], ["pods/eviction"]),
        rule(write, [""], [
          "replicationcontrollers",
          "replicationcontrollers/scale",
          "serviceaccounts",
          "services",
          "services/proxy",
          "persistentvolumeclaims",
          "configmaps",
          "secrets",
          "events",
        ]),
        rule(["create"], [""], ["serviceaccounts/token"]),
        rule(write, ["apps"], [
          "statefulsets",
          "statefulsets/scale",
          "daemonsets",
          "deployments",
          "deployments/scale",
          "deployments/rollback",
          "replicasets",
          "replicasets/scale",
        ]),
        rule(write, ["autoscaling"], ["horizontalpodautoscalers"]),
        rule(write, ["batch"], ["jobs", "cronjobs"]),
        rule(write, ["policy"], ["poddisruptionbudgets"]),
        rule(write, ["networking.k8s.io"], ["networkpolicies", "ingresses"]),
        rule(readWrite, ["coordination.k8s.io"], ["leases"]),
      ],
      { labels: { [aggregateToEdit]: "true" } },
    ),
    clusterRole(
      "system:aggregate-to-view",
      [
        rule(read, [""], [
          "pods",
          "replicationcontrollers",
          "replicationcontrollers/scale",
          "serviceaccounts",
          "services",
          "services/status",
          "endpoints",
          "persistentvolumeclaims",
          "persistentvolumeclaims/status",
          "configmaps",
        ]),
        rule(read, [""], [
          "limitranges",
          "resourcequotas",
          "bindings",
          "events",
          "pods/status",
          "resourcequotas/status",
          "namespaces/status",
          "replicationcontrollers/status",
          "pods/log",
        ]),
        // Reading namespaces in a namespace means reading that namespace: how a user learns where they have access.
        rule(read, [""], ["namespaces"]),
        rule(read, ["discovery.k8s.io"], ["endpointslices"]),
        rule(read, ["events.k8s.io"], ["events"]),
        rule(read, ["apps"], [
          "controllerrevisions",
          "statefulsets",
          "statefulsets/status",
          "statefulsets/scale",
          "daemonsets",
          "daemonsets/status",
          "deployments",
          "deployments/status",
          "deployments/scale",
          "replicasets",
          "replicasets/status",
          "replicasets/scale",
        ]),
        rule(read, ["autoscaling"], ["horizontalpodautoscalers", "horizontalpodautoscalers/status"]),
        rule(read, ["batch"], ["jobs", "cronjobs", "cronjobs/status", "jobs/status"]),
        rule(read, ["policy"], ["poddisruptionbudgets", "poddisruptionbudgets/status"]),
        rule(read, ["networking.k8s.io"], ["networkpolicies", "ingresses", "ingresses/status"]),
      ],
      { labels: { [aggregateToView]: "true" } },
    ),

    // Components.
    clusterRole("system:kube-scheduler", [
      eventsRule,
      rule(["create", "get", "update"], ["coordination.k8s.io"], ["leases"]),
      rule(read, [""], ["nodes"]),
      rule(["get", "list", "watch", "delete"], [""], ["pods"]),
      rule(["create"], [""], ["pods/binding", "bindings"]),
      rule(["patch", "update"], [""], ["pods/status"]),
      rule(read, [""], ["services", "replicationcontrollers"]),
      rule(read, ["apps"], ["replicasets", "statefulsets"]),
      rule(read, ["policy"], ["poddisruptionbudgets"]),
      rule(read, [""], ["persistentvolumeclaims", "persistentvolumes"]),
      rule(["create"], ["authentication.k8s.io"], ["tokenreviews"]),
      rule(["create"], ["authorization.k8s.io"], ["subjectaccessreviews"]),
      rule(read, ["storage.k8s.io"], ["csinodes", "csidrivers", "csistoragecapacities"]),
      rule(read, [""], ["namespaces"]),
    ]),
    clusterRole("system:volume-scheduler", [
      rule(["get", "list", "watch", "patch", "update"], [""], ["persistentvolumes"]),
      rule(read, ["storage.k8s.io"], ["storageclasses"]),
      rule(["get", "list", "watch", "patch", "update"], [""], ["persistentvolumeclaims"]),
    ]),
    clusterRole("system:kube-controller-manager", [rule(readWrite, ["*"], ["*"])]),
    clusterRole("system:node", [
      rule(["create"], ["authentication.k8s.io"], ["tokenreviews"]),
      rule(["create"], ["authorization.k8s.io"], ["subjectaccessreviews", "localsubjectaccessreviews"]),
      rule(read, [""], ["services", "endpoints"]),
      rule(read, ["discovery.k8s.io"], ["endpointslices"]),
      rule(["create", "get", "list", "watch", "update", "patch"], [""], ["nodes"]),
      rule(["update", "patch"], [""], ["nodes/status"]),
      eventsRule,
      rule(read, [""], ["pods"]),
      rule(["create", "delete"], [""], ["pods"]),
      rule(["update", "patch"], [""], ["pods/status"]),
      rule(["create"], [""], ["pods/eviction"]),
      rule(read, [""], ["secrets", "configmaps"]),
      rule(["get"], [""], ["persistentvolumeclaims", "persistentvolumes"]),
      rule(["update", "patch"], [""], ["persistentvolumeclaims/status"]),
      rule(["create", "get", "list", "watch"], ["certificates.k8s.io"], ["certificatesigningrequests"]),
      rule(["get", "create", "update", "patch", "delete"], ["coordination.k8s.io"], ["leases"]),
      rule(["get"], ["storage.k8s.io"], ["volumeattachments"]),
      rule(["create"], [""], ["serviceaccounts/token"]),
      rule(read, ["node.k8s.io"], ["runtimeclasses"]),
      rule(read, ["networking.k8s.io"], ["ingresses", "ingressclasses"]),
    ]),
    clusterRole("system:node-proxier", [
      rule(["list", "watch"], [""], ["services", "endpoints"]),
      rule(["get", "list", "watch"], [""], ["nodes"]),
      rule(["list", "watch"], ["discovery.k8s.io"], ["endpointslices"]),
      eventsRule,
    ]),
    clusterRole("system:kube-dns", [rule(["list", "watch"], [""], ["endpoints", "services"]), rule(["list", "watch"], ["discovery.k8s.io"], ["endpointslices"])]),
  ];
}

function clusterRoleBindings(): ClusterRoleBinding[] {
  return [
    clusterRoleBinding("cluster-admin", [group("system:masters")]),
    clusterRoleBinding("system:discovery", [group("system:authenticated")]),
    clusterRoleBinding("system:basic-user", [group("system:authenticated")]),
    clusterRoleBinding("system:public-info-viewer", [group("system:authenticated"), group("system:unauthenticated")]),
    clusterRoleBinding("system:monitoring", [group("system:monitoring")]),
    clusterRoleBinding("system:kube-scheduler", [user("system:kube-scheduler")]),
    clusterRoleBinding("system:volume-scheduler", [user("system:kube-scheduler")]),
    clusterRoleBinding("system:kube-controller-manager", [user("system:kube-controller-manager")]),
    clusterRoleBinding("system:node", [group("system:nodes")]),
    clusterRoleBinding("system:node-proxier", [user("system:kube-proxy")]),
    clusterRoleBinding("system:kube-dns", [{ kind: "ServiceAccount", name: "kube-dns", namespace: "kube-system" }]),
  ];
}

/**
 * The objects to create at first start, ClusterRoles before the bindings
 * that name them. Fresh objects on every call: callers may change them.
 * They have no uid, creationTimestamp or resourceVersion yet.
 */
export function bootstrapPolicy(): KubeObject[] {
  return [...clusterRoles(), ...clusterRoleBindings()] as unknown as KubeObject[];
}
