import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, startAlertmanager, type AlertmanagerHandle } from '../helpers/services.js';
import { createGuardia, type Guardia } from '../../electron/core/compose.js';
import { AlertmanagerClient } from '../../electron/core/alertmanager/alertmanager-client.js';
import type { Alert, JournalEntry, Silence } from '../../shared/domain.js';

let alertmanager: AlertmanagerHandle;
let guardia: Guardia;

async function push(alerts: Array<Record<string, string>>): Promise<void> {
  const res = await fetch(`${alertmanager.url}/api/v2/alerts`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(alerts.map((labels) => ({ labels, annotations: { summary: `${labels.alertname} on ${labels.instance}` }, startsAt: new Date().toISOString() }))),
  });
  expect(res.ok).toBe(true);
}

async function call<T>(channel: string, req: unknown = {}): Promise<T> {
  const r = await guardia.core.invoke(channel, req);
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

describe('silences in a real Alertmanager, through Guardia', () => {
  beforeAll(async () => {
    alertmanager = await startAlertmanager();
    await push([
      { alertname: 'HighErrorRate', severity: 'critical', instance: 'api-0' },
      { alertname: 'HighCPUUsage', severity: 'warning', instance: 'node-1' },
      { alertname: 'HighCPUUsage', severity: 'warning', instance: 'node-2' },
    ]);
    const home = await mkdtemp(join(tmpdir(), 'guardia-home-'));
    guardia = await createGuardia({ alertmanagers: [alertmanager.url], refreshSeconds: 1 }, { env: { ...process.env, GUARDIA_HOME: home, GUARDIA_CONFIG: '' } });
    await guardia.core.refreshOnce();
  }, 60_000);

  afterAll(async () => {
    await guardia?.close();
    await alertmanager?.stop();
  });

  it('detects the Alertmanager API v2 and its version through /api/v2/status', async () => {
    const status = await new AlertmanagerClient('am', alertmanager.url, { connection: 'am', timeoutMs: 5000 }).status();
    expect(status.version).toMatch(/^0\.\d+/);
    expect(status.cluster?.status).toBe('disabled');
  });

  it('previews which active alerts a silence would match, without creating it', async () => {
    const preview = await call<{ alerts: Alert[]; total: number; problem: string | null }>('silences.preview', {
      matchers: [{ name: 'alertname', value: 'HighCPUUsage' }, { name: 'instance', value: 'node-.*', isRegex: true }],
    });
    expect(preview.problem).toBeNull();
    expect(preview.alerts.map((a) => a.labels.instance).sort()).toEqual(['node-1', 'node-2']);
    const empty = await call<{ problem: string | null }>('silences.preview', { matchers: [{ name: 'instance', value: '.*', isRegex: true }] });
    expect(empty.problem).toMatch(/silence every alert/);
    expect((await call<{ silences: Silence[] }>('silences.list')).silences).toHaveLength(0);
  });

  it('refuses a silence without the typed environment name, creating nothing', async () => {
    const r = await guardia.core.invoke('silences.create', {
      matchers: [{ name: 'alertname', value: 'HighCPUUsage' }],
      durationMinutes: 60,
      comment: 'noisy during the load test',
      confirm: 'yes',
    });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.message).toMatch(/Type the environment's name "ad-hoc"/);
    expect(JSON.parse(await run('amtool', ['silence', 'query', '-o', 'json', `--alertmanager.url=${alertmanager.url}`]))).toEqual([]);
  });

  it('creates a silence (journaled before and after), shows the alerts silenced, then expires it', async () => {
    const created = await call<{ id: string; journalId: string; matched: number }>('silences.create', {
      matchers: [{ name: 'alertname', value: 'HighCPUUsage' }],
      durationMinutes: 90,
      author: 'ana.on-call',
      comment: 'CPU alerts expected during the load test',
      confirm: 'ad-hoc',
    });
    expect(created.matched).toBe(2);
    // amtool sees what Guardia created.
    const [fromAmtool] = JSON.parse(await run('amtool', ['silence', 'query', '-o', 'json', `--alertmanager.url=${alertmanager.url}`]));
    expect(fromAmtool).toMatchObject({ id: created.id, createdBy: 'ana.on-call', comment: 'CPU alerts expected during the load test' });
    // Alertmanager moves a start in the past to its own now: the silence lasts 90 minutes, give or take that.
    expect(Math.abs(Date.parse(fromAmtool.endsAt) - Date.parse(fromAmtool.startsAt) - 90 * 60_000)).toBeLessThan(5_000);

    const alerts = (await call<{ alerts: Alert[] }>('alerts.list')).alerts;
    expect(alerts.filter((a) => a.silenced).map((a) => a.labels.instance).sort()).toEqual(['node-1', 'node-2']);
    expect(alerts.find((a) => a.name === 'HighErrorRate')!.silenced).toBe(false);

    const { entries } = await call<{ entries: JournalEntry[] }>('journal.list', { limit: 50 });
    const started = entries.find((e) => e.id === created.journalId)!;
    expect(started).toMatchObject({ kind: 'action.started' });
    expect(entries.find((e) => e.kind === 'action.finished' && e.data.startedId === created.journalId)).toMatchObject({ data: { outcome: 'ok', silenceId: created.id } });

    const listed = (await call<{ silences: Silence[] }>('silences.list')).silences;
    expect(listed).toEqual([expect.objectContaining({ id: created.id, state: 'active', createdBy: 'ana.on-call' })]);

    await call('silences.expire', { id: created.id, confirm: 'ad-hoc' });
    expect((await call<{ silences: Silence[] }>('silences.list')).silences[0]!.state).toBe('expired');
    expect((await call<{ alerts: Alert[] }>('alerts.list')).alerts.some((a) => a.silenced)).toBe(false);
  });

  it('says what Alertmanager refused when expiring an unknown silence, journaling the failure', async () => {
    const r = await guardia.core.invoke('silences.expire', { id: '00000000-0000-0000-0000-000000000000', confirm: 'ad-hoc' });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.message).toMatch(/refused to expire silence 00000000/);
  });
});
