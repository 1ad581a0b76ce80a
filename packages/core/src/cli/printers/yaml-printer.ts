/**
 * kubectl's YAML: keys sorted (it round-trips through Go maps), sequences
 * not indented under their key, documents of a stream separated by `---`.
 */
import { stringify } from "yaml";

export function printYaml(value: unknown): string {
  return stringify(value, { sortMapEntries: true, indentSeq: false, lineWidth: 0, aliasDuplicateObjects: false });
}
