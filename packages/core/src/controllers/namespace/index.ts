export {
  NamespaceController,
  deletableNamespacedResources,
  namespaceFinalizer,
  namespacesRef,
  type NamespaceControllerOptions,
} from "./namespace-controller.js";
