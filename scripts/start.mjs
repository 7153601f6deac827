#!/usr/bin/env node
// `npm start`: build, then launch the Electron app. Where no Electron binary can be had (it downloads
// on first run), say so in one line and fall back to browser mode (`guardia serve`).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);

const built = spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);

/** The Electron executable, downloading it on first run as electron's own launcher does. */
function electronBinary() {
  const dir = join(root, 'node_modules', 'electron');
  if (!existsSync(dir)) return { error: 'the electron package is not installed (run npm install)' };
  const pathFile = join(dir, 'path.txt');
  const binary = () => (existsSync(pathFile) ? join(dir, 'dist', readFileSync(pathFile, 'utf8')) : null);
  if (!binary() || !existsSync(binary())) {
    const r = spawnSync(process.execPath, [join(dir, 'install.js')], { cwd: root, encoding: 'utf8', timeout: 300_000 });
    if (r.status !== 0 || !binary() || !existsSync(binary())) {
      const reason = `${r.stderr ?? ''}${r.stdout ?? ''}`.split('\n').find((l) => /error/i.test(l))?.trim();
      return { error: `the Electron binary could not be downloaded${reason ? ` (${reason.slice(0, 160)})` : ''}` };
    }
  }
  return { path: binary() };
}

const electron = electronBinary();
if (electron.path) {
  const child = spawn(electron.path, [root, ...args], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.error(`Electron unavailable: ${electron.error}; starting browser mode instead.`);
  const child = spawn(process.execPath, [join(root, 'bin/guardia.mjs'), 'serve', ...args], { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 0));
}
