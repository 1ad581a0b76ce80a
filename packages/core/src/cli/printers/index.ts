export * from "./table-printer.js";
export { objectsToTable } from "./object-table.js";
export { humanDuration } from "../../util/human-duration.js";
export { printYaml } from "./yaml-printer.js";
export { printJson } from "./json-printer.js";
export { printName, resourceTypeName } from "./name-printer.js";
export { jsonPath, compileJsonPath, JsonPathError } from "./jsonpath.js";
export { describeObject, describeEvents } from "./describe-printer.js";
