import { _electron as electron, expect, test } from '@playwright/test';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startXvfb, type XvfbHandle } from '../helpers/services.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Where the Electron binary is, or why there is none. Never `require('electron')`: from v42 that
 * starts a download when the binary is missing (and GitHub is unreachable on these machines).
 */
function findElectronBinary(): { path: string } | { reason: string } {
  let pkgDir: string;
  try {
    pkgDir = dirname(createRequire(join(root, 'package.json')).resolve('electron/package.json'));
  } catch {
    return { reason: 'the electron package is not installed (npm ci)' };
  }
  const pathTxt = join(pkgDir, 'path.txt');
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const name = existsSync(pathTxt) ? readFileSync(pathTxt, 'utf8').trim() : override ? 'electron' : null;
  if (!name) {
    return {
      reason: `${pathTxt} is missing: the binary was never downloaded (GitHub is unreachable here; on a machine with network, \`npm start\` or \`npx install-electron\` fetches it)`,
    };
  }
  const binary = join(override ?? join(pkgDir, 'dist'), name);
  return existsSync(binary) ? { path: binary } : { reason: `${binary} does not exist` };
}

const found = findElectronBinary();

test.describe('Electron window', () => {
  let xvfb: XvfbHandle | undefined;

  test.afterAll(async () => {
    await xvfb?.stop();
  });

  test('opens the Guardia window', async () => {
    test.skip('reason' in found, `no Electron binary: ${'reason' in found ? found.reason : ''}`);
    if (!('path' in found)) return;
    const env: Record<string, string> = { ...(process.env as Record<string, string>) };
    if (process.platform === 'linux' && !env.DISPLAY) {
      xvfb = await startXvfb();
      env.DISPLAY = xvfb.display;
    }
    const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    const app = await electron.launch({
      executablePath: found.path,
      args: [...(asRoot ? ['--no-sandbox'] : []), '.'],
      cwd: root,
      env,
    });
    try {
      const window = await app.firstWindow();
      await expect(window).toHaveTitle(/Guardia/);
    } finally {
      await app.close();
    }
  });
});
