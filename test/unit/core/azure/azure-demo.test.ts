import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createGuardia } from '../../../../electron/core/compose.js';
import { DemoAzure } from '../../../../electron/core/azure/azure-demo.js';
import { createDemoEnvironment } from '../../../../electron/core/demo/index.js';

const minute = 60_000;

describe('Azure on the embedded demo', () => {
  /** A demo Azure whose simulated clock stands `minutes` after the demo started (deploy at +1 min). */
  function demoAt(minutes: number): DemoAzure {
    const start = Date.UTC(2026, 10, 30, 3, 0);
    let real = start;
    const demo = createDemoEnvironment({ startAt: start, realNow: () => real });
    real = start + minutes * minute;
    return new DemoAzure(demo.metrics, demo.clock, 1);
  }
  const total = (r: { tables: Array<{ rows: unknown[][] }> }) => r.tables[0]!.rows.reduce((n, row) => n + Number(row[3]), 0);

  it('answers the pack’s exceptions query with pool-exhaustion errors from tiendi-api during the incident', async () => {
    const during = await demoAt(20).queryLogs({ query: 'AppExceptions | where AppRoleName == "tiendi-api"', timespan: 'PT10M' });
    expect(during.tables[0]!.rows[0]!.slice(0, 2)).toEqual(['tiendi-api', 'SequelizeConnectionAcquireTimeoutError']);
    // Before the bad deploy the API was quiet: far fewer exceptions in the same ten minutes.
    const before = await demoAt(0).queryLogs({ query: 'AppExceptions', timespan: 'PT10M' });
    expect(total(during)).toBeGreaterThan(20 * Math.max(1, total(before)));
  });

  it('charts failed requests by operation, checkout failing most per request during the incident', async () => {
    const azure = demoAt(20);
    const result = await azure.queryLogs({ query: 'AppRequests | where Success == false | summarize count() by bin(TimeGenerated, 5m), OperationName', timespan: 'PT1H' });
    expect(result.series.map((s) => s.name)).toContain('POST /api/checkout');
    const stats = await azure.queryLogs({ query: 'AppRequests | summarize percentile(DurationMs, 95) by OperationName', timespan: 'PT1H' });
    expect(stats.tables[0]!.rows[0]![0]).toBe('POST /api/checkout');
  });

  it('runs `az postgres flexible-server parameter set` through the playbook gate: current → target, journaled before and after', async () => {
    const home = await mkdtemp(join(tmpdir(), 'guardia-azure-'));
    const g = await createGuardia({ alertmanagers: [], demoSpeed: 1 } as never, { env: { ...process.env, GUARDIA_HOME: home } });
    try {
      const preview = await g.core.invoke('playbooks.preview', { playbookId: 'db-pool-exhausted', actionId: 'max-connections' });
      expect(preview).toMatchObject({ ok: true, value: { diff: [{ path: 'max_connections', before: '100', after: '200' }] } });
      const wrong = await g.core.invoke('playbooks.act', { playbookId: 'db-pool-exhausted', actionId: 'max-connections', confirm: 'tiendi', dryRun: false });
      expect(wrong.ok).toBe(false);
      const done = await g.core.invoke('playbooks.act', { playbookId: 'db-pool-exhausted', actionId: 'max-connections', confirm: 'tiendi-db', dryRun: false });
      if (!done.ok) throw new Error(JSON.stringify(done.error));
      expect(done).toMatchObject({ ok: true, value: { outcome: 'done', message: expect.stringContaining('100 → 200') } });
      const after = await g.core.invoke('playbooks.preview', { playbookId: 'db-pool-exhausted', actionId: 'max-connections' });
      expect(after).toMatchObject({ ok: true, value: { diff: [{ before: '200', after: '200' }] } });
      const journal = await g.core.invoke('journal.list', { limit: 50 });
      const kinds = journal.ok ? (journal.value as { entries: Array<{ kind: string; source: string }> }).entries.filter((e) => e.source === 'playbook:db-pool-exhausted').map((e) => e.kind) : [];
      expect(kinds.sort()).toEqual(['action.finished', 'action.started']);
    } finally {
      await g.close();
    }
  });
});
