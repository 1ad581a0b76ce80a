export {
  schemaFor,
  schemaForDefinition,
  builtinDefinitionName,
  resolveSchema,
  definitions,
  objectMetaDefinition,
} from "./schema-graph.js";
export {
  openApiV3Document,
  openApiV3DocumentHash,
  openApiV3Index,
  openApiV3Path,
  definitionNameFor,
  customResourceDefinitionName,
  customResourceSchema,
} from "./document.js";
export { sha512Hex } from "./sha512.js";
