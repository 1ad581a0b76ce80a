// ESLint flat config. Covers the TypeScript sources of every package, the
// integration and e2e tests, and the repository's own scripts. Import rules
// between folders live in .dependency-cruiser.cjs; type errors are tsc's job.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

/** Node globals the plain JavaScript files (scripts, configs) use. */
const nodeGlobals = Object.fromEntries(
  [
    "process",
    "console",
    "Buffer",
    "URL",
    "URLSearchParams",
    "setTimeout",
    "clearTimeout",
    "setInterval",
    "clearInterval",
    "setImmediate",
    "structuredClone",
    "module",
    "require",
    "__dirname",
  ].map((name) => [name, "readonly"]),
);

// Only bin/ turns the environment and argv into typed options; everything
// else receives them (DESIGN.md, "Options").
const environmentOnlyInBin = [
  {
    selector: "MemberExpression[object.name='process'][property.name=/^(env|argv)$/]",
    message: "Only packages/core/src/bin/ reads process.env/argv; take the value as an option instead.",
  },
  {
    selector: "MemberExpression[object.name='process'][property.value=/^(env|argv)$/]",
    message: "Only packages/core/src/bin/ reads process.env/argv; take the value as an option instead.",
  },
  {
    selector: "ImportDeclaration[source.value=/^(node:)?process$/] ImportSpecifier[imported.name=/^(env|argv)$/]",
    message: "Only packages/core/src/bin/ reads process.env/argv; take the value as an option instead.",
  },
];

export default tseslint.config(
  {
    ignores: ["**/node_modules/**", "**/dist/**", "**/*.d.ts", ".data/**", "tmp/**"],
  },
  {
    files: ["**/*.{js,mjs,cjs}"],
    ...js.configs.recommended,
    languageOptions: { globals: nodeGlobals },
  },
  {
    files: ["**/*.cjs"],
    languageOptions: { sourceType: "commonjs", globals: nodeGlobals },
  },
  ...tseslint.configs.recommended.map((config) => ({
    ...config,
    files: ["packages/**/src/**/*.ts", "packages/*/scripts/**/*.ts", "test/**/*.ts", "scripts/**/*.ts", "bench/**/*.ts"],
  })),
  {
    files: ["packages/**/src/**/*.ts", "packages/*/scripts/**/*.ts", "test/**/*.ts", "scripts/**/*.ts", "bench/**/*.ts"],
    rules: {
      "@typescript-eslint/no-explicit-any": "warn",
      // `_`-prefixed names mark a deliberately unused argument or binding
      // (interface conformance, callbacks); `const { a, ...rest } = x` is
      // the idiom for "x without a".
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ["packages/**/src/**/*.ts"],
    // Tests are not components: they may look at CI or tool paths directly.
    ignores: ["packages/core/src/bin/**", "**/*.test.ts"],
    rules: { "no-restricted-syntax": ["error", ...environmentOnlyInBin] },
  },
);
