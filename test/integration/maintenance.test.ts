import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertmanagerClient } from '../../electron/core/alertmanager/alertmanager-client.js';
import { startAlertmanager, type AlertmanagerHandle } from '../helpers/services.js';
import { shiftCore } from '../unit/core/handoff/shift-harness.js';

let am: AlertmanagerHandle;

beforeAll(async () => {
  am = await startAlertmanager();
});
afterAll(async () => {
  await am?.stop();
});

/**
 * A maintenance window against a real Alertmanager 0.25: starting it creates a silence for every alert
 * until the window's end, the journal records it before and after, and ending it expires the silence
 * (API v2).
 */
describe('maintenance window silences in a real Alertmanager', () => {
  it('creates the silence on start and expires it on end, journaled', async () => {
    const client = new AlertmanagerClient('am-real', am.url, { connection: 'Alertmanager', timeoutMs: 5000 });
    // The clock starts at real time: a silence must end in the future for the real Alertmanager.
    const h = await shiftCore({ alertSources: [client], startAt: Date.now() });
    const refused = await h.core.invoke('maintenance.startWindow', { confirm: 'no' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'maintenance.not-confirmed' } });
    expect(await client.listSilences()).toEqual([]);

    const started = await h.call('maintenance.startWindow', { confirm: 'maintenance' });
    const silences = await client.listSilences();
    const ours = silences.find((s) => s.id === started.silenceIds[0]);
    expect(ours).toMatchObject({ createdBy: 'ana', matchers: [expect.objectContaining({ name: 'alertname', value: '.+', isRegex: true })] });
    expect(Date.parse(ours!.endsAt)).toBe(started.until);

    await h.call('maintenance.endWindow', { confirm: 'maintenance' });
    const after = (await client.listSilences()).find((s) => s.id === started.silenceIds[0]);
    expect(after?.status.state).toBe('expired');
    const kinds = (await h.journal.readAll()).entries.map((e) => `${e.kind}:${String(e.data.action)}`);
    expect(kinds).toEqual(['maintenance:starting', 'maintenance:started', 'silence:created', 'maintenance:ending', 'maintenance:ended', 'silence:expired']);
  });
});
