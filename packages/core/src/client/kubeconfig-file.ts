/**
 * Loading a kubeconfig from disk (Node only). Relative file paths inside it
 * (certificate-authority, client-certificate, client-key, tokenFile) are
 * relative to the kubeconfig's own folder, as in client-go.
 */
import { readFile } from "node:fs/promises";
import { dirname, isAbsolute, resolve } from "node:path";
import { KubeconfigError, resolveKubeconfig, type ClientConfig } from "./kubeconfig.js";

export async function loadKubeconfig(path: string, options: { context?: string } = {}): Promise<ClientConfig> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") {
      throw new KubeconfigError(`stat ${path}: no such file or directory`);
    }
    throw err;
  }
  const base = dirname(path);
  return resolveKubeconfig(text, {
    ...(options.context ? { context: options.context } : {}),
    readFile: (p) => readFile(isAbsolute(p) ? p : resolve(base, p), "utf8"),
  });
}
