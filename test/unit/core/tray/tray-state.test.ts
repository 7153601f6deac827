import { describe, expect, it } from 'vitest';
import { trayMenu, trayState, type TrayContext } from '../../../../electron/core/tray/tray-state.js';
import { translate } from '../../../../shared/i18n/messages.js';
import type { Alert } from '../../../../shared/domain.js';

let n = 0;
const alert = (name: string, severity: Alert['severity'], extra: Partial<Alert> = {}): Alert => ({
  fingerprint: `fp-${n++}`, name, state: 'firing', severity, labels: {}, annotations: {}, summary: '', startsAt: 0, endsAt: null,
  silenced: false, inhibited: false, runbookUrl: null, playbookId: null, sources: ['am'], ...extra,
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

describe('tray menu', () => {
  const ctx = (over: Partial<TrayContext> = {}): TrayContext => ({
    snoozedUntil: null, snoozeMinutes: 15, pendingAcks: 2, onCallNow: 'Carlos López', onCallNext: 'Juan Pérez',
    formatTime: () => '10:45', t: (k, p) => translate('en', k, p), ...over,
  });
  it('offers open, ack all mine, snooze, who is on call and quit', () => {
    expect(trayMenu(ctx(), 0).map((i) => [i.id, i.label, i.enabled])).toEqual([
      ['open', 'Open Guardia', true],
      ['ackAllMine', 'Acknowledge all mine (2)', true],
      ['snooze', 'Snooze notifications for 15 min', true],
      ['oncall', 'On call: Carlos López · next: Juan Pérez', false],
      ['quit', 'Quit Guardia', true],
    ]);
  });
  it('disables ack with nothing pending and offers resume while snoozed', () => {
    const items = trayMenu(ctx({ pendingAcks: 0, snoozedUntil: 1000 }), 0);
    expect(items.find((i) => i.id === 'ackAllMine')?.enabled).toBe(false);
    expect(items.find((i) => i.id === 'unsnooze')?.label).toBe('Snoozed until 10:45: resume now');
    expect(trayMenu(ctx({ snoozedUntil: 1000 }), 2000).some((i) => i.id === 'snooze')).toBe(true);
  });
});
