/**
 * Startup to first live panel: from spawning `node bin/guardia.mjs serve --no-open` on the embedded demo
 * to Chromium (already running, as a user's browser is) showing a number in the overview's `stat-rps`
 * tile. Reference, measured in the same run: spawn to the server printing its URL (Node starting, the
 * core composed, the port listening) — what is left of the figure is the page, the first poll and the
 * first render. Median of a few cold starts, each with a fresh GUARDIA_HOME.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from '@playwright/test';
import { report } from './bench-kit.js';

const root = new URL('..', import.meta.url).pathname;
const runs = 5;
if (!existsSync(join(root, 'dist/renderer/index.html'))) {
  await new Promise((resolve, reject) =>
    spawn(process.execPath, ['scripts/build.mjs', '--renderer'], { cwd: root, stdio: 'inherit' }).on('exit', (c) => (c === 0 ? resolve(null) : reject(new Error(`renderer build failed (exit ${c})`)))),
  );
}

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'] });

async function coldStart(): Promise<{ ready: number; live: number }> {
  const home = mkdtempSync(join(tmpdir(), 'guardia-bench-startup-'));
  const t0 = performance.now();
  let context: BrowserContext | undefined;
  const srv = spawn(process.execPath, ['bin/guardia.mjs', 'serve', '--no-open'], { cwd: root, env: { ...process.env, GUARDIA_HOME: home } });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`guardia serve printed no URL within 20 s: ${out}`)), 20_000);
      srv.stdout.on('data', (d) => {
        out += String(d);
        const m = /Guardia at (\S+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      srv.on('exit', (code) => reject(new Error(`guardia serve exited (${code}): ${out}`)));
    });
    const ready = performance.now() - t0;
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, bypassCSP: true });
    const page = await context.newPage();
    await page.goto(url);
    // In-page code goes as text (the Node tsconfig has no DOM types); bypassCSP lets Playwright eval it.
    await page.waitForFunction(`/\\d/.test(document.querySelector('[data-testid="stat-rps"]')?.textContent ?? '')`, null, { timeout: 20_000, polling: 'raf' });
    const live = performance.now() - t0;
    return { ready, live };
  } finally {
    // The page's event stream holds the server open: close it first, and do not wait forever.
    await context?.close();
    srv.kill('SIGINT');
    const killer = setTimeout(() => srv.kill('SIGKILL'), 5_000);
    await new Promise((r) => (srv.exitCode !== null ? r(null) : srv.once('exit', r)));
    clearTimeout(killer);
    rmSync(home, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
try {
  await coldStart(); // warm the disk cache and Chromium once
  const results: Array<{ ready: number; live: number }> = [];
  for (let i = 0; i < runs; i++) results.push(await coldStart());
  const ready = median(results.map((r) => r.ready));
  const live = median(results.map((r) => r.live));
  process.stderr.write(`startup: ${results.map((r) => `${Math.round(r.ready)}/${Math.round(r.live)} ms`).join(', ')} (server URL / live stat-rps)\n`);
  report({
    name: 'startup to first live panel (serve → stat-rps in Chromium)',
    reference: `spawn → server URL printed: ${Math.round(ready)} ms`,
    figure: `${Math.round(live)} ms (median of ${runs})`,
    ratio: Number((live / ready).toFixed(2)),
  });
} finally {
  await browser.close();
}
process.exit(0);
