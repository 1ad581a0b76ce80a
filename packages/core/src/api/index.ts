export * from "./errors.js";
export * from "./object.js";
export * from "./schema.js";
export * from "./resource-info.js";
export type * from "./types.js";
export * from "./quantity.js";
export * from "./schema-validation.js";
export * from "./openapi/index.js";
export * from "./defaults/index.js";
// The matcher is `LabelSelectorMatcher` here: `LabelSelector` is the API struct from types.ts.
export {
  parseLabelSelector,
  labelSelectorFromStruct,
  formatLabelSelector,
  labelKeyProblem,
  labelValueProblem,
  type LabelSelector as LabelSelectorMatcher,
  type LabelSelectorStruct,
  type Requirement,
  type SelectorOperator,
} from "./label-selector.js";
export * from "./field-selector.js";
