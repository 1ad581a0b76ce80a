export { registerClientCommands, runCli, type RunCliOptions } from "./register-client-commands.js";
export type { ClientCommandsOptions, OutputStream } from "./cli-context.js";
export { formatError } from "./format-error.js";
export { splitDocuments, readManifests, type Manifest } from "./manifests.js";
export { adminKubeconfigFile } from "./kubeconfig.js";
