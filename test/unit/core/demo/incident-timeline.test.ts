import { describe, it, expect } from 'vitest';
import type { GettableAlert } from '../../../../electron/core/ports.js';
import { CYCLE_MS } from '../../../../electron/core/demo/index.js';
import { MIN, T0, manualDemo } from './demo-harness.js';

const find = (alerts: GettableAlert[], name: string): GettableAlert | undefined => alerts.find((a) => a.labels.alertname === name);

describe('demo incident timeline', () => {
  it('starts quiet and deploys tiendi-api 60 s of sim time after start', async () => {
    const demo = manualDemo();
    expect(demo.deployAt).toBe(T0 + 60_000);
    demo.goTo(-1);
    expect(demo.env.clock.now()).toBe(T0);
    expect(demo.env.simulation.phase()).toBe('quiet');
    expect(await demo.value('overview.error-rate')).toBeLessThan(1);
    expect(await demo.alertNames()).toEqual([]);
    const api = (await demo.env.cluster.listDeployments('production')).find((d) => d.name === 'tiendi-api');
    expect(api).toMatchObject({ replicas: 3, readyReplicas: 3, revision: 8 });
    demo.goTo(0.5);
    expect(demo.env.simulation.phase()).toBe('deploying');
    const deployed = (await demo.env.cluster.listDeployments('production')).find((d) => d.name === 'tiendi-api');
    expect(deployed?.revision).toBe(9);
    expect(deployed?.image).toContain('tiendi-api:v2.14.0');
  });

  it('goes quiet → deploying → degraded → incident → recovering → quiet within one cycle', () => {
    const demo = manualDemo();
    demo.goTo(60);
    const phases: string[] = [];
    for (let t = demo.deployAt - MIN; t < demo.deployAt + 59 * MIN; t += 15_000) {
      const p = demo.env.simulation.phase(t);
      if (phases[phases.length - 1] !== p) phases.push(p);
    }
    expect(phases).toEqual(['quiet', 'deploying', 'degraded', 'incident', 'recovering', 'quiet']);
  });

  it('exhausts the DB pool and peaks at ~35% errors, worst on checkout, orders and payments', async () => {
    const demo = manualDemo();
    demo.goTo(20);
    expect(demo.env.simulation.phase()).toBe('incident');
    const error = await demo.value('overview.error-rate');
    expect(error).toBeGreaterThan(33);
    expect(error).toBeLessThan(37.5);
    expect(await demo.value('infra.db-pool-usage')).toBeGreaterThan(97);
    expect(await demo.value('infra.db-connections')).toBeGreaterThanOrEqual(97);
    expect(await demo.value('overview.latency-p95')).toBeGreaterThan(1);
    const byEndpoint = await demo.env.metrics.instant({ id: 'overview.error-rate-by-endpoint', expr: '' }, demo.env.clock.now());
    const rate = (e: string): number => byEndpoint.data.find((s) => s.labels.endpoint === e)?.value ?? NaN;
    for (const worst of ['/api/checkout', '/api/orders', '/api/payments']) {
      for (const other of ['/api/products', '/api/search', '/api/cart']) expect(rate(worst)).toBeGreaterThan(rate(other));
    }
    expect(demo.env.simulation.describe()).toMatch(/^incident: tiendi-api tiendi-api:v2\.14\.0 \(revision 9/);
  });

  it('fires HighErrorRate only after the error rate held above 5% for 5 sim minutes, then APIDown', async () => {
    const demo = manualDemo();
    const now = demo.goTo(15);
    const range = await demo.env.metrics.range({ id: 'overview.error-rate', expr: '' }, { start: demo.deployAt, end: now, stepSeconds: 15 });
    const over = (range.data[0]?.points ?? []).find(([, v]) => (v ?? 0) > 5);
    expect(over).toBeDefined();
    const crossedAt = (over as [number, number])[0];

    demo.goTo((crossedAt - demo.deployAt) / MIN + 4);
    expect(await demo.alertNames()).not.toContain('HighErrorRate');

    demo.goTo((crossedAt - demo.deployAt) / MIN + 5.75);
    const alerts = await demo.env.alerts.listAlerts();
    const high = find(alerts, 'HighErrorRate');
    expect(high).toBeDefined();
    expect(Date.parse(high?.startsAt ?? '')).toBeGreaterThanOrEqual(crossedAt + 5 * MIN - 30_000);
    expect(find(alerts, 'APIDown')).toBeUndefined();
    expect(high?.labels).toMatchObject({ severity: 'critical', team: 'backend' });
    expect(high?.annotations).toMatchObject({
      summary: 'High error rate detected',
      runbook: 'https://runbook.tiendi.pe/high-error-rate',
    });
    expect(high?.receivers.map((r) => r.name)).toContain('pagerduty-critical');
    expect(high?.status).toEqual({ state: 'active', silencedBy: [], inhibitedBy: [] });
    expect(high?.fingerprint).toMatch(/^[0-9a-f]{16}$/);

    demo.goTo(15);
    const later = await demo.env.alerts.listAlerts();
    expect(find(later, 'HighErrorRate')?.fingerprint).toBe(high?.fingerprint);
    expect(find(later, 'HighErrorRate')?.annotations.description).toBe('Error rate is 35.2%');
    const apiDown = find(later, 'APIDown');
    expect(apiDown).toBeDefined();
    expect(Date.parse(apiDown?.startsAt ?? '')).toBeGreaterThan(Date.parse(high?.startsAt ?? ''));
    expect(apiDown?.labels.instance).toMatch(/^tiendi-api-[a-z0-9]+-[a-z0-9]{5}:8080$/);
    expect(apiDown?.receivers.map((r) => r.name)).toContain('pagerduty-critical');
    expect(await demo.value('health.api')).toBe(0);
    const pod = (await demo.env.cluster.listPods('production')).find((p) => `${p.name}:8080` === apiDown?.labels.instance);
    expect(pod?.ready).toBe('0/1');
    expect(pod?.restarts).toBeGreaterThan(0);
    for (const name of ['HighLatency', 'ErrorBudgetBurnRateHigh']) {
      const warning = find(later, name);
      expect(warning?.labels.severity).toBe('warning');
      expect(warning?.receivers).toEqual([{ name: 'slack-warnings' }]);
    }
  });

  it('resolves by itself after ~35 sim minutes and the alerts disappear', async () => {
    const demo = manualDemo();
    const incident: number[] = [];
    demo.goTo(60);
    for (let t = demo.deployAt; t < demo.deployAt + 60 * MIN; t += 15_000) {
      if (demo.env.simulation.phase(t) === 'incident') incident.push(t);
    }
    const minutes = ((incident[incident.length - 1] ?? 0) - (incident[0] ?? 0)) / MIN;
    expect(minutes).toBeGreaterThan(32);
    expect(minutes).toBeLessThan(38);

    demo.goTo(45);
    expect(await demo.alertNames()).toEqual([]);
    expect(await demo.value('overview.error-rate')).toBeLessThan(1);
    expect(await demo.value('health.api')).toBe(1);
    expect(demo.env.simulation.phase()).toBe('quiet');
    expect(demo.env.simulation.describe()).toContain('a colleague rolled back');
    expect(demo.env.simulation.actions()).toEqual([]);
    const api = (await demo.env.cluster.listDeployments('production')).find((d) => d.name === 'tiendi-api');
    expect(api?.image).toContain('tiendi-api:v2.13.2');
  });

  it('repeats with a new deploy every cycle', async () => {
    const demo = manualDemo();
    demo.goTo(CYCLE_MS / MIN + 20);
    expect(await demo.value('overview.error-rate')).toBeGreaterThan(30);
    expect(await demo.alertNames()).toEqual(['APIDown', 'ErrorBudgetBurnRateHigh', 'HighErrorRate', 'HighLatency']);
    const api = (await demo.env.cluster.listDeployments('production')).find((d) => d.name === 'tiendi-api');
    expect(api?.image).toContain('tiendi-api:v2.15.0');
    expect(api?.revision).toBe(11);
  });
});
