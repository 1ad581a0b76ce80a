/**
 * kubectl's resource arguments: `TYPE[,TYPE...] [NAME...]` or
 * `TYPE/NAME [TYPE/NAME...]`, resolved through discovery.
 */
import type { ResourceInfo } from "../api/index.js";
import type { Discovery } from "../client/index.js";

export interface ResourceSelection {
  info: ResourceInfo;
  /** Undefined means "all of this type" (a list). */
  names?: string[];
}

export async function resolveResourceArgs(discovery: Discovery, args: string[]): Promise<ResourceSelection[]> {
  if (args.length === 0) throw new Error("you must specify the type of resource to get");
  if (args[0]!.includes("/")) {
    const out: ResourceSelection[] = [];
    for (const arg of args) {
      const slash = arg.indexOf("/");
      if (slash <= 0 || slash === arg.length - 1) {
        throw new Error(`arguments in resource/name form must have a single resource and name`);
      }
      const info = await discovery.resolve(arg.slice(0, slash));
      const name = arg.slice(slash + 1);
      const same = out.find((s) => s.info === info);
      if (same) same.names!.push(name);
      else out.push({ info, names: [name] });
    }
    return out;
  }
  const [types, ...names] = args;
  const words = types!.split(",").filter(Boolean);
  if (names.some((n) => n.includes("/"))) {
    throw new Error(`there is no need to specify a resource type as a separate argument when passing arguments in resource/name form`);
  }
  // With several types and names, each name is looked up in each type, as kubectl does.
  const infos = await Promise.all(words.map((w) => discovery.resolve(w)));
  return infos.map((info) => (names.length ? { info, names: [...names] } : { info }));
}
