import { describe, expect, it } from 'vitest';
import { NotificationEngine, type EngineEnvironment } from '../../../../electron/core/notifications/notification-engine.js';
import { notificationSettingsSchema, type NotificationSettings } from '../../../../shared/notifications.js';
import type { Alert } from '../../../../shared/domain.js';

let n = 0;
const alert = (name: string, severity: Alert['severity'], extra: Partial<Alert> = {}): Alert => ({
  fingerprint: `fp-${n++}`,
  name,
  state: 'firing',
  severity,
  labels: { alertname: name },
  annotations: {},
  summary: `${name} summary`,
  startsAt: 0,
  endsAt: null,
  silenced: false,
  inhibited: false,
  runbookUrl: null,
  playbookId: null,
  sources: ['am'],
  ...extra,
});

const min = 60_000;
/** A manual clock: tests move `now` by hand. */
function setup(settings: Partial<NotificationSettings> = {}, env: Partial<EngineEnvironment> = {}) {
  let i = 0;
  const engine = new NotificationEngine(notificationSettingsSchema.parse(settings), 5, { onCall: () => true, canSilence: true, me: 'Ana', ...env }, () => `n${i++}`);
  return engine;
}

describe('notification policy', () => {
  it('notifies new P1 and P2 alerts, not P3/P4 or silenced ones, and each alert once', () => {
    const e = setup();
    const p1 = alert('APIDown', 'P1');
    const out = e.onAlerts(0, [p1, alert('HighLatency', 'P2'), alert('DiskSpaceLow', 'P3'), alert('X', 'P1', { silenced: true })], []);
    expect(out.map((o) => o.title)).toEqual(['P1 APIDown', 'P2 HighLatency']);
    expect(out[0]).toMatchObject({ kind: 'alert', alertFingerprint: p1.fingerprint, ackTarget: 'silence' });
    expect(e.onAlerts(1000, [p1], [])).toEqual([]);
  });

  it('coalesces a storm over the time window into one summary naming the commonest alerts', () => {
    const e = setup({ stormThreshold: 3, stormWindowSeconds: 20 });
    const shown = [];
    // 37 alerts arrive over several polls within 20 s: the first three show, the rest wait for the summary.
    for (let poll = 0; poll < 4; poll++) {
      const batch = [...Array(poll === 0 ? 10 : 9)].map((_, k) => (k % 3 === 0 ? alert('APIDown', 'P1') : alert('HighErrorRate', 'P1')));
      shown.push(...e.onAlerts(poll * 5000, batch, []));
      shown.push(...e.tick(poll * 5000));
    }
    expect(shown).toHaveLength(3);
    const summary = e.tick(20_000);
    expect(summary).toHaveLength(1);
    expect(summary[0]).toMatchObject({ kind: 'storm', severity: 'P1', title: '37 alerts in 20 s' });
    expect(summary[0]!.body).toMatch(/^37 alerts in 20 s: 24 HighErrorRate, 13 APIDown$/);
    // The storm goes on: more alerts in the next window are summarised again, not shown one by one.
    expect(e.onAlerts(25_000, [alert('APIDown', 'P1'), alert('APIDown', 'P1')], [])).toEqual([]);
    expect(e.tick(40_000).map((x) => x.title)).toEqual(['2 alerts in 20 s']);
    // Once it is quiet for a window, a new alert shows at once again.
    e.tick(61_000);
    expect(e.onAlerts(62_000, [alert('DatabaseDown', 'P1')], []).map((x) => x.title)).toEqual(['P1 DatabaseDown']);
  });

  it('notifies an unacknowledged P1 again every ackWithinMinutes until it is acknowledged', () => {
    const e = setup();
    const a = alert('APIDown', 'P1');
    const b = alert('HighLatency', 'P2');
    e.onAlerts(0, [a, b], []);
    expect(e.tick(4 * min)).toEqual([]);
    const again = e.tick(5 * min);
    expect(again).toHaveLength(1);
    expect(again[0]).toMatchObject({ kind: 'renotify', alertFingerprint: a.fingerprint, title: 'Not acknowledged: P1 APIDown' });
    expect(e.tick(9 * min)).toEqual([]);
    expect(e.tick(10 * min)).toHaveLength(1);
    e.acknowledged(`alert:${a.fingerprint}`);
    expect(e.tick(20 * min)).toEqual([]);
  });

  it('stops re-notifying when the alert resolves or someone silences it', () => {
    const e = setup();
    const a = alert('APIDown', 'P1');
    const c = alert('DatabaseDown', 'P1');
    e.onAlerts(0, [a, c], []);
    e.onAlerts(min, [], [a]);
    e.onAlerts(2 * min, [{ ...c, silenced: true }], []);
    expect(e.tick(6 * min)).toEqual([]);
    expect(e.state(6 * min).pending).toEqual([]);
  });

  it('off call, only incidents assigned to me notify (configurable)', () => {
    const off = setup({}, { onCall: () => false });
    expect(off.onAlerts(0, [alert('APIDown', 'P1')], [])).toEqual([]);
    const incidents = off.onIncidents(0, [
      { id: 'PD1', title: 'API down', status: 'triggered', severity: 'P1', assignedToMe: true },
      { id: 'PD2', title: 'Other team', status: 'triggered', severity: 'P1', assignedToMe: false },
    ]);
    expect(incidents.map((x) => x.incidentId)).toEqual(['PD1']);
    expect(incidents[0]).toMatchObject({ kind: 'incident', ackTarget: 'pagerduty' });
    const all = setup({ offCall: 'all' }, { onCall: () => false });
    expect(all.onAlerts(0, [alert('APIDown', 'P1')], [])).toHaveLength(1);
  });

  it('an acknowledged incident stops its reminders; a new triggered one notifies', () => {
    const e = setup();
    e.onIncidents(0, [{ id: 'PD1', title: 'API down', status: 'triggered', severity: 'P1', assignedToMe: true }]);
    e.onIncidents(2 * min, [{ id: 'PD1', title: 'API down', status: 'acknowledged', severity: 'P1', assignedToMe: true }]);
    expect(e.tick(6 * min)).toEqual([]);
  });

  it('snooze holds P2 but a P1 pierces it; both configurable', () => {
    const e = setup();
    e.snooze(0, 15);
    expect(e.state(0).snoozedUntil).toBe(15 * min);
    const out = e.onAlerts(min, [alert('APIDown', 'P1'), alert('HighLatency', 'P2')], []);
    expect(out.map((o) => o.title)).toEqual(['P1 APIDown']);
    expect(e.onAlerts(16 * min, [alert('HighLatency', 'P2')], [])).toHaveLength(1);
    const strict = setup({ pierceSnooze: [] });
    strict.snooze(0, 15);
    expect(strict.onAlerts(min, [alert('APIDown', 'P1')], [])).toEqual([]);
    strict.snooze(2 * min, 0);
    expect(strict.state(2 * min).snoozedUntil).toBeNull();
    expect(strict.onAlerts(3 * min, [alert('APIDown', 'P1')], [])).toHaveLength(1);
  });

  it('alerts already firing at start are never announced', () => {
    const e = setup();
    const a = alert('APIDown', 'P1');
    e.markKnown(`alert:${a.fingerprint}`);
    expect(e.onAlerts(0, [a], [])).toEqual([]);
  });
});

describe('alerts and their PagerDuty incidents', () => {
  it('wakes me once: the incident of an announced alert takes over its reminders without a second notification', () => {
    const e = setup();
    const a = alert('APIDown', 'P1');
    expect(e.onAlerts(0, [a], [])).toHaveLength(1);
    const incident = { id: 'PD9', title: '[FIRING:1] APIDown', status: 'triggered' as const, severity: 'P1' as const, assignedToMe: true, alertFingerprint: a.fingerprint };
    expect(e.onIncidents(1000, [incident])).toEqual([]);
    expect(e.state(1000).pending).toMatchObject([{ key: 'incident:PD9', incidentId: 'PD9', ackTarget: 'pagerduty', firstNotifiedAt: 0 }]);
    expect(e.tick(5 * min)[0]).toMatchObject({ kind: 'renotify', incidentId: 'PD9', ackTarget: 'pagerduty' });
    e.onIncidents(6 * min, [{ ...incident, status: 'acknowledged' }]);
    expect(e.tick(11 * min)).toEqual([]);
  });
});

describe('an incident that arrives before its alert', () => {
  it('notifies once, for the incident; the alert that follows stays quiet', () => {
    const e = setup();
    const a = alert('APIDown', 'P1');
    const incident = { id: 'PD7', title: 'APIDown', status: 'triggered' as const, severity: 'P1' as const, assignedToMe: true, alertFingerprint: a.fingerprint };
    expect(e.onIncidents(0, [incident])).toHaveLength(1);
    expect(e.onAlerts(500, [a], [])).toEqual([]);
    expect(e.state(500).pending.map((p) => p.key)).toEqual(['incident:PD7']);
  });
});
