/**
 * 10,000-alert render in Chromium: a real Alertmanager holding 10,000 firing alerts, `guardia serve`
 * quick-connected to it, the Alerts view opened in /usr/bin/chromium. Measures navigation → the count
 * chip showing the total, and the frame time while scrolling the virtualized list end to end.
 * Reference, in the same run: the same page over a second Alertmanager holding 100 alerts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from '@playwright/test';
import { report } from './bench-kit.js';
import { startAlertmanager, type AlertmanagerHandle } from '../test/helpers/services.js';

const root = new URL('..', import.meta.url).pathname;
if (!existsSync(join(root, 'dist/renderer/index.html'))) {
  await new Promise((resolve, reject) =>
    spawn(process.execPath, ['scripts/build.mjs', '--renderer'], { cwd: root, stdio: 'inherit' }).on('exit', (c) => (c === 0 ? resolve(null) : reject(new Error(`renderer build failed (exit ${c})`)))),
  );
}

/** Pushes `count` firing alerts (an hour long) into Alertmanager, in batches. */
async function push(am: AlertmanagerHandle, count: number): Promise<void> {
  const endsAt = new Date(Date.now() + 3600_000).toISOString();
  for (let start = 0; start < count; start += 1000) {
    const batch = Array.from({ length: Math.min(1000, count - start) }, (_, k) => {
      const n = start + k;
      return {
        labels: { alertname: `RenderAlert${n % 97}`, severity: n % 50 === 0 ? 'critical' : n % 7 === 0 ? 'warning' : 'info', service: `svc-${n % 40}`, instance: `pod-${n}` },
        annotations: { summary: `Render alert ${n} on svc-${n % 40}`, description: `Alert number ${n} for the render benchmark.` },
        startsAt: new Date(Date.now() - n * 1000).toISOString(),
        endsAt,
      };
    });
    const res = await fetch(`${am.url}/api/v2/alerts`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(batch) });
    if (!res.ok) throw new Error(`Alertmanager refused alerts: ${res.status} ${await res.text()}`);
  }
  // Alertmanager aggregates asynchronously: wait until it lists them all.
  for (let i = 0; i < 100; i++) {
    const listed = (await (await fetch(`${am.url}/api/v2/alerts?active=true`)).json()) as unknown[];
    if (listed.length >= count) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`Alertmanager did not list ${count} alerts within 20 s`);
}

async function serve(am: AlertmanagerHandle): Promise<{ url: string; proc: ChildProcess }> {
  const home = mkdtempSync(join(tmpdir(), 'guardia-bench-render-'));
  homes.push(home);
  const proc = spawn(process.execPath, ['bin/guardia.mjs', 'serve', '--no-open', '--alertmanager', am.url, '--refresh', '2'], {
    cwd: root,
    env: { ...process.env, GUARDIA_HOME: home },
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`guardia serve printed no URL within 20 s: ${out}`)), 20_000);
    proc.stdout!.on('data', (d) => {
      out += String(d);
      const m = /Guardia at (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    proc.on('exit', (code) => reject(new Error(`guardia serve exited (${code}): ${out}`)));
  });
  return { url, proc };
}

/** One page load: navigation → count chip shows `total`; then a scroll through the list, frame by frame. */
async function measure(browser: Browser, url: string, total: number): Promise<{ loadMs: number; frameMs: number; worstFrameMs: number }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, bypassCSP: true });
  const page = await context.newPage();
  const t0 = performance.now();
  await page.goto(url);
  await page.click('[data-testid="nav-alerts"]');
  // In-page code goes as text (the Node tsconfig has no DOM types); bypassCSP lets Playwright eval it.
  await page.waitForFunction(
    `(document.querySelector('[data-testid="alerts-count"]')?.textContent ?? '').replace(/[\\s.,\\u00a0\\u202f]/g, '').endsWith('${total}')`,
    null,
    { timeout: 30_000, polling: 'raf' },
  );
  const loadMs = performance.now() - t0;
  // Scroll the virtualized list top to bottom in 120 steps, one per animation frame; time each frame.
  const frames = (await page.evaluate(`(async () => {
    const list = document.querySelector('[data-testid="alert-list"]');
    const steps = 120;
    const max = list.scrollHeight - list.clientHeight;
    const times = [];
    let last = await new Promise((r) => requestAnimationFrame(r));
    for (let i = 1; i <= steps; i++) {
      list.scrollTop = (max * i) / steps;
      const now = await new Promise((r) => requestAnimationFrame(r));
      times.push(now - last);
      last = now;
    }
    return times;
  })()`)) as number[];
  await context.close();
  const sorted = [...frames].sort((a, b) => a - b);
  return { loadMs, frameMs: sorted[Math.floor(sorted.length / 2)]!, worstFrameMs: sorted.at(-1)! };
}

const sizes = [100, 10_000] as const;
const ams: AlertmanagerHandle[] = [];
const servers: ChildProcess[] = [];
const homes: string[] = [];
let browser: Browser | null = null;
try {
  const targets: Array<{ total: number; url: string }> = [];
  for (const total of sizes) {
    const am = await startAlertmanager();
    ams.push(am);
    await push(am, total);
    const { url, proc } = await serve(am);
    servers.push(proc);
    targets.push({ total, url });
  }
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'] });
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const results = new Map<number, Array<Awaited<ReturnType<typeof measure>>>>();
  // Interleaved, three rounds each after one warm-up, so both sizes see the same machine.
  for (let round = 0; round < 4; round++) {
    for (const { total, url } of targets) {
      const r = await measure(browser, url, total);
      if (round > 0) results.set(total, [...(results.get(total) ?? []), r]);
    }
  }
  const of = (total: number) => {
    const rs = results.get(total)!;
    return { load: median(rs.map((r) => r.loadMs)), frame: median(rs.map((r) => r.frameMs)), worst: Math.max(...rs.map((r) => r.worstFrameMs)) };
  };
  const small = of(100);
  const big = of(10_000);
  process.stderr.write(`render: 100 alerts ${JSON.stringify(small)}; 10,000 alerts ${JSON.stringify(big)}\n`);
  report({
    name: '10,000-alert render (navigation → count shown, Chromium)',
    reference: `same page with 100 alerts: ${Math.round(small.load)} ms`,
    figure: `${Math.round(big.load)} ms`,
    ratio: Number((big.load / small.load).toFixed(2)),
  });
  report({
    name: '10,000-alert scroll frame time (virtualized list)',
    reference: `100 alerts: ${small.frame.toFixed(1)} ms/frame`,
    figure: `${big.frame.toFixed(1)} ms/frame median, worst ${big.worst.toFixed(0)} ms`,
    ratio: Number((big.frame / small.frame).toFixed(2)),
  });
} finally {
  await browser?.close();
  for (const p of servers) p.kill('SIGINT');
  await Promise.allSettled(ams.map((am) => am.stop()));
  for (const home of homes) rmSync(home, { recursive: true, force: true, maxRetries: 3 });
}
process.exit(0);
