import { execFile } from 'node:child_process';
import { delimiter } from 'node:path';

/**
 * An app launched from a desktop menu or the Dock gets a minimal PATH (often /usr/bin:/bin), so tools
 * the user installed through their shell profile — `az`, `kubelogin`, `gke-gcloud-auth-plugin` — are
 * not found. Asking the user's login shell once for its PATH (as VS Code's shell-env resolution does)
 * and merging it in fixes that. Shared by the Azure CLI credential and Kubernetes exec plugins.
 */

let cached: Promise<string | null> | null = null;

/** The login shell's PATH, asked once per process (`$SHELL -ilc 'printf %s "$PATH"'`); null when unavailable. */
export function loginShellPath(env: NodeJS.ProcessEnv = process.env): Promise<string | null> {
  if (process.platform === 'win32') return Promise.resolve(null);
  cached ??= new Promise((resolve) => {
    const shell = env.SHELL || '/bin/sh';
    execFile(shell, ['-ilc', 'printf %s "$PATH"'], { timeout: 5_000, env, encoding: 'utf8' }, (error, stdout) => {
      // Profiles may print banners before the PATH; the PATH is the last line.
      const last = (stdout ?? '').trim().split('\n').pop() ?? '';
      resolve(error || !last ? null : last);
    });
  });
  return cached;
}

/** `current` followed by the login shell's entries it lacks (the app's own order wins; nothing is dropped). */
export function mergePath(current: string | undefined, login: string | null): string {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const part of [...(current ?? '').split(delimiter), ...(login ?? '').split(delimiter)]) {
    if (!part || seen.has(part)) continue;
    seen.add(part);
    out.push(part);
  }
  return out.join(delimiter);
}

/**
 * Adds the login shell's PATH to this process's PATH, once. Needed where a library spawns a tool with
 * the process environment and takes no env option (@azure/identity's AzureCliCredential runs `az`).
 */
export async function applyLoginShellPath(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  env.PATH = mergePath(env.PATH, await loginShellPath(env));
}

/** For tests: forget the cached answer. */
export function resetLoginShellPathCache(): void {
  cached = null;
}
