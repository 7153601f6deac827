import { describe, expect, it } from 'vitest';
import { translate, type MessageKey } from '../../../../shared/i18n/messages.js';
import type { ActionPreview, DiagnosisRun } from '../../../../shared/diagnosis.js';
import type { PlaybookSummary } from '../../../../shared/domain.js';
import { demoRunners } from '../../../../electron/core/playbooks/connection-runners.js';
import { table, UnsupportedStepError, type StepRunner } from '../../../../electron/core/playbooks/step-runner.js';
import type { ClusterPort } from '../../../../electron/core/ports.js';
import { manualDemo } from '../demo/demo-harness.js';
import { playbooksHarness } from './playbooks-harness.js';

/** A postgres runner whose steps answer after a delay, fail, or hang, as a test scripts them. */
function scriptedPostgres(script: Record<string, { after: number; fail?: string; hang?: boolean }>, log: string[]): StepRunner {
  return {
    system: 'postgres',
    unavailable: () => null,
    read: (operation, _p, signal) =>
      new Promise((resolve, reject) => {
        log.push(`start ${operation}`);
        const s = script[operation] ?? { after: 0 };
        if (s.hang) return signal.addEventListener('abort', () => reject(new Error('aborted')));
        setTimeout(() => {
          log.push(`end ${operation}`);
          if (s.fail) reject(new Error(s.fail));
          else resolve({ output: table(['n'], [{ n: 1 }]), summary: `${operation} fine` });
        }, s.after);
      }),
    preview: async () => ({ context: null, namespace: null, object: 'x' }),
    write: async () => 'done',
  };
}

describe('diagnosis', () => {
  it('runs every step at once, pushes each result as it arrives, and a failing or hanging step hides nothing', async () => {
    const log: string[] = [];
    const runner = scriptedPostgres(
      { 'activity.active': { after: 60 }, 'locks.blocking': { after: 5, fail: 'permission denied for pg_locks' }, 'tables.bloat': { after: 1, hang: true }, 'replication.lag': { after: 20 } },
      log,
    );
    // A short step timeout for the hanging step (the engine's default is 15 s).
    const h = await playbooksHarness({ runners: [runner], stepTimeoutMs: 500 });
    const run = await h.invoke<DiagnosisRun>('playbooks.diagnose', { playbookId: 'database-slow' }).catch((e) => {
      throw e;
    });
    // All four started before any finished: parallel, not one after another.
    expect(log.slice(0, 4).every((l) => l.startsWith('start'))).toBe(true);
    const byId = Object.fromEntries(run.steps.map((s) => [s.stepId, s]));
    expect(byId['active-queries']!.status).toBe('ok');
    expect(byId['blocking-queries']).toMatchObject({ status: 'error', summary: 'permission denied for pg_locks' });
    expect(byId['table-bloat']!.status).toBe('timeout');
    expect(byId['replication-lag']!.status).toBe('ok');
    // Pushed in arrival order (fastest first), then the end of the run.
    const order = h.pushed.filter((p) => p.step?.system === 'postgres').map((p) => p.step!.stepId);
    expect(order.slice(0, 3)).toEqual(['blocking-queries', 'replication-lag', 'active-queries']);
    expect(h.pushed.at(-1)).toMatchObject({ runId: run.runId, done: true, step: null });
    // Summarized into the journal.
    const note = (await h.journal.readAll()).entries.find((e) => e.id === run.journalId)!;
    expect(note.summary).toMatch(/: 2\/\d steps ok/);
    expect(note.summary).toContain('blocking-queries: permission denied');
  }, 30_000);

  it('says "not supported by this connector" for a call the cluster port lacks, and "needs input" for <pod-name>', async () => {
    const bare: ClusterPort = {
      context: 'bare',
      listPods: async () => [],
      listDeployments: async () => [],
      rolloutUndo: async () => '',
      rolloutRestart: async () => '',
      scale: async () => '',
      setEnv: async () => '',
      deletePod: async () => '',
    };
    const h = await playbooksHarness({ cluster: bare });
    const run = await h.invoke<DiagnosisRun>('playbooks.diagnose', { playbookId: 'high-memory' });
    const byId = Object.fromEntries(run.steps.map((s) => [s.stepId, s]));
    expect(byId['pod-memory']).toMatchObject({ status: 'unsupported', summary: 'Kubernetes operation "top.pods" is not supported by this connector (bare)' });
    expect(byId['leak-patterns']).toMatchObject({ status: 'needs-input', summary: 'Choose pod (<pod-name>) to run this step' });
    expect(byId['memory-leaks']!.status).toBe('manual');
    const list = await h.invoke<{ playbooks: PlaybookSummary[] }>('playbooks.list');
    const limit = list.playbooks.find((p) => p.id === 'high-memory')!.actions.find((a) => a.id === 'increase-memory-limit')!;
    expect(limit.unavailableReason).toBe('Kubernetes operation "set.resources" is not supported by this connector (bare)');
    expect(new UnsupportedStepError('x').message).toBe('x is not supported by this connector');
  });

  it('on the demo every playbook of §7 and §9.3 diagnoses without an error, from the simulation', async () => {
    const demo = manualDemo();
    const h = await playbooksHarness({ cluster: demo.env.cluster, runners: demoRunners(demo.env), clock: demo.env.clock, production: true });
    demo.goTo(12); // mid-incident: pool exhausted
    const pod = (await demo.env.cluster.listPods('production')).find((x) => x.name.startsWith('tiendi-api-'))!.name;
    for (const p of h.pack.playbooks) {
      const run = await h.invoke<DiagnosisRun>('playbooks.diagnose', { playbookId: p.id, params: { pod } });
      for (const s of run.steps) expect(`${p.id}/${s.stepId}: ${s.status === 'error' ? s.summary : 'no error'}`).toBe(`${p.id}/${s.stepId}: no error`);
      // Azure steps run where helper modules register an azure runner; elsewhere they say so.
      expect(run.steps.every((s) => ['ok', 'manual'].includes(s.status) || (s.system === 'azure' && s.status === 'unsupported')), `${p.id}: ${run.steps.map((s) => `${s.stepId} ${s.status} ${s.summary}`).join('; ')}`).toBe(true);
      // Summaries Guardia writes carry their message key (Kubernetes, PostgreSQL, manual steps at least;
      // Redis INFO's figures stay data), and the key says exactly the summary in English.
      for (const s of run.steps) {
        if (['kubernetes', 'postgres', 'manual'].includes(s.system)) expect(s.summarySaid, `${p.id}/${s.stepId}: ${s.summary}`).toBeDefined();
        if (s.summarySaid) expect(translate('en', s.summarySaid.key as MessageKey, s.summarySaid.params)).toBe(s.summary);
      }
    }
    const pods = await h.invoke<DiagnosisRun>('playbooks.diagnose', { playbookId: 'api-slow' });
    const podsStep = pods.steps.find((s) => s.summarySaid?.key.startsWith('diag.pods.'))!;
    expect(translate('es', podsStep.summarySaid!.key as MessageKey, podsStep.summarySaid!.params)).toMatch(/^\d+ pods, (todos listos|\d+ sin estar listos)$/);
    const pool = await h.invoke<DiagnosisRun>('playbooks.diagnose', { playbookId: 'db-pool-exhausted' });
    const count = pool.steps[0]!.output.kind === 'table' ? Number(pool.steps[0]!.output.rows[0]![0]) : 0;
    expect(count).toBeGreaterThan(90);
    // Killing the idle connections lists them first, then frees the pool in the stand-in.
    const preview = await h.invoke<ActionPreview>('playbooks.preview', { playbookId: 'db-pool-exhausted', actionId: 'kill-idle' });
    expect(preview.affected!.rows.length).toBeGreaterThan(10);
    await h.invoke('playbooks.act', { playbookId: 'db-pool-exhausted', actionId: 'kill-idle', confirm: 'postgres' });
    const after = await h.invoke<DiagnosisRun>('playbooks.diagnose', { playbookId: 'db-pool-exhausted' });
    const countAfter = after.steps[0]!.output.kind === 'table' ? Number(after.steps[0]!.output.rows[0]![0]) : 0;
    expect(countAfter).toBeLessThan(count - 10);
  }, 30_000);

  it('surfaces an action started without a result (a crash mid-action) in playbooks.list', async () => {
    const h = await playbooksHarness();
    await h.journal.append({ actor: 'ana', environment: 'test', source: 'playbook:api-down', kind: 'action.started', summary: 'Started: kubectl rollout undo', data: { playbookId: 'api-down', actionId: 'rollback', target: 'tiendi-api' } });
    const done = await h.journal.append({ actor: 'ana', environment: 'test', source: 'playbook:api-down', kind: 'action.started', summary: 'Started: restart', data: { playbookId: 'api-down', actionId: 'restart', target: 'tiendi-api' } });
    await h.journal.append({ actor: 'ana', environment: 'test', source: 'playbook:api-down', kind: 'action.finished', summary: 'ok', data: { startedId: done.id } });
    const list = await h.invoke<{ unfinished: Array<{ actionId: string; summary: string }> }>('playbooks.list');
    expect(list.unfinished).toEqual([expect.objectContaining({ actionId: 'rollback', summary: 'Started: kubectl rollout undo' })]);
  });
});
