/**
 * The kubectl-like verbs of `skiff`, added to a commander program by bin/
 * (and by `runCli` for in-process use and tests).
 */
import { Command, CommanderError } from "commander";
import { CliContext, type ClientCommandsOptions, type OutputStream } from "./cli-context.js";
import { registerGet } from "./get.js";
import { registerDescribe } from "./describe.js";
import { registerApply } from "./apply.js";
import { registerDelete } from "./delete.js";
import { registerKubeconfig } from "./kubeconfig.js";
import { registerScale } from "./scale.js";
import { registerRollout } from "./rollout.js";

export function registerClientCommands(program: Command, options: ClientCommandsOptions): void {
  const ctx = new CliContext(options);
  registerGet(program, ctx);
  registerDescribe(program, ctx);
  registerApply(program, ctx);
  registerDelete(program, ctx);
  registerKubeconfig(program, ctx);
  registerScale(program, ctx);
  registerRollout(program, ctx);
}

export interface RunCliOptions extends Omit<ClientCommandsOptions, "setExitCode" | "stdout" | "stderr"> {
  stdout: OutputStream;
  stderr: OutputStream;
}

/**
 * Runs one client command in-process: `argv` is the words after `skiff`
 * (e.g. `["get", "pods", "-A"]`). Returns the exit code; never exits the
 * process.
 */
export async function runCli(argv: string[], options: RunCliOptions): Promise<number> {
  let code = 0;
  const program = new Command("skiff");
  program
    .exitOverride()
    .configureOutput({
      writeOut: (s) => void options.stdout.write(s),
      writeErr: (s) => void options.stderr.write(s),
    });
  registerClientCommands(program, { ...options, setExitCode: (c) => (code = c) });
  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    throw err;
  }
  return code;
}
