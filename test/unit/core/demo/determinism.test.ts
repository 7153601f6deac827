import { describe, it, expect } from 'vitest';
import { MIN, manualDemo } from './demo-harness.js';

const IDS = ['overview.rps', 'overview.error-rate', 'overview.error-rate-by-endpoint', 'infra.node-cpu', 'infra.db-pool-usage', 'slo.api-availability'];

async function sample(seed: number, at: number[]): Promise<unknown[]> {
  const demo = manualDemo({ seed });
  demo.goTo(30);
  const out: unknown[] = [];
  for (const id of IDS) {
    for (const m of at) out.push((await demo.env.metrics.instant({ id, expr: '' }, demo.deployAt + m * MIN)).data);
  }
  out.push((await demo.env.cluster.listPods('production')).map((p) => [p.name, p.phase, p.restarts]));
  out.push((await demo.env.alerts.listAlerts()).map((a) => [a.fingerprint, a.startsAt, a.annotations]));
  return out;
}

describe('demo determinism', () => {
  it('gives identical numbers, pods and alerts for the same seed at the same sim times', async () => {
    const times = [-20, -0.5, 0, 2.5, 3.25, 12, 29.75];
    expect(await sample(7, times)).toEqual(await sample(7, times));
  });

  it('gives different noise for a different seed, but the same story', async () => {
    const a = manualDemo({ seed: 1 });
    const b = manualDemo({ seed: 2 });
    a.goTo(20);
    b.goTo(20);
    const rpsA = await a.value('overview.rps');
    const rpsB = await b.value('overview.rps');
    expect(rpsA).not.toBe(rpsB);
    expect(Math.abs(rpsA - rpsB) / rpsA).toBeLessThan(0.1);
    expect(await a.value('overview.error-rate')).toBeGreaterThan(30);
    expect(await b.value('overview.error-rate')).toBeGreaterThan(30);
    const podsA = (await a.env.cluster.listPods('production')).map((p) => p.name);
    const podsB = (await b.env.cluster.listPods('production')).map((p) => p.name);
    expect(podsA).not.toEqual(podsB);
  });

  it('evaluates the same instant to the same value whatever the query step', async () => {
    const demo = manualDemo();
    const now = demo.goTo(15);
    const start = now - 30 * MIN;
    const fine = await demo.env.metrics.range({ id: 'overview.rps', expr: '' }, { start, end: now, stepSeconds: 15 });
    const coarse = await demo.env.metrics.range({ id: 'overview.rps', expr: '' }, { start, end: now, stepSeconds: 60 });
    const fineByTime = new Map(fine.data[0]?.points);
    for (const [t, v] of coarse.data[0]?.points ?? []) expect(fineByTime.get(t)).toBe(v);
    const instant = await demo.env.metrics.instant({ id: 'overview.rps', expr: '' }, start + 5 * MIN);
    expect(instant.data[0]?.value).toBe(fineByTime.get(start + 5 * MIN));
  });

  it('never uses Math.random', async () => {
    const original = Math.random;
    Math.random = () => {
      throw new Error('Math.random called');
    };
    try {
      const demo = manualDemo({ seed: 3 });
      demo.goTo(12);
      await demo.env.metrics.range({ id: 'overview.error-rate', expr: '' }, { start: demo.deployAt - 30 * MIN, end: demo.env.clock.now(), stepSeconds: 15 });
      await demo.env.alerts.listAlerts();
      await demo.env.cluster.listPods('production');
      await demo.env.cluster.rolloutUndo('production', 'tiendi-api', { dryRun: false });
    } finally {
      Math.random = original;
    }
  });
});
