export type { Strategy, TableColumn } from "./strategy.js";
export {
  createStrategy,
  specChanged,
  nameColumn,
  ageColumn,
  createdAtColumn,
  column,
  age,
  type StrategyOptions,
} from "./default-strategy.js";
export { builtinStrategies, strategyFor, strategyKey } from "./registry.js";
export { crdStrategies, resourceInfoFor, columnCell, type CustomResourceVersion } from "./crd-strategy.js";
export { evaluateJsonPath, parseJsonPath } from "./json-path.js";
export { humanDuration, timestampSince } from "../../util/human-duration.js";
export { deepEqual } from "./deep-equal.js";
export { generateJobSelector } from "./kinds/job.js";
export { podStatusCells, podQosClass } from "./kinds/pod.js";
export { selectorMatches } from "./kinds/label-selector.js";
