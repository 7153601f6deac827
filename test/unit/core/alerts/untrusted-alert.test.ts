import { describe, expect, it } from 'vitest';
import { checkGettableAlerts, maxLabels, maxValueChars } from '../../../../electron/core/alerts/untrusted-alert.js';
import type { AlertSource, GettableAlert } from '../../../../electron/core/ports.js';
import { AlertmanagerClient } from '../../../../electron/core/alertmanager/alertmanager-client.js';
import { makeCore } from '../../../helpers/core-fixture.js';

const good = (fingerprint: string, extra: Partial<GettableAlert> = {}): GettableAlert => ({
  fingerprint,
  labels: { alertname: 'APIDown', severity: 'critical' },
  annotations: { summary: 'API is down' },
  startsAt: '2026-11-30T10:00:00Z',
  endsAt: '2026-11-30T10:05:00Z',
  updatedAt: '2026-11-30T10:00:00Z',
  status: { state: 'active', silencedBy: [], inhibitedBy: [] },
  receivers: [{ name: 'pd' }],
  ...extra,
});

/** An AlertSource answering whatever the test sets, typed as unknown: what a broken proxy could send. */
function garbageSource(): AlertSource & { answer: unknown } {
  const source = { name: 'am-garbage', answer: [] as unknown, listAlerts: async () => source.answer as GettableAlert[] };
  return source;
}

type Listed = { alerts: Array<{ fingerprint: string }>; stale: { reason: string } | null };

/** `alerts.list` as the renderer receives it. */
async function list(core: Awaited<ReturnType<typeof makeCore>>['core']): Promise<Listed> {
  const r = (await core.invoke('alerts.list', {})) as { ok: boolean; value: Listed };
  expect(r.ok).toBe(true);
  return r.value;
}

describe('untrusted Alertmanager answers', () => {
  it('a source answering wrong types goes stale, naming the alert and the field, and keeps the last good alerts', async () => {
    const source = garbageSource();
    const { core } = await makeCore({ alerts: [source] });
    source.answer = [good('fp-1')];
    await core.refreshOnce();
    expect((await list(core)).alerts.map((a) => a.fingerprint)).toEqual(['fp-1']);

    const cases: Array<[unknown, RegExp]> = [
      [{ data: 'not a list' }, /am-garbage: \/api\/v2\/alerts answered object, not a list of alerts/],
      [[good('fp-1'), 42], /am-garbage: alert #2 in \/api\/v2\/alerts is number, not an object/],
      [[{ ...good('fp-1'), labels: { alertname: 5 } }], /alert #1 .*labels\.alertname is number, not a string/],
      [[{ ...good('fp-1'), annotations: ['x'] }], /alert #1 .*annotations is an array/],
      [[{ ...good('fp-1'), startsAt: 'yesterday' }], /alert #1 .* no valid startsAt/],
      [[{ ...good('fp-1'), status: { silencedBy: 'all' } }], /status\.silencedBy is not a list of strings/],
    ];
    for (const [answer, reason] of cases) {
      source.answer = answer;
      await core.refreshOnce();
      const listed = await list(core);
      expect(listed.stale?.reason).toMatch(reason);
      expect(listed.alerts.map((a) => a.fingerprint)).toEqual(['fp-1']);
    }

    source.answer = [good('fp-2')];
    await core.refreshOnce();
    const recovered = await list(core);
    expect(recovered.stale).toBeNull();
    expect(recovered.alerts.map((a) => a.fingerprint)).toEqual(['fp-2']);
  });

  it('an Alertmanager answering malformed JSON goes stale saying it is not JSON', async () => {
    const client = new AlertmanagerClient('am-broken', 'http://am.invalid', {
      connection: 'Alertmanager am-broken',
      timeoutMs: 1000,
      fetchImpl: async () => new Response('[{"fingerprint": "fp-1", "labels": {', { status: 200, headers: { 'Content-Type': 'application/json' } }),
    });
    const { core } = await makeCore({ alerts: [client] });
    await core.refreshOnce();
    const listed = await list(core);
    expect(listed.stale?.reason).toMatch(/am-broken: .*not JSON/);
    expect(listed.alerts).toEqual([]);
  });

  it('cuts absurdly long values and caps huge label sets, saying so', () => {
    const labels: Record<string, string> = { alertname: 'Wide' };
    for (let i = 0; i < maxLabels + 500; i++) labels[`l${i}`] = 'v';
    const [alert] = checkGettableAlerts([good('fp', { labels, annotations: { description: 'x'.repeat(maxValueChars + 10) } })]);
    expect(Object.keys(alert!.labels)).toHaveLength(maxLabels + 1);
    expect(alert!.labels.guardia_dropped_labels).toBe('501');
    expect(alert!.annotations.description).toMatch(/\[cut by Guardia: 2000010 characters\]$/);
    const [mb] = checkGettableAlerts([good('fp', { annotations: { description: 'y'.repeat(1_048_576) } })]);
    expect(mb!.annotations.description).toHaveLength(1_048_576);
  });
});
