import { describe, expect, it } from 'vitest';
import { matchesAll, validateMatchers } from '../../../../electron/core/alerts/silence-match.js';
import { changedAlerts } from '../../../../electron/core/alerts/normalize.js';
import { matcherText } from '../../../../electron/core/alerts/silences.js';
import { createDemoEnvironment } from '../../../../electron/core/demo/index.js';
import type { Alert } from '../../../../shared/domain.js';

describe('silence matchers (as Alertmanager matches them)', () => {
  const labels = { alertname: 'HighCPUUsage', instance: 'node-12', team: 'infra' };
  it('needs every matcher to hold; regexes are anchored', () => {
    expect(matchesAll([{ name: 'alertname', value: 'HighCPUUsage', isRegex: false }], labels)).toBe(true);
    expect(matchesAll([{ name: 'instance', value: 'node-1', isRegex: true }], labels)).toBe(false);
    expect(matchesAll([{ name: 'instance', value: 'node-1.*', isRegex: true }], labels)).toBe(true);
    expect(matchesAll([{ name: 'alertname', value: 'HighCPUUsage', isRegex: false }, { name: 'team', value: 'sre', isRegex: false }], labels)).toBe(false);
  });
  it('negates with isEqual false, and treats a missing label as empty', () => {
    expect(matchesAll([{ name: 'team', value: 'sre', isRegex: false, isEqual: false }], labels)).toBe(true);
    expect(matchesAll([{ name: 'pod', value: '', isRegex: false }], labels)).toBe(true);
  });
  it('refuses matchers that would silence everything, bad regexes and bad label names', () => {
    expect(validateMatchers([{ name: 'instance', value: '.*', isRegex: true }])).toMatch(/every alert/);
    expect(validateMatchers([{ name: 'instance', value: '(', isRegex: true }])).toMatch(/not a valid regular expression/);
    expect(validateMatchers([{ name: 'bad-name', value: 'x', isRegex: false }])).toMatch(/not a valid label name/);
    expect(validateMatchers([{ name: 'alertname', value: 'X', isRegex: false }])).toBeNull();
  });
  it('writes matchers as amtool does', () => {
    expect(matcherText({ name: 'instance', value: 'api-.*', isRegex: true, isEqual: false })).toBe('instance!~"api-.*"');
  });
});

describe('changed alerts between polls', () => {
  const a = { fingerprint: 'f1', silenced: false, inhibited: false, state: 'firing' } as Alert;
  it('reports an alert that became silenced, not one that stayed the same', () => {
    const prev = new Map([['f1', a]]);
    expect(changedAlerts(prev, [{ ...a, silenced: true }])).toHaveLength(1);
    expect(changedAlerts(prev, [a])).toHaveLength(0);
    expect(changedAlerts(new Map(), [a])).toHaveLength(0);
  });
});

describe('silences on the embedded demo', () => {
  it('silences matching alerts, lists the silence, and expiring it unsilences them', async () => {
    let real = 1_000_000;
    const demo = createDemoEnvironment({ seed: 42, speed: 60, startAt: Date.UTC(2025, 10, 25, 19), realNow: () => real });
    real += (demo.simulation.firstDeployAt - Date.UTC(2025, 10, 25, 19) + 20 * 60_000) / 60;
    const firing = await demo.alerts.listAlerts();
    expect(firing.map((x) => x.labels.alertname)).toContain('HighErrorRate');
    const now = demo.clock.now();
    const id = await demo.alerts.createSilence!({
      matchers: [{ name: 'alertname', value: 'HighErrorRate', isRegex: false }],
      startsAt: new Date(now).toISOString(),
      endsAt: new Date(now + 3_600_000).toISOString(),
      createdBy: 'ana',
      comment: 'known',
    });
    const silenced = await demo.alerts.listAlerts();
    expect(silenced.find((x) => x.labels.alertname === 'HighErrorRate')!.status).toMatchObject({ state: 'suppressed', silencedBy: [id] });
    expect(silenced.filter((x) => x.labels.alertname !== 'HighErrorRate').every((x) => x.status.silencedBy.length === 0)).toBe(true);
    expect((await demo.alerts.listSilences!()).map((s) => [s.id, s.status.state])).toEqual([[id, 'active']]);
    await demo.alerts.expireSilence!(id);
    expect((await demo.alerts.listSilences!())[0]!.status.state).toBe('expired');
    expect((await demo.alerts.listAlerts()).every((x) => x.status.silencedBy.length === 0)).toBe(true);
  });
});
