#!/usr/bin/env node
// Builds everything `npm start` and `guardia serve` need: the renderer (Vite) into dist/renderer,
// the Electron main process and preload, and a bundled CLI (esbuild) into dist/.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const only = process.argv.includes('--renderer') ? 'renderer' : process.argv.includes('--node') ? 'node' : 'all';

if (only !== 'node') {
  const vite = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (vite.status !== 0) process.exit(vite.status ?? 1);
}

if (only !== 'renderer') {
  const common = { absWorkingDir: root, bundle: true, platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning' };
  await Promise.all([
    // Main process and CLI keep npm dependencies external: electron-builder packs node_modules.
    build({ ...common, entryPoints: ['electron/main/main.ts'], outfile: 'dist/electron/main.mjs', format: 'esm', packages: 'external' }),
    build({ ...common, entryPoints: ['electron/cli/index.ts'], outfile: 'dist/cli/guardia.mjs', format: 'esm', packages: 'external' }),
    // A sandboxed preload cannot require npm modules: bundle everything but electron, as CommonJS.
    build({ ...common, entryPoints: ['electron/preload/preload.ts'], outfile: 'dist/electron/preload.cjs', format: 'cjs', external: ['electron'] }),
  ]);
}
console.log(`built ${only === 'all' ? 'renderer, Electron main/preload and CLI' : only} into dist/`);
