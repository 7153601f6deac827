import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AksUpgradeProcedure, demoNodeOperations, type NodeOperations } from '../../../../electron/core/azure/aks-upgrade.js';
import { DemoAzure } from '../../../../electron/core/azure/azure-demo.js';
import { Journal } from '../../../../electron/core/journal/journal.js';
import type { MetricsSource } from '../../../../electron/core/ports.js';

const noMetrics: MetricsSource = { name: 'none', instant: async () => ({ data: [], warnings: [] }), range: async () => ({ data: [], warnings: [] }) };
const target = { resourceGroup: 'tiendi-prod', cluster: 'tiendi-cluster', nodePool: 'nodepool1', version: '1.28.3' };

async function setup(nodes: NodeOperations = demoNodeOperations()) {
  const journal = new Journal(await mkdtemp(join(tmpdir(), 'aks-journal-')), Date.now);
  const azure = new DemoAzure(noMetrics, { now: Date.now }, 1);
  let upgrades = 0;
  const counted = Object.assign(Object.create(azure) as DemoAzure, {
    upgradeAgentPool: (...a: Parameters<DemoAzure['upgradeAgentPool']>) => (upgrades++, azure.upgradeAgentPool(...a)),
  });
  const proc = new AksUpgradeProcedure(target, counted, nodes, journal, { actor: 'ana', environment: 'prod' }, () => {}, async () => {}, Date.now);
  return { proc, journal, azure, upgrades: () => upgrades };
}

describe('guided AKS node-pool upgrade (runbook §8.2)', () => {
  it('refuses to start unless the node pool is typed', async () => {
    const { proc } = await setup();
    await expect(proc.start('nodepool')).rejects.toMatchObject({ code: 'playbooks.not-confirmed' });
  });

  it('cordons, drains, upgrades once, uncordons and waits Ready per node, journaling each step before and after', async () => {
    const { proc, journal, azure, upgrades } = await setup();
    const planned = await proc.plan();
    expect(planned.fromVersion).toBe('1.27.9');
    expect(planned.steps.map((s) => s.id).slice(0, 5)).toEqual([
      'aks-nodepool1-0:cordon',
      'aks-nodepool1-0:drain',
      'aks-nodepool1-0:upgrade',
      'aks-nodepool1-0:uncordon',
      'aks-nodepool1-0:wait-ready',
    ]);
    await proc.start('nodepool1');
    const done = await proc.settled();
    expect(done.state).toBe('done');
    expect(done.steps.every((s) => s.state === 'done')).toBe(true);
    expect(upgrades()).toBe(1);
    expect(done.steps.find((s) => s.id === 'aks-nodepool1-1:upgrade')!.message).toMatch(/already runs 1\.28\.3: not sent again/);
    expect((await azure.getAgentPool('tiendi-prod', 'tiendi-cluster', 'nodepool1')).orchestratorVersion).toBe('1.28.3');
    const entries = await journal.list(100);
    expect(entries.filter((e) => e.kind === 'action.started')).toHaveLength(15);
    expect(entries.filter((e) => e.kind === 'action.finished')).toHaveLength(15);
  });

  it('pauses after the step in progress and resumes from the next one', async () => {
    // Each drain waits until the test releases it; `drained()` resolves when the next drain starts.
    let onDrain: (release: () => void) => void = () => {};
    const drained = () => new Promise<() => void>((r) => (onDrain = r));
    const nodes: NodeOperations = {
      ...demoNodeOperations(),
      drain: (node) => new Promise((resolve) => onDrain(() => resolve(`node/${node} drained`))),
    };
    const { proc } = await setup(nodes);
    const first = drained();
    await proc.start('nodepool1');
    const release0 = await first;
    expect(proc.snapshot().steps[1]!.state).toBe('running');
    proc.pause();
    release0();
    const paused = await proc.settled();
    expect(paused.state).toBe('paused');
    expect(paused.steps.map((s) => s.state).slice(0, 3)).toEqual(['done', 'done', 'pending']);

    const second = drained();
    await proc.start('nodepool1');
    const release1 = await second;
    expect(proc.snapshot().steps.filter((s) => s.state === 'done').map((s) => s.id)).toContain('aks-nodepool1-0:wait-ready');
    const third = drained();
    release1();
    (await third)();
    expect((await proc.settled()).state).toBe('done');
  });

  it('stops at a failed step and does not retry it by itself', async () => {
    let drains = 0;
    const nodes: NodeOperations = { ...demoNodeOperations(), drain: async () => (drains++, Promise.reject(new Error('Cannot evict pod as it would violate the pod\'s disruption budget'))) };
    const { proc } = await setup(nodes);
    await proc.start('nodepool1');
    const failed = await proc.settled();
    expect(failed.state).toBe('failed');
    expect(failed.steps[1]).toMatchObject({ state: 'failed', message: expect.stringContaining('disruption budget') });
    expect(failed.steps[2]!.state).toBe('pending');
    expect(drains).toBe(1);
  });
});
