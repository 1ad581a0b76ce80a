/**
 * `skiff kubeconfig`: where the server wrote the admin kubeconfig
 * (`<data-dir>/admin.kubeconfig`), or its content with --raw, so that
 * `export KUBECONFIG=$(skiff kubeconfig)` works.
 */
import type { Command } from "commander";
import { access, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { CliContext } from "./cli-context.js";

export const adminKubeconfigFile = "admin.kubeconfig";

export function registerKubeconfig(program: Command, ctx: CliContext): void {
  program
    .command("kubeconfig")
    .description("Print the path of the admin kubeconfig (or its content with --raw)")
    .option("--data-dir <dir>", "the server's data directory")
    .option("--raw", "print the kubeconfig itself")
    .action(ctx.action((flags: { dataDir?: string; raw?: boolean }) => runKubeconfig(ctx, flags)));
}

export async function runKubeconfig(ctx: CliContext, flags: { dataDir?: string; raw?: boolean }): Promise<number> {
  const dataDir = flags.dataDir ?? ctx.options.defaultDataDir;
  if (!dataDir) throw new Error("--data-dir is required");
  const path = join(dataDir, adminKubeconfigFile);
  try {
    await access(path);
  } catch {
    throw new Error(`no admin kubeconfig at ${path}; start the server first (skiff server --data-dir ${dataDir})`);
  }
  ctx.out(flags.raw ? await readFile(path, "utf8") : path + "\n");
  return 0;
}
