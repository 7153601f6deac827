import { defineConfig } from '@playwright/test';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * Chromium leaves dirs behind in TMPDIR: give it (and Playwright's profile dirs) one of our own,
 * emptied once per run. The runner sets the variable; its workers inherit it and keep the dir.
 */
function e2eTmpDir(): string {
  const existing = process.env.GUARDIA_E2E_TMPDIR;
  if (existing) return existing;
  const dir = join(root, '.tmp', 'e2e-tmp');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  process.env.GUARDIA_E2E_TMPDIR = dir;
  return dir;
}

const tmp = e2eTmpDir();
process.env.TMPDIR = tmp;

/** Flags that work for /usr/bin/chromium as root here (shared/ENVIRONMENT.md); Playwright supplies a fresh --user-data-dir. */
const chromiumArgs = [
  '--no-sandbox',
  '--test-type',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** E2e against `guardia serve` in the system Chromium; one worker; screenshots in test-results/screenshots. */
export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results',
  workers: 1,
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e-results.json' }]],
  use: {
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1280, height: 800 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: chromiumArgs,
      env: { ...process.env, TMPDIR: tmp } as Record<string, string>,
    },
  },
});
