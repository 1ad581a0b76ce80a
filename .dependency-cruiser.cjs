// Import rules of packages/core/src, from DESIGN.md "Who may import whom":
//
//   util ← api ← client ← informer, workqueue ← control-loop ←
//   controllers, scheduler, kubelet, proxy, network, dns, ingress, serverless, gpu
//   apiserver → storage, api, util (only apiserver and roles import storage)
//   cli → client, api, util;  roles → everything but bin and cli;  bin → roles, cli
//
// Each folder below lists the folders it may import besides itself; anything
// else under packages/core/src is refused, including folders not listed here
// yet (add a new folder to the table when you create it). Tests (`*.test.ts`)
// and `testing/` folders may import across the table, so that a test can
// wire a fake or a real lower layer to the thing it tests; production code
// may never import them. No runtime import cycles anywhere.

const src = "^packages/core/src/";

/** The layers a component built on the control loop may use. */
const controlLoopAndBelow = ["control-loop", "informer", "workqueue", "client", "api", "util"];

/** @type {Record<string, string[]>} folder → folders it may import */
const mayImport = {
  util: [],
  api: ["util"],
  client: ["api", "util"],
  storage: ["util"],
  informer: ["client", "api", "util"],
  workqueue: ["client", "api", "util"],
  "control-loop": ["informer", "workqueue", "client", "api", "util"],
  controllers: controlLoopAndBelow,
  scheduler: controlLoopAndBelow,
  kubelet: controlLoopAndBelow,
  proxy: controlLoopAndBelow,
  network: controlLoopAndBelow,
  dns: controlLoopAndBelow,
  ingress: controlLoopAndBelow,
  serverless: controlLoopAndBelow,
  gpu: controlLoopAndBelow,
  apiserver: ["storage", "api", "util"],
  cli: ["client", "api", "util"],
  // The composition root: wires every component, but no entry point.
  roles: [
    "apiserver",
    "storage",
    "controllers",
    "scheduler",
    "kubelet",
    "proxy",
    "network",
    "dns",
    "ingress",
    "serverless",
    "gpu",
    "control-loop",
    "informer",
    "workqueue",
    "client",
    "api",
    "util",
  ],
  // argv/env → typed options (api, util types) → a role or a CLI command.
  bin: ["roles", "cli", "api", "util"],
};

const testCode = "(\\.test\\.ts$|/testing/)";

const layerRules = Object.entries(mayImport).map(([folder, allowed]) => ({
  name: `${folder}-imports`,
  severity: "error",
  comment:
    allowed.length === 0
      ? `${folder}/ imports nothing else of ours (DESIGN.md, "Who may import whom").`
      : `${folder}/ may import only ${allowed.join(", ")} (DESIGN.md, "Who may import whom").`,
  from: { path: `${src}${folder}/`, pathNot: testCode },
  to: { path: src, pathNot: `${src}(${[folder, ...allowed].join("|")})/` },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: "no-circular",
      severity: "error",
      comment:
        "A runtime import cycle makes load order matter and the folders inseparable. " +
        "Break it by moving the shared part down a layer, or import types only.",
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ["type-only"] } },
    },
    {
      name: "no-test-code-in-production",
      severity: "error",
      comment: "Production code may not import test files or testing/ fakes.",
      from: { path: "^packages/", pathNot: testCode },
      to: { path: testCode },
    },
    {
      name: "dashboard-imports-api-and-client-only",
      severity: "error",
      comment: "The browser app may import only core's browser-safe api and client (DESIGN.md, Layout).",
      from: { path: "^packages/dashboard/" },
      to: { path: "^packages/core/(src|dist)/", pathNot: "^packages/core/(src|dist)/(api|client)/" },
    },
    {
      name: "no-dev-dependencies-in-production",
      severity: "error",
      comment: "Production code runs without devDependencies; only tests and testing/ may use them.",
      from: { path: "^packages/[^/]+/src/", pathNot: testCode },
      to: { dependencyTypes: ["npm-dev"], dependencyTypesNot: ["type-only"] },
    },
    {
      name: "not-to-unresolvable",
      severity: "error",
      comment: "An import that resolves to nothing (a typo, or a package that is not installed).",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // Lint runs on packages/*/src. Imports into packages and into built
    // output (the dashboard reaches core through @skiff/core → dist/) are
    // recorded, so the rules above can judge them, but not cruised further.
    doNotFollow: { path: "(^|/)(node_modules|dist)/" },
    // Count `import type` too: a layer must not even know the types of the
    // layers above it (api and client stay browser-safe).
    tsPreCompilationDeps: true,
    // NodeNext sources import `./x.js`; the tsconfig lets those resolve to
    // `./x.ts`.
    tsConfig: { fileName: require("node:path").join(__dirname, "packages/core/tsconfig.json") },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".js", ".mjs", ".cjs", ".json", ".d.ts"],
      mainFields: ["module", "main", "types", "typings"],
    },
  },
};
