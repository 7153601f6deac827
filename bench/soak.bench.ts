/**
 * Soak: the core polling a busy environment for a simulated week's shift. The embedded demo runs at a
 * very fast clock (every dashboard panel and SLO polled, the pod list, the demo's PagerDuty) plus a fake
 * Alertmanager churning 10,000 alerts (a few hundred appear and resolve each poll); a subscriber consumes
 * every event as the SSE face would (serializing it) and the views ask for what a user looks at.
 * Reports the heap slope over the second half (after warm-up) against the first half's level, the
 * handle count drift, and the worst event-loop stall against 100 ms. The curve goes to stderr.
 */
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { report, stallMonitor } from './bench-kit.js';
import { Core } from '../electron/core/core.js';
import { createDemoEnvironment } from '../electron/core/demo/index.js';
import { DemoPagerDuty } from '../electron/core/demo/demo-pagerduty.js';
import { defaultPackDir } from '../electron/core/config/config-loader.js';
import { loadPack } from '../electron/core/config/pack-loader.js';
import { Journal } from '../electron/core/journal/journal.js';
import { silentLogger } from '../electron/core/log/logger.js';
import { notificationsModule } from '../electron/core/notifications/notifications-module.js';
import { notificationSettingsSchema } from '../shared/notifications.js';
import type { AlertSource, GettableAlert } from '../electron/core/ports.js';

const simWeekMs = 7 * 24 * 3600_000;
const realSeconds = Number(process.env.SOAK_SECONDS ?? 80);
const pollSeconds = 0.2;
const speed = simWeekMs / (realSeconds * 1000);
const totalAlerts = 10_000;
const churnPerPoll = 200;
// The runner starts benches without flags: expose gc here, so each sample is the live heap, not garbage.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const sampleEvery = 5; // view rounds (about a second of real time each five)

/** A fake Alertmanager: 10,000 firing alerts of which `churnPerPoll` resolve and as many new ones fire per poll. */
function churningAlerts(now: () => number): AlertSource & { polls: number } {
  let next = 0;
  const live = new Map<number, GettableAlert>();
  const make = (n: number): GettableAlert => {
    const t = new Date(now()).toISOString();
    return {
      fingerprint: `soak${n.toString(16).padStart(12, '0')}`,
      labels: { alertname: `SoakAlert${n % 97}`, severity: n % 50 === 0 ? 'critical' : n % 7 === 0 ? 'warning' : 'info', service: `svc-${n % 40}`, instance: `pod-${n}` },
      annotations: { summary: `Soak alert ${n} on svc-${n % 40}`, description: `Generated alert number ${n} for the soak benchmark.` },
      startsAt: t,
      endsAt: new Date(now() + 300_000).toISOString(),
      updatedAt: t,
      status: { state: 'active', silencedBy: [], inhibitedBy: [] },
      receivers: [{ name: 'soak' }],
    };
  };
  for (; next < totalAlerts; next++) live.set(next, make(next));
  const source = {
    name: 'soak-am',
    polls: 0,
    listAlerts: async () => {
      source.polls++;
      // The oldest resolve, new ones fire: the total stays at 10,000 while the set keeps moving.
      let dropped = 0;
      for (const key of live.keys()) {
        if (dropped++ >= churnPerPoll) break;
        live.delete(key);
      }
      for (let i = 0; i < churnPerPoll; i++, next++) live.set(next, make(next));
      return [...live.values()];
    },
  };
  return source;
}

const pack = await loadPack(defaultPackDir());
const home = await mkdtemp(join(tmpdir(), 'guardia-bench-soak-'));
await mkdir(join(home, 'journal'), { recursive: true });
const demo = createDemoEnvironment({ speed });
const churn = churningAlerts(demo.clock.now);
const alertSources = [demo.alerts, churn];
const environment = { id: 'demo', name: 'Tiendi demo', production: true, readOnly: false };
const paging = new DemoPagerDuty(pack, demo.alerts, demo.clock.now);
const core = new Core({
  version: '0.0.0-soak',
  pack,
  environment,
  environments: [environment],
  metrics: demo.metrics,
  alertSources,
  cluster: demo.cluster,
  clock: demo.clock,
  journal: new Journal(join(home, 'journal'), demo.clock.now),
  logger: silentLogger,
  refreshSeconds: pollSeconds,
  actor: 'soak',
  paging,
  pagingPollSeconds: pollSeconds,
  modules: [notificationsModule({ settings: notificationSettingsSchema.parse(undefined), alertSources, paging: null, me: null })],
});

// The SSE face serializes every event; so does this subscriber (and keeps nothing).
let events = 0;
let eventBytes = 0;
core.subscribe((event) => {
  events++;
  eventBytes += JSON.stringify(event).length;
});

interface Sample {
  simDays: number;
  heapMb: number;
  handles: number;
}
const samples: Sample[] = [];
const sample = () => {
  const resources = process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap');
  samples.push({ simDays: (demo.clock.now() - startSim) / 86_400_000, heapMb: process.memoryUsage().heapUsed / 1048576, handles: resources.length });
};

const startSim = demo.clock.now();
const loop = stallMonitor();
core.start();
loop.resume();
const dashboards = pack.dashboards.map((d) => d.id);
const t0 = performance.now();
let lastSampledAt = -1;
let views = 0;
let warm = false;
const snapshotMs: number[] = [];
let warmupStallMs = 0;
while (performance.now() - t0 < realSeconds * 1000) {
  await new Promise((r) => setTimeout(r, pollSeconds * 1000));
  // What the renderer asks for while a user looks: the dashboard on screen (alerts arrive as deltas).
  const dash = await core.invoke('dashboards.get', { id: dashboards[views++ % dashboards.length], rangeMinutes: 15 });
  if (!dash.ok) throw new Error(`dashboards.get failed: ${JSON.stringify(dash)}`);
  if (views >= lastSampledAt + sampleEvery) {
    lastSampledAt = views;
    // A reconnecting renderer loads the full alert snapshot (10,000 alerts, validated): counted as a
    // stall like any other work, and timed on its own too.
    const s0 = performance.now();
    const list = await core.invoke('alerts.list', {});
    snapshotMs.push(performance.now() - s0);
    if (!list.ok) throw new Error(`alerts.list failed: ${JSON.stringify(list)}`);
    // A forced full GC blocks the loop by itself (only so each sample is the live heap): not counted.
    loop.pause();
    gc();
    sample();
    loop.resume();
  }
  // The first tenth is warm-up (10,000 alerts seen and journaled at once): its stalls are reported apart.
  if (!warm && performance.now() - t0 > realSeconds * 100) {
    warm = true;
    warmupStallMs = loop.max;
    loop.reset();
  }
}
loop.pause();
await core.stop();
await rm(home, { recursive: true, force: true });
gc();
const simDays = (demo.clock.now() - startSim) / 86_400_000;

// Curve: a few points to stderr.
const step = Math.max(1, Math.floor(samples.length / 10));
process.stderr.write(`soak: ${churn.polls} alert polls, ${events} events (${(eventBytes / 1048576).toFixed(0)} MB serialized), ${simDays.toFixed(2)} sim days, speed ${Math.round(speed)}×\n`);
process.stderr.write('  sim day | heap MB | handles\n');
for (let i = 0; i < samples.length; i += step) {
  const s = samples[i]!;
  process.stderr.write(`  ${s.simDays.toFixed(2).padStart(7)} | ${s.heapMb.toFixed(1).padStart(7)} | ${s.handles}\n`);
}

const firstHalf = samples.slice(1, Math.floor(samples.length / 2));
const secondHalf = samples.slice(Math.floor(samples.length / 2));
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
/** Least-squares slope of y over x. */
const slope = (xs: number[], ys: number[]) => {
  const mx = mean(xs);
  const my = mean(ys);
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
};
if (secondHalf.length < 3) throw new Error(`soak: only ${samples.length} samples; run longer (SOAK_SECONDS)`);
const level = mean(firstHalf.map((s) => s.heapMb));
const mbPerDay = slope(secondHalf.map((s) => s.simDays), secondHalf.map((s) => s.heapMb));
const handleSlope = slope(secondHalf.map((s) => s.simDays), secondHalf.map((s) => s.handles));
// The bound holds for the whole week, the first poll of 10,000 alerts included.
const stallMs = Math.max(loop.max, warmupStallMs);

report({
  name: 'soak memory slope (heap, 2nd half of a sim week)',
  reference: `1st-half heap level: ${level.toFixed(1)} MB`,
  figure: `${mbPerDay >= 0 ? '+' : ''}${mbPerDay.toFixed(2)} MB/sim day; handles ${secondHalf[0]!.handles}→${secondHalf.at(-1)!.handles} (${handleSlope.toFixed(2)}/day)`,
  ratio: Number((mbPerDay / level).toFixed(4)),
});
report({
  name: 'soak worst event-loop stall',
  reference: 'stall bound: 100 ms',
  figure: `${stallMs.toFixed(0)} ms worst (first poll of 10,000 alerts: ${warmupStallMs.toFixed(0)} ms; after it: ${loop.max.toFixed(0)} ms, p99 ${loop.percentile(99).toFixed(0)} ms); a reconnect's 10,000-alert snapshot (alerts.list) counted, median ${[...snapshotMs].sort((a, b) => a - b)[Math.floor(snapshotMs.length / 2)]!.toFixed(0)} ms`,
  ratio: Number((stallMs / 100).toFixed(3)),
});
process.exit(0);
