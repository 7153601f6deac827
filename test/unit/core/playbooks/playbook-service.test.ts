import { describe, expect, it } from 'vitest';
import { demoRunners } from '../../../../electron/core/playbooks/connection-runners.js';
import { manualDemo } from '../demo/demo-harness.js';
import { playbooksHarness } from './playbooks-harness.js';

/** The playbooks module on the demo environment, whose sim clock a test moves by hand; `core.invoke` returns Results as Core does. */
async function demoCore(opts: { readOnly?: boolean } = {}) {
  const demo = manualDemo();
  const h = await playbooksHarness({ cluster: demo.env.cluster, runners: demoRunners(demo.env), clock: demo.env.clock, readOnly: opts.readOnly, production: true });
  const core = {
    invoke: async (channel: 'playbooks.list' | 'playbooks.act', req: unknown) => {
      const r = await h.result(channel, req);
      return r.ok ? r : { ok: false as const, error: { code: r.code, message: r.message } };
    },
  };
  return { demo, core, journal: h.journal, harness: h };
}

describe('playbook actions through core, on the demo', () => {
  it('a rollback during the incident brings the error rate down, journaled before and after', async () => {
    const { demo, core, journal } = await demoCore();
    demo.goTo(12);
    expect(await demo.value('overview.error-rate')).toBeGreaterThan(20);
    const r = await core.invoke('playbooks.act', { playbookId: 'api-down', actionId: 'rollback', confirm: 'tiendi-api' });
    expect(r).toMatchObject({ ok: true, value: { outcome: 'done' } });
    demo.goTo(16);
    expect(await demo.value('overview.error-rate')).toBeLessThan(1);
    const entries = (await journal.readAll()).entries;
    expect(entries.map((e) => e.kind)).toEqual(['action.started', 'action.finished']);
    expect(entries[0]!.data).toMatchObject({ playbookId: 'api-down', actionId: 'rollback', target: 'tiendi-api' });
    expect(entries[1]!.data).toMatchObject({ outcome: 'ok', startedId: entries[0]!.id });
  });

  it('refuses without the typed target and changes nothing', async () => {
    const { demo, core, journal } = await demoCore();
    demo.goTo(12);
    const r = await core.invoke('playbooks.act', { playbookId: 'api-down', actionId: 'rollback', confirm: 'yes' });
    expect(r).toMatchObject({ ok: false, error: { code: 'playbooks.not-confirmed' } });
    expect(demo.env.simulation.actions()).toHaveLength(0);
    expect((await journal.readAll()).entries).toHaveLength(0);
  });

  it('a read-only environment disables every action and says why', async () => {
    const { core } = await demoCore({ readOnly: true });
    const list = await core.invoke('playbooks.list', {});
    if (!list.ok) throw new Error(list.error.message);
    const actions = (list.value as { playbooks: Array<{ actions: Array<{ available: boolean; unavailableReason: string }> }> }).playbooks.flatMap((p) => p.actions);
    expect(actions.every((a) => !a.available && /read-only/.test(a.unavailableReason))).toBe(true);
    const r = await core.invoke('playbooks.act', { playbookId: 'api-down', actionId: 'rollback', confirm: 'tiendi-api' });
    expect(r).toMatchObject({ ok: false, error: { code: 'playbooks.read-only' } });
  });

  it('asks for the runbook’s open parameters and only those', async () => {
    const { core } = await demoCore();
    const missing = await core.invoke('playbooks.act', { playbookId: 'api-slow', actionId: 'delete-pod', confirm: 'x' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'playbooks.missing-param' } });
    const fixed = await core.invoke('playbooks.act', {
      playbookId: 'api-slow',
      actionId: 'scale-up',
      confirm: 'tiendi-api',
      params: { replicas: '100' },
    });
    expect(fixed).toMatchObject({ ok: false, error: { code: 'playbooks.bad-param' } });
  });

  it('a dry run changes nothing but is journaled as a dry run', async () => {
    const { demo, core, journal } = await demoCore();
    demo.goTo(12);
    const r = await core.invoke('playbooks.act', { playbookId: 'api-down', actionId: 'rollback', confirm: 'tiendi-api', dryRun: true });
    expect(r).toMatchObject({ ok: true, value: { outcome: 'dry-run' } });
    expect(demo.env.simulation.actions()).toHaveLength(0);
    expect((await journal.readAll()).entries[0]!.summary).toMatch(/^Dry run/);
  });
});
