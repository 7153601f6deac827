import { describe, expect, it } from 'vitest';
import { nextMaintenanceWindow } from '../../../../electron/core/maintenance/maintenance-schedule.js';
import type { AlertSource, GettableSilence } from '../../../../electron/core/ports.js';
import { shiftCore } from '../handoff/shift-harness.js';

const { pack } = await shiftCore();
const lima = (iso: string) => Date.parse(`${iso}-05:00`);

/** An in-memory Alertmanager silences API (the port's shape), for the module's bookkeeping. */
function silencingSource(): AlertSource & { silences: GettableSilence[] } {
  const silences: GettableSilence[] = [];
  return {
    name: 'am-test',
    silences,
    listAlerts: async () => [],
    listSilences: async () => silences,
    createSilence: async (s) => {
      const id = `s${silences.length + 1}`;
      silences.push({ id, ...s, updatedAt: s.startsAt, status: { state: 'active' } });
      return id;
    },
    expireSilence: async (id) => {
      const s = silences.find((x) => x.id === id);
      if (!s) throw new Error(`no silence ${id}`);
      s.status.state = 'expired';
    },
  };
}

describe('maintenance windows (runbook 8.1)', () => {
  it('is the first Sunday of each month, 02:00–04:00 Lima', () => {
    const w = nextMaintenanceWindow(pack.maintenance, lima('2025-11-25T14:00'));
    expect(new Date(w.start).toISOString()).toBe('2025-12-07T07:00:00.000Z');
    expect(new Date(w.end).toISOString()).toBe('2025-12-07T09:00:00.000Z');
    expect(nextMaintenanceWindow(pack.maintenance, lima('2025-12-07T03:00')).start).toBe(w.start); // in progress
    expect(new Date(nextMaintenanceWindow(pack.maintenance, lima('2025-12-07T04:00')).start).toISOString()).toBe('2026-01-04T07:00:00.000Z');
    expect(new Date(nextMaintenanceWindow(pack.maintenance, lima('2026-02-02T00:00')).start).toISOString()).toBe('2026-03-01T07:00:00.000Z');
  });

  it('journals checklist progress and shows it back', async () => {
    const { call } = await shiftCore();
    const before = await call('maintenance.get');
    expect(before.checklist.map((s: { id: string }) => s.id)).toEqual(['t-7d', 't-24h', 't-1h', 'during', 'after']);
    expect(before.checklist[0].dueAt).toBe(before.next.start - 7 * 24 * 60 * 60_000);
    await call('maintenance.checkItem', { stageId: 't-1h', index: 0, done: true });
    const after = await call('maintenance.get');
    expect(after.checklist[2].items[0]).toMatchObject({ done: true, by: 'ana' });
    expect(after.checklist[2].items[1]).toMatchObject({ done: false });
  });
});

describe('starting and ending a window', () => {
  it('needs the typed confirmation, silences every alert until the end, journals, and expires them at the end', async () => {
    const am = silencingSource();


    const h = await shiftCore({ alertSources: [am] });
    const refused = await h.core.invoke('maintenance.startWindow', { confirm: 'yes' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'maintenance.not-confirmed' } });
    expect(am.silences).toHaveLength(0);
    const started = await h.call('maintenance.startWindow', { confirm: 'maintenance' });
    expect(am.silences).toEqual([expect.objectContaining({ matchers: [expect.objectContaining({ name: 'alertname', value: '.+', isRegex: true })], createdBy: 'ana' })]);
    expect(Date.parse(am.silences[0]!.endsAt)).toBe(started.until);
    expect((await h.call('maintenance.get')).active).toMatchObject({ silenceIds: ['s1'] });
    await h.call('maintenance.endWindow', { confirm: 'maintenance' });
    expect(am.silences[0]!.status.state).toBe('expired');
    const kinds = (await h.journal.readAll()).entries.map((e) => `${e.kind}:${String(e.data.action)}`);
    expect(kinds).toEqual(['maintenance:starting', 'maintenance:started', 'silence:created', 'maintenance:ending', 'maintenance:ended', 'silence:expired']);
  });
});
