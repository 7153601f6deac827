import { describe, expect, it } from 'vitest';
import { normalizeRuleAlert } from '../../../../electron/core/alerts/normalize.js';
import { defaultPackDir } from '../../../../electron/core/config/config-loader.js';
import { loadPack } from '../../../../electron/core/config/pack-loader.js';
import { manualDemo } from '../demo/demo-harness.js';

describe("Prometheus' rules and pending alerts as a second source (on the demo)", async () => {
  const pack = await loadPack(defaultPackDir());

  it('shows HighErrorRate pending while it waits out for: 5m, then firing', async () => {
    const demo = manualDemo();
    demo.goTo(6);
    const pending = (await demo.env.metrics.listRuleAlerts!()).find((a) => a.labels.alertname === 'HighErrorRate');
    expect(pending?.state).toBe('pending');
    const shown = normalizeRuleAlert(pack, pending!, 'demo-prometheus');
    expect(shown).toMatchObject({ state: 'pending', severity: 'P1', name: 'HighErrorRate' });
    expect(shown.fingerprint).toMatch(/^prom-/);
    demo.goTo(12);
    expect((await demo.env.metrics.listRuleAlerts!()).find((a) => a.labels.alertname === 'HighErrorRate')?.state).toBe('firing');
  });

  it('lists the rule groups with health and state', async () => {
    const demo = manualDemo();
    demo.goTo(12);
    const groups = await demo.env.metrics.listRules!();
    expect(groups.map((g) => g.name)).toEqual(['tiendi_critical', 'tiendi_warning']);
    const critical = groups[0]!.rules;
    expect(critical.find((r) => r.name === 'HighErrorRate')).toMatchObject({ health: 'ok', state: 'firing', type: 'alerting' });
    expect(critical.find((r) => r.name === 'APIDown')).toBeDefined();
  });
});
