import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { ClusterRole, ClusterRoleBinding, PolicyRule, Role, RoleBinding, Subject } from "kubernetes-types/rbac/v1.js";
import type { UserInfo } from "../authn/index.js";
import { parseRequestInfo } from "../request-info.js";
import { attributesFrom, type AuthorizationAttributes } from "./attributes.js";
import { forbiddenError } from "./forbidden-message.js";
import { RbacAuthorizer } from "./rbac-authorizer.js";
import { staticRbacSource } from "./rbac-source.js";
import { bootstrapPolicy } from "./bootstrap-policy.js";

const rbac = "rbac.authorization.k8s.io";
const user = (name: string, ...groups: string[]): UserInfo => ({ name, uid: "", groups: [...groups, "system:authenticated"] });
const alice = user("alice");
const bob = user("bob", "devs");
const robot = user("system:serviceaccount:ci:builder", "system:serviceaccounts", "system:serviceaccounts:ci");
const root = user("root", "system:masters");

const clusterRole = (name: string, rules: PolicyRule[], extra: Partial<ClusterRole> = {}): ClusterRole => ({
  apiVersion: `${rbac}/v1`,
  kind: "ClusterRole",
  ...extra,
  metadata: { name, ...extra.metadata },
  rules,
});
const role = (namespace: string, name: string, rules: PolicyRule[]): Role => ({
  apiVersion: `${rbac}/v1`,
  kind: "Role",
  metadata: { namespace, name },
  rules,
});
const userSubject = (name: string): Subject => ({ kind: "User", apiGroup: rbac, name });
const groupSubject = (name: string): Subject => ({ kind: "Group", apiGroup: rbac, name });
const clusterBinding = (name: string, roleName: string, subjects: Subject[]): ClusterRoleBinding => ({
  apiVersion: `${rbac}/v1`,
  kind: "ClusterRoleBinding",
  metadata: { name },
  roleRef: { apiGroup: rbac, kind: "ClusterRole", name: roleName },
  subjects,
});
const binding = (namespace: string, name: string, kind: "Role" | "ClusterRole", roleName: string, subjects: Subject[]): RoleBinding => ({
  apiVersion: `${rbac}/v1`,
  kind: "RoleBinding",
  metadata: { namespace, name },
  roleRef: { apiGroup: rbac, kind, name: roleName },
  subjects,
});

const source = staticRbacSource({
  clusterRoles: [
    clusterRole("node-reader", [{ apiGroups: [""], resources: ["nodes"], verbs: ["get", "list", "watch"] }]),
    clusterRole("pod-reader", [{ apiGroups: [""], resources: ["pods", "pods/log"], verbs: ["get", "list"] }]),
    clusterRole("deployer", [{ apiGroups: ["apps"], resources: ["deployments", "deployments/scale"], verbs: ["*"] }]),
    clusterRole("status-writer", [{ apiGroups: ["*"], resources: ["*/status"], verbs: ["update", "patch"] }]),
    clusterRole("one-config", [{ apiGroups: [""], resources: ["configmaps"], resourceNames: ["app-config"], verbs: ["get", "list", "watch", "update", "delete"] }]),
    clusterRole("metrics-reader", [{ nonResourceURLs: ["/metrics", "/logs/*"], verbs: ["get"] }]),
    clusterRole("everything", [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }]),
    // Aggregation: "monitoring" gets the rules of every role labelled aggregate-to-monitoring.
    clusterRole("monitoring", [{ apiGroups: [""], resources: ["secrets"], verbs: ["*"] }], {
      metadata: {},
      aggregationRule: { clusterRoleSelectors: [{ matchLabels: { "example.com/aggregate-to-monitoring": "true" } }] },
    }),
    clusterRole("monitoring-services", [{ apiGroups: [""], resources: ["services"], verbs: ["get"] }], {
      metadata: { labels: { "example.com/aggregate-to-monitoring": "true" } },
    }),
    clusterRole("monitoring-endpoints", [], {
      metadata: { labels: { "example.com/aggregate-to-monitoring": "true" } },
      aggregationRule: { clusterRoleSelectors: [{ matchLabels: { "example.com/aggregate-to-endpoints": "true" } }] },
    }),
    clusterRole("endpoints-reader", [{ apiGroups: [""], resources: ["endpoints"], verbs: ["list"] }], {
      metadata: { labels: { "example.com/aggregate-to-endpoints": "true" } },
    }),
  ],
  clusterRoleBindings: [
    clusterBinding("alice-nodes", "node-reader", [userSubject("alice")]),
    clusterBinding("devs-deploy", "deployer", [groupSubject("devs")]),
    clusterBinding("alice-metrics", "metrics-reader", [userSubject("alice")]),
    clusterBinding("ci-status", "status-writer", [{ kind: "ServiceAccount", name: "builder", namespace: "ci" }]),
    clusterBinding("all-sas-nodes", "node-reader", [groupSubject("system:serviceaccounts:ci")]),
    clusterBinding("bob-monitoring", "monitoring", [userSubject("bob")]),
    // A service account subject without a namespace matches nobody cluster-wide.
    clusterBinding("nobody", "everything", [{ kind: "ServiceAccount", name: "builder" }]),
  ],
  roles: [role("default", "cm-editor", [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get", "create", "update"] }])],
  roleBindings: [
    binding("default", "alice-cm", "Role", "cm-editor", [userSubject("alice")]),
    binding("dev", "alice-pods", "ClusterRole", "pod-reader", [userSubject("alice")]),
    binding("default", "alice-one-config", "ClusterRole", "one-config", [userSubject("alice")]),
    // Namespace defaults to the binding's: system:serviceaccount:ci:builder.
    binding("ci", "builder-pods", "ClusterRole", "pod-reader", [{ kind: "ServiceAccount", name: "builder" }]),
    binding("ci", "dangling", "Role", "missing", [userSubject("bob")]),
  ],
});
const authorizer = new RbacAuthorizer(source);

interface Case {
  name: string;
  who: UserInfo;
  method: string;
  path: string;
  /** undefined: allowed; otherwise the exact refusal. */
  refused?: string;
}

const cases: Case[] = [
  { name: "system:masters may do anything", who: root, method: "DELETE", path: "/api/v1/nodes/n1" },
  { name: "system:masters reaches any path", who: root, method: "GET", path: "/debug/secret" },
  { name: "ClusterRoleBinding grants a user a cluster-scoped resource", who: alice, method: "GET", path: "/api/v1/nodes" },
  { name: "ClusterRoleBinding grants watch", who: alice, method: "GET", path: "/api/v1/watch/nodes" },
  {
    name: "verbs outside the rule are refused at the cluster scope",
    who: alice,
    method: "DELETE",
    path: "/api/v1/nodes/n1",
    refused: 'nodes "n1" is forbidden: User "alice" cannot delete resource "nodes" in API group "" at the cluster scope',
  },
  { name: "group subject", who: bob, method: "POST", path: "/apis/apps/v1/namespaces/prod/deployments" },
  { name: "group subject with subresource listed", who: bob, method: "PUT", path: "/apis/apps/v1/namespaces/prod/deployments/web/scale" },
  {
    name: "subresource not listed is refused, message names resource/subresource",
    who: bob,
    method: "PATCH",
    path: "/apis/apps/v1/namespaces/prod/deployments/web/status",
    refused:
      'deployments.apps "web" is forbidden: User "bob" cannot patch resource "deployments/status" in API group "apps" in the namespace "prod"',
  },
  { name: "service account by its user name (ClusterRoleBinding with namespace)", who: robot, method: "PUT", path: "/api/v1/namespaces/x/pods/p/status" },
  { name: "*/subresource matches any resource in any group", who: robot, method: "PATCH", path: "/apis/apps/v1/namespaces/x/deployments/d/status" },
  {
    name: "*/subresource does not grant the parent resource",
    who: robot,
    method: "PATCH",
    path: "/api/v1/namespaces/x/pods/p",
    refused: 'pods "p" is forbidden: User "system:serviceaccount:ci:builder" cannot patch resource "pods" in API group "" in the namespace "x"',
  },
  { name: "service-account group subject", who: robot, method: "GET", path: "/api/v1/nodes/n1" },
  { name: "service account in a RoleBinding defaults to the binding's namespace", who: robot, method: "GET", path: "/api/v1/namespaces/ci/pods/p/log" },
  {
    name: "service account RoleBinding does not reach another namespace",
    who: robot,
    method: "GET",
    path: "/api/v1/namespaces/default/pods",
    refused: 'pods is forbidden: User "system:serviceaccount:ci:builder" cannot list resource "pods" in API group "" in the namespace "default"',
  },
  { name: "RoleBinding to a Role", who: alice, method: "POST", path: "/api/v1/namespaces/default/configmaps" },
  {
    name: "RoleBinding to a Role is restricted to its namespace",
    who: alice,
    method: "POST",
    path: "/api/v1/namespaces/dev/configmaps",
    refused: 'configmaps is forbidden: User "alice" cannot create resource "configmaps" in API group "" in the namespace "dev"',
  },
  { name: "RoleBinding to a ClusterRole", who: alice, method: "GET", path: "/api/v1/namespaces/dev/pods" },
  { name: "RoleBinding to a ClusterRole with a listed subresource", who: alice, method: "GET", path: "/api/v1/namespaces/dev/pods/web/log" },
  {
    name: "RoleBinding to a ClusterRole grants nothing elsewhere",
    who: alice,
    method: "GET",
    path: "/api/v1/namespaces/default/pods",
    refused: 'pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "default"',
  },
  {
    name: "RoleBinding to a ClusterRole grants nothing cluster-wide",
    who: alice,
    method: "GET",
    path: "/api/v1/pods",
    refused: 'pods is forbidden: User "alice" cannot list resource "pods" in API group "" at the cluster scope',
  },
  {
    name: "subresource not granted by the bare resource",
    who: alice,
    method: "POST",
    path: "/api/v1/namespaces/dev/pods/web/exec",
    refused: 'pods "web" is forbidden: User "alice" cannot create resource "pods/exec" in API group "" in the namespace "dev"',
  },
  { name: "resourceNames allow the named object", who: alice, method: "DELETE", path: "/api/v1/namespaces/default/configmaps/app-config" },
  { name: "resourceNames allow a watch narrowed by metadata.name", who: alice, method: "GET", path: "/api/v1/namespaces/default/configmaps?watch=1&fieldSelector=metadata.name%3Dapp-config" },
  {
    name: "resourceNames refuse other names",
    who: alice,
    method: "DELETE",
    path: "/api/v1/namespaces/default/configmaps/other",
    refused: 'configmaps "other" is forbidden: User "alice" cannot delete resource "configmaps" in API group "" in the namespace "default"',
  },
  {
    name: "resourceNames never allow an unnarrowed list",
    who: alice,
    method: "GET",
    path: "/api/v1/namespaces/default/configmaps",
    refused: 'configmaps is forbidden: User "alice" cannot list resource "configmaps" in API group "" in the namespace "default"',
  },
  { name: "non-resource URL, exact", who: alice, method: "GET", path: "/metrics" },
  { name: "non-resource URL, trailing *", who: alice, method: "GET", path: "/logs/kube/apiserver.log" },
  {
    name: "non-resource URL prefix without its star",
    who: alice,
    method: "GET",
    path: "/logs",
    refused: 'forbidden: User "alice" cannot get path "/logs"',
  },
  {
    name: "non-resource verb is the lower-case method",
    who: alice,
    method: "POST",
    path: "/metrics",
    refused: 'forbidden: User "alice" cannot post path "/metrics"',
  },
  {
    name: "non-resource URL not granted",
    who: bob,
    method: "GET",
    path: "/metrics",
    refused: 'forbidden: User "bob" cannot get path "/metrics"',
  },
  { name: "aggregated ClusterRole grants the selected roles' rules", who: bob, method: "GET", path: "/api/v1/namespaces/a/services/s" },
  { name: "aggregation is transitive", who: bob, method: "GET", path: "/api/v1/namespaces/a/endpoints" },
  {
    name: "an aggregated ClusterRole's own rules are replaced by the union",
    who: bob,
    method: "GET",
    path: "/api/v1/namespaces/a/secrets/s",
    refused: 'secrets "s" is forbidden: User "bob" cannot get resource "secrets" in API group "" in the namespace "a"',
  },
  {
    name: "a binding to a missing role is named in the reason",
    who: bob,
    method: "GET",
    path: "/api/v1/namespaces/ci/pods",
    refused:
      'pods is forbidden: User "bob" cannot list resource "pods" in API group "" in the namespace "ci": RBAC: role.rbac.authorization.k8s.io "missing" not found',
  },
  {
    name: "a Namespace is authorized in itself",
    who: robot,
    method: "GET",
    path: "/api/v1/namespaces/default",
    refused: 'namespaces "default" is forbidden: User "system:serviceaccount:ci:builder" cannot get resource "namespaces" in API group "" in the namespace "default"',
  },
  {
    name: "service account subject without a namespace in a ClusterRoleBinding matches nobody",
    who: user("system:serviceaccount::builder"),
    method: "GET",
    path: "/api/v1/secrets",
    refused: 'secrets is forbidden: User "system:serviceaccount::builder" cannot list resource "secrets" in API group "" at the cluster scope',
  },
  {
    name: "anonymous",
    who: { name: "system:anonymous", uid: "", groups: ["system:unauthenticated"] },
    method: "GET",
    path: "/api/v1/nodes",
    refused: 'nodes is forbidden: User "system:anonymous" cannot list resource "nodes" in API group "" at the cluster scope',
  },
];

function attributes(who: UserInfo, method: string, target: string): AuthorizationAttributes {
  const url = new URL(target, "https://localhost");
  return attributesFrom(who, parseRequestInfo(method, url.pathname, url.searchParams), method, {
    path: url.pathname,
    query: url.searchParams,
  });
}

describe("RbacAuthorizer", () => {
  for (const c of cases) {
    it(c.name, () => {
      const decision = authorizer.authorize(attributes(c.who, c.method, c.path));
      if (c.refused === undefined) assert.deepEqual(decision, { allowed: true });
      else assert.deepEqual(decision, { allowed: false, reason: c.refused });
    });
  }

  it("rulesFor lists the rules of every binding that applies, aggregated", () => {
    const { rules, errors } = authorizer.rulesFor(bob, "ci");
    assert.deepEqual(
      rules.map((r) => (r.resources ?? r.nonResourceURLs ?? []).join(",")),
      ["deployments,deployments/scale", "endpoints", "services"],
    );
    assert.deepEqual(errors, ['role.rbac.authorization.k8s.io "missing" not found']);
  });

  it("forbiddenError is a 403 Forbidden naming the resource like upstream", () => {
    const attrs = attributes(alice, "DELETE", "/apis/apps/v1/namespaces/prod/deployments/web");
    const decision = authorizer.authorize(attrs);
    assert.equal(decision.allowed, false);
    const status = forbiddenError(attrs, decision.allowed ? "" : decision.reason).toStatus();
    assert.equal(status.code, 403);
    assert.equal(status.reason, "Forbidden");
    assert.deepEqual(status.details, { group: "apps", kind: "deployments", name: "web" });
    assert.equal(
      status.message,
      'deployments.apps "web" is forbidden: User "alice" cannot delete resource "deployments" in API group "apps" in the namespace "prod"',
    );
  });
});

describe("RbacAuthorizer over the bootstrap policy", () => {
  const objects = bootstrapPolicy();
  const policy = staticRbacSource({
    clusterRoles: objects.filter((o) => o.kind === "ClusterRole") as unknown as ClusterRole[],
    clusterRoleBindings: objects.filter((o) => o.kind === "ClusterRoleBinding") as unknown as ClusterRoleBinding[],
    roleBindings: [
      binding("team", "carol-admin", "ClusterRole", "admin", [userSubject("carol")]),
      binding("team", "dave-edit", "ClusterRole", "edit", [userSubject("dave")]),
      binding("team", "erin-view", "ClusterRole", "view", [userSubject("erin")]),
    ],
  });
  const bootstrapped = new RbacAuthorizer(policy);
  const anonymous: UserInfo = { name: "system:anonymous", uid: "", groups: ["system:unauthenticated"] };
  const check = (who: UserInfo, method: string, target: string): boolean =>
    bootstrapped.authorize(attributes(who, method, target)).allowed;

  it("authenticated users may discover the API and review themselves", () => {
    for (const path of ["/api", "/api/v1", "/apis", "/apis/apps/v1", "/version", "/healthz", "/openapi/v3", "/openapi/v2"]) {
      assert.equal(check(user("zed"), "GET", path), true, path);
    }
    assert.equal(check(user("zed"), "POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews"), true);
    assert.equal(check(user("zed"), "GET", "/api/v1/namespaces/default/pods"), false);
  });

  it("anonymous users see health and version only", () => {
    for (const path of ["/healthz", "/livez", "/readyz", "/version"]) assert.equal(check(anonymous, "GET", path), true, path);
    assert.equal(check(anonymous, "GET", "/api"), false);
  });

  it("admin, edit and view nest by aggregation", () => {
    const carol = user("carol");
    const dave = user("dave");
    const erin = user("erin");
    const inTeam = (resourcePath: string) => `/api/v1/namespaces/team/${resourcePath}`;
    // view: read, but no secrets and no exec
    assert.equal(check(erin, "GET", inTeam("pods")), true);
    assert.equal(check(erin, "GET", inTeam("pods/web/log")), true);
    assert.equal(check(erin, "GET", "/apis/apps/v1/namespaces/team/deployments"), true);
    assert.equal(check(erin, "GET", inTeam("secrets")), false);
    assert.equal(check(erin, "POST", inTeam("pods/web/exec")), false);
    assert.equal(check(erin, "DELETE", inTeam("pods/web")), false);
    // edit: view plus writes, secrets, exec; no RBAC
    assert.equal(check(dave, "GET", inTeam("pods")), true);
    assert.equal(check(dave, "GET", inTeam("secrets/s")), true);
    assert.equal(check(dave, "POST", inTeam("pods/web/exec")), true);
    assert.equal(check(dave, "PATCH", "/apis/apps/v1/namespaces/team/deployments/web/scale"), true);
    assert.equal(check(dave, "POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/team/rolebindings"), false);
    // admin: edit plus roles and rolebindings
    assert.equal(check(carol, "GET", inTeam("configmaps")), true);
    assert.equal(check(carol, "POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/team/rolebindings"), true);
    // none of them reaches another namespace or cluster-scoped kinds
    assert.equal(check(carol, "GET", "/api/v1/namespaces/other/pods"), false);
    assert.equal(check(carol, "GET", "/api/v1/nodes"), false);
  });

  it("system components can do their jobs", () => {
    const scheduler = user("system:kube-scheduler");
    assert.equal(check(scheduler, "POST", "/api/v1/namespaces/a/pods/p/binding"), true);
    assert.equal(check(scheduler, "GET", "/api/v1/watch/nodes"), true);
    assert.equal(check(scheduler, "DELETE", "/api/v1/nodes/n"), false);
    const controllers = user("system:kube-controller-manager");
    assert.equal(check(controllers, "POST", "/apis/apps/v1/namespaces/a/replicasets"), true);
    assert.equal(check(controllers, "DELETE", "/api/v1/namespaces/a/pods/p"), true);
    const node = user("system:node:n1", "system:nodes");
    assert.equal(check(node, "PATCH", "/api/v1/namespaces/a/pods/p/status"), true);
    assert.equal(check(node, "PUT", "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/n1"), true);
    assert.equal(check(node, "GET", "/api/v1/namespaces/a/secrets/s"), true);
    assert.equal(check(node, "DELETE", "/apis/apps/v1/namespaces/a/deployments/d"), false);
  });
});
