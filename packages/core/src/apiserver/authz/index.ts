export { attributesFrom, type AuthorizationAttributes } from "./attributes.js";
export { RbacAuthorizer, type AuthorizationDecision, type RbacAuthorizerOptions, type UserRules } from "./rbac-authorizer.js";
export { staticRbacSource, type RbacSource } from "./rbac-source.js";
export { RbacCache, type RbacCacheOptions } from "./rbac-cache.js";
export { bootstrapPolicy } from "./bootstrap-policy.js";
export { ensureBootstrapPolicy, type BootstrapPolicyResult } from "./ensure-bootstrap-policy.js";
export { forbiddenError, forbiddenMessage } from "./forbidden-message.js";
export { clusterRoleRules } from "./aggregated-rules.js";
export { ruleAllows, serviceAccountUsername, subjectMatches } from "./policy-rule.js";
