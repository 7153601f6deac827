#!/usr/bin/env node
// Runs the TypeScript CLI through tsx in a checkout; a packaged build ships dist/cli/guardia.mjs.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const built = fileURLToPath(new URL('../dist/cli/guardia.mjs', import.meta.url));
let entry;
try {
  const { register } = await import('tsx/esm/api');
  register();
  entry = await import('../electron/cli/index.ts');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !existsSync(built)) throw error;
  entry = await import(pathToFileURL(built).href);
}
process.on('unhandledRejection', (reason) => {
  entry.reportUnexpected(reason);
  process.exitCode = 1;
});
const code = await entry.main(process.argv.slice(2));
process.exit(code);
