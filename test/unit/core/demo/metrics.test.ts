import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it, expect } from 'vitest';
import { createDemoEnvironment } from '../../../../electron/core/demo/index.js';
import { DEMO_QUERY_IDS } from '../../../../electron/core/demo/demo-metrics.js';
import { MIN, T0, manualDemo } from './demo-harness.js';

const BRIEF_IDS = [
  'slo.api-availability', 'slo.api-latency-p95', 'slo.api-error-rate', 'slo.web-page-load', 'slo.payments-availability',
  'slo.search-latency-p95', 'slo.db-query-latency', 'health.api', 'health.database', 'health.cache', 'health.queue',
  'overview.rps', 'overview.success-rate', 'overview.error-rate', 'overview.latency-p50', 'overview.latency-p95',
  'overview.latency-p99', 'overview.error-rate-by-endpoint', 'overview.latency-p95-by-endpoint', 'infra.node-cpu',
  'infra.pods-ready', 'infra.db-pool-usage', 'infra.db-connections', 'infra.redis-hit-rate', 'infra.redis-memory',
  'infra.redis-clients', 'infra.redis-ops', 'business.gmv-per-hour', 'business.orders-per-minute',
  'business.average-ticket', 'business.conversion-rate', 'business.active-users', 'security.failed-logins',
  'security.rate-limit-hits', 'security.blocked-ips', 'security.invalid-tokens',
];

describe('demo metrics', () => {
  it('answers every query id of the brief and of the Tiendi pack', () => {
    expect([...DEMO_QUERY_IDS].sort()).toEqual([...BRIEF_IDS].sort());
    const root = fileURLToPath(new URL('../../../../resources/packs/tiendi/', import.meta.url));
    for (const file of ['dashboards.yaml', 'slos.yaml']) {
      const ids = [...readFileSync(root + file, 'utf8').matchAll(/^\s*(?:- )?id: ([a-z]+\.[a-z0-9.-]+)\s*$/gm)].map((m) => m[1]);
      for (const id of ids) expect(DEMO_QUERY_IDS).toContain(id);
    }
  });

  it('gives plausible quiet-time values', async () => {
    const demo = manualDemo();
    demo.goTo(-1);
    expect(await demo.value('slo.api-availability')).toBeCloseTo(99.955, 2);
    expect(await demo.value('slo.payments-availability')).toBeGreaterThan(99.95);
    expect(await demo.value('slo.api-latency-p95')).toBeLessThan(0.5);
    expect(await demo.value('overview.rps')).toBeGreaterThan(380);
    expect(await demo.value('overview.rps')).toBeLessThan(950);
    expect(await demo.value('overview.success-rate')).toBeGreaterThan(99.9);
    expect(await demo.value('infra.db-connections')).toBeLessThan(60);
    expect(await demo.value('infra.pods-ready')).toBe(12);
    for (const id of ['health.api', 'health.database', 'health.cache', 'health.queue']) expect(await demo.value(id)).toBe(1);
    const cpu = await demo.env.metrics.instant({ id: 'infra.node-cpu', expr: '' }, demo.env.clock.now());
    expect(cpu.data.map((s) => s.labels.instance)).toEqual(['aks-nodepool1-0', 'aks-nodepool1-1', 'aks-nodepool1-2']);
  });

  it('rejects an unknown query id, naming it', async () => {
    const demo = manualDemo();
    await expect(demo.env.metrics.instant({ id: 'overview.nope', expr: 'up' }, T0)).rejects.toThrow('"overview.nope"');
    await expect(demo.env.metrics.range({ id: 'overview.nope', expr: 'up' }, { start: T0 - MIN, end: T0, stepSeconds: 15 })).rejects.toThrow(
      'overview.nope',
    );
  });

  it('returns one point per step, one series per label set', async () => {
    const demo = manualDemo();
    const now = demo.goTo(10);
    const start = now - 15 * MIN;
    const r = await demo.env.metrics.range({ id: 'overview.error-rate-by-endpoint', expr: '' }, { start, end: now, stepSeconds: 15 });
    expect(r.warnings).toEqual([]);
    expect(r.data.map((s) => s.labels.endpoint).sort()).toEqual(
      ['/api/cart', '/api/checkout', '/api/orders', '/api/payments', '/api/products', '/api/search'],
    );
    for (const s of r.data) {
      expect(s.points).toHaveLength(61);
      expect(s.points.map(([t]) => t)).toEqual(Array.from({ length: 61 }, (_, i) => start + i * 15_000));
    }
    const odd = await demo.env.metrics.range({ id: 'overview.rps', expr: '' }, { start, end: now - 1, stepSeconds: 60 });
    expect(odd.data[0]?.points).toHaveLength(15);
  });

  it('knows nothing of the future: points after now are left out and instants are clamped to now', async () => {
    const demo = manualDemo();
    const now = demo.goTo(10);
    const r = await demo.env.metrics.range({ id: 'overview.rps', expr: '' }, { start: now - 5 * MIN, end: now + 5 * MIN, stepSeconds: 60 });
    expect(r.data[0]?.points).toHaveLength(6);
    const future = await demo.env.metrics.instant({ id: 'overview.error-rate', expr: '' }, now + 30 * MIN);
    const present = await demo.env.metrics.instant({ id: 'overview.error-rate', expr: '' }, now);
    expect(future.data).toEqual(present.data);
  });

  it('refuses more than 11,000 points and bad ranges, like Prometheus', async () => {
    const demo = manualDemo();
    const now = demo.goTo(10);
    await expect(demo.env.metrics.range({ id: 'overview.rps', expr: '' }, { start: now - 30 * 24 * 60 * MIN, end: now, stepSeconds: 15 })).rejects.toThrow(
      /11,000 points/,
    );
    const max = await demo.env.metrics.range({ id: 'overview.rps', expr: '' }, { start: now - 10_999 * 15_000, end: now, stepSeconds: 15 });
    expect(max.data[0]?.points).toHaveLength(11_000);
    await expect(demo.env.metrics.range({ id: 'overview.rps', expr: '' }, { start: now, end: now - MIN, stepSeconds: 15 })).rejects.toThrow(/before start/);
    await expect(demo.env.metrics.range({ id: 'overview.rps', expr: '' }, { start: now - MIN, end: now, stepSeconds: 0 })).rejects.toThrow(/step/);
  });

  it('respects an aborted signal', async () => {
    const demo = manualDemo();
    const now = demo.goTo(10);
    const aborted = AbortSignal.abort();
    await expect(demo.env.metrics.instant({ id: 'overview.rps', expr: '' }, now, aborted)).rejects.toThrow(/abort/i);
    await expect(demo.env.metrics.range({ id: 'overview.rps', expr: '' }, { start: now - MIN, end: now, stepSeconds: 15 }, aborted)).rejects.toThrow(/abort/i);
    await expect(demo.env.alerts.listAlerts(aborted)).rejects.toThrow(/abort/i);
    await expect(demo.env.cluster.listPods('production', aborted)).rejects.toThrow(/abort/i);
  });

  it('computes a 15-minute dashboard refresh of 20 queries in a few ms', async () => {
    const demo = manualDemo();
    const now = demo.goTo(20);
    const ids = DEMO_QUERY_IDS.slice(0, 20);
    const refresh = async (end: number): Promise<void> => {
      for (const id of ids) await demo.env.metrics.range({ id, expr: '' }, { start: end - 15 * MIN, end, stepSeconds: 15 });
    };
    for (let i = 0; i < 5; i++) await refresh(now - i * 1_000); // warm up
    const started = performance.now();
    await refresh(now - 7_000);
    // A few ms on a developer machine; the bound leaves room for slow CI runners.
    expect(performance.now() - started).toBeLessThan(50);
  });
});

describe('demo clock', () => {
  it('runs sim time at speed from startAt and defaults the start to real now', () => {
    let real = 5_000_000;
    const fast = createDemoEnvironment({ speed: 10, startAt: T0, realNow: () => real });
    real += 1_500;
    expect(fast.clock.now()).toBe(T0 + 15_000);

    const defaults = createDemoEnvironment({ realNow: () => real });
    expect(defaults.clock.now()).toBe(real);
    expect(defaults.simulation.firstDeployAt).toBe(real + 60_000);
    expect(defaults.simulation.seed).toBe(42);
  });

  it('sleeps in real time and stops on abort', async () => {
    const demo = createDemoEnvironment({ speed: 1000, startAt: T0 });
    const started = Date.now();
    await demo.clock.sleep(20);
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
    const controller = new AbortController();
    const pending = demo.clock.sleep(60_000, controller.signal);
    controller.abort();
    await expect(pending).rejects.toThrow(/abort/i);
  });

  it('rejects a non-positive speed', () => {
    expect(() => createDemoEnvironment({ speed: 0 })).toThrow(/speed/);
  });
});
