import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | null = null;

/** The folder holding Guardia's package.json, found from this file so it works from source and from dist. */
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('Cannot find Guardia package.json above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
  root = dir;
  return dir;
}

export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

/** The built renderer that browser mode serves and the Electron window loads. */
export function rendererDir(): string {
  return join(packageRoot(), 'dist', 'renderer');
}

/** Guardia's data directory: GUARDIA_HOME, else the OS's per-user config directory. */
export function guardiaHome(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.GUARDIA_HOME) return env.GUARDIA_HOME;
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Guardia');
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Guardia');
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'guardia');
}
