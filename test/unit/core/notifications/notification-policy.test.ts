import { describe, expect, it } from 'vitest';
import { notificationsFor } from '../../../../electron/core/notifications/notification-policy.js';
import { trayState } from '../../../../electron/core/tray/tray-state.js';
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
const ids = () => `id-${n++}`;

describe('notification policy', () => {
  it('notifies new P1 and P2 alerts, not P3/P4 or silenced ones', () => {
    const out = notificationsFor(
      [alert('APIDown', 'P1'), alert('HighLatency', 'P2'), alert('DiskSpaceLow', 'P3'), alert('X', 'P1', { silenced: true })],
      1,
      ids,
    );
    expect(out.map((o) => o.title)).toEqual(['P1 APIDown', 'P2 HighLatency']);
  });

  it('coalesces a storm into one summary naming the commonest alerts', () => {
    const storm = [...Array(12)].map(() => alert('HighErrorRate', 'P1')).concat([...Array(5)].map(() => alert('HighLatency', 'P2')));
    const out = notificationsFor(storm, 1, ids);
    expect(out).toHaveLength(1);
    expect(out[0]!.title).toBe('17 new alerts');
    expect(out[0]!.body).toBe('12 HighErrorRate, 5 HighLatency');
    expect(out[0]!.severity).toBe('P1');
  });
});

describe('tray state', () => {
  it('follows the worst open severity and counts open alerts', () => {
    const s = trayState([alert('A', 'P2'), alert('B', 'P1'), alert('C', 'P1', { silenced: true })], false);
    expect(s).toMatchObject({ icon: 'p1', severity: 'P1', count: 2 });
  });
  it('shows ok with nothing open and stale when data is old', () => {
    expect(trayState([], false).icon).toBe('ok');
    expect(trayState([alert('A', 'P2')], true).icon).toBe('stale');
  });
});
