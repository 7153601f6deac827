import { describe, it, expect } from 'vitest';
import { MIN, manualDemo } from './demo-harness.js';

const NS = 'production';

describe('demo cluster actions', () => {
  it('rollback during the incident brings the error rate under 1% within a few sim minutes', async () => {
    const acted = manualDemo();
    const control = manualDemo();
    acted.goTo(12);
    expect(await acted.value('overview.error-rate')).toBeGreaterThan(30);
    const message = await acted.env.cluster.rolloutUndo(NS, 'tiendi-api', { dryRun: false });
    expect(message).toBe('deployment.apps/tiendi-api rolled back');
    const [action] = acted.env.simulation.actions();
    expect(action).toMatchObject({ kind: 'rolloutUndo', namespace: NS, target: 'tiendi-api', at: acted.deployAt + 12 * MIN });

    acted.goTo(15);
    expect(await acted.value('overview.error-rate')).toBeLessThan(1);
    expect(await acted.value('infra.db-pool-usage')).toBeLessThan(75);
    expect(await acted.alertNames()).not.toContain('HighErrorRate');
    expect(await acted.alertNames()).not.toContain('APIDown');
    const api = (await acted.env.cluster.listDeployments(NS)).find((d) => d.name === 'tiendi-api');
    expect(api).toMatchObject({ revision: 10, readyReplicas: 3 });
    expect(api?.image).toContain('tiendi-api:v2.13.2');

    acted.goTo(20);
    control.goTo(20);
    expect(await acted.value('overview.error-rate')).toBeLessThan(1);
    expect(await control.value('overview.error-rate')).toBeGreaterThan(30);
    expect(await acted.alertNames()).toEqual([]);
  });

  it('keeps the past as it was: an action changes the simulation only from when it was applied', async () => {
    const acted = manualDemo();
    const control = manualDemo();
    acted.goTo(12);
    await acted.env.cluster.rolloutUndo(NS, 'tiendi-api', { dryRun: false });
    acted.goTo(20);
    control.goTo(20);
    const window = { start: acted.deployAt, end: acted.deployAt + 12 * MIN, stepSeconds: 15 };
    const a = await acted.env.metrics.range({ id: 'overview.error-rate', expr: '' }, window);
    const b = await control.env.metrics.range({ id: 'overview.error-rate', expr: '' }, window);
    expect(a.data).toEqual(b.data);
  });

  it('raising DB_POOL_SIZE to 50 mitigates: low single digits, then normal', async () => {
    const demo = manualDemo();
    demo.goTo(12);
    expect(await demo.env.cluster.setEnv(NS, 'tiendi-api', { DB_POOL_SIZE: '50' }, { dryRun: false })).toBe(
      'deployment.apps/tiendi-api env updated',
    );
    demo.goTo(15);
    const mitigated = await demo.value('overview.error-rate');
    expect(mitigated).toBeGreaterThan(0.5);
    expect(mitigated).toBeLessThan(5);
    demo.goTo(26);
    expect(await demo.value('overview.error-rate')).toBeLessThan(1);
    const api = (await demo.env.cluster.listDeployments(NS)).find((d) => d.name === 'tiendi-api');
    expect(api?.env.DB_POOL_SIZE).toBe('50');
    expect(api?.revision).toBe(10);
  });

  it('scaling tiendi-api to 5 replicas mitigates and adds pods', async () => {
    const demo = manualDemo();
    demo.goTo(12);
    expect(await demo.env.cluster.scale(NS, 'tiendi-api', 5, { dryRun: false })).toBe('deployment.apps/tiendi-api scaled');
    demo.goTo(15);
    expect(await demo.value('overview.error-rate')).toBeLessThan(5);
    expect(await demo.value('infra.db-connections')).toBeGreaterThan(100);
    const api = (await demo.env.cluster.listDeployments(NS)).find((d) => d.name === 'tiendi-api');
    expect(api).toMatchObject({ replicas: 5, readyReplicas: 5 });
    demo.goTo(26);
    expect(await demo.value('overview.error-rate')).toBeLessThan(1);
  });

  it('rollout restart helps only briefly', async () => {
    const demo = manualDemo();
    demo.goTo(12);
    expect(await demo.env.cluster.rolloutRestart(NS, 'tiendi-api', { dryRun: false })).toBe('deployment.apps/tiendi-api restarted');
    demo.goTo(12.75);
    expect(await demo.value('overview.error-rate')).toBeLessThan(10);
    demo.goTo(20);
    expect(await demo.value('overview.error-rate')).toBeGreaterThan(30);
  });

  it('deleting the crash-looping pod replaces it with a new one', async () => {
    const demo = manualDemo();
    demo.goTo(15);
    const crashing = (await demo.env.cluster.listPods(NS)).find((p) => p.name.startsWith('tiendi-api') && p.ready === '0/1');
    expect(crashing).toBeDefined();
    const name = crashing?.name ?? '';
    expect(await demo.env.cluster.deletePod(NS, name, { dryRun: false })).toBe(`pod "${name}" deleted`);
    demo.goTo(15.5);
    const pods = (await demo.env.cluster.listPods(NS)).filter((p) => p.name.startsWith('tiendi-api'));
    expect(pods.map((p) => p.name)).not.toContain(name);
    expect(pods).toHaveLength(3);
  });

  it('dry runs describe the change and change nothing', async () => {
    const demo = manualDemo();
    const control = manualDemo();
    demo.goTo(12);
    const pods = await demo.env.cluster.listPods(NS);
    const apiPod = pods.find((p) => p.name.startsWith('tiendi-api'))?.name ?? '';
    const messages = [
      await demo.env.cluster.rolloutUndo(NS, 'tiendi-api', { dryRun: true }),
      await demo.env.cluster.rolloutRestart(NS, 'tiendi-api', { dryRun: true }),
      await demo.env.cluster.scale(NS, 'tiendi-api', 10, { dryRun: true }),
      await demo.env.cluster.setEnv(NS, 'tiendi-api', { DB_POOL_SIZE: '50' }, { dryRun: true }),
      await demo.env.cluster.deletePod(NS, apiPod, { dryRun: true }),
    ];
    for (const m of messages) expect(m).toContain('(server dry run): would ');
    expect(messages[0]).toContain('from revision 9 (tiendi-api:v2.14.0) to revision 8 (tiendi-api:v2.13.2)');
    expect(messages[2]).toContain('from 3 to 10');
    expect(messages[3]).toContain('DB_POOL_SIZE=50 (was 30)');
    expect(demo.env.simulation.actions()).toEqual([]);

    demo.goTo(20);
    control.goTo(20);
    expect(await demo.env.cluster.listDeployments(NS)).toEqual(await control.env.cluster.listDeployments(NS));
    expect(await demo.env.cluster.listPods(NS)).toEqual(await control.env.cluster.listPods(NS));
    expect(await demo.value('overview.error-rate')).toBe(await control.value('overview.error-rate'));
  });

  it('runs the runbook\'s payment retry in a pod of tiendi-api, saying that tiendi-api-0 does not exist', async () => {
    const demo = manualDemo();
    demo.goTo(5);
    const cluster = demo.env.cluster;
    const target = { pod: 'tiendi-api-0', deployment: 'tiendi-api' };
    const where = await cluster.execTarget!(NS, target);
    expect(where.pod).toMatch(/^tiendi-api-[a-z0-9]+-[a-z0-9]+$/);
    expect(where).toMatchObject({ container: 'api', note: `pod tiendi-api-0 does not exist; ${where.pod} is a pod of deployment/tiendi-api` });
    const r = await cluster.exec!(NS, target, ['node', 'scripts/retry-payments.js'], { timeoutMs: 5000 });
    expect(r).toMatchObject({ pod: where.pod, exitCode: 0 });
    expect(r.stdout).toContain('12 reintentados');
    await expect(cluster.exec!(NS, target, ['bash', '-c', 'rm -rf /'], { timeoutMs: 5000 })).rejects.toThrow('exec: "bash": executable file not found in $PATH');
    // Without a deployment to fall back to, a missing pod is an error, not a guess.
    await expect(cluster.execTarget!(NS, { pod: 'tiendi-api-0' })).rejects.toThrow('pods "tiendi-api-0" not found');
    expect(demo.env.simulation.actions()).toEqual([]);
  });

  it('rejects unknown deployments, pods and namespaces with clear errors', async () => {
    const demo = manualDemo();
    demo.goTo(5);
    await expect(demo.env.cluster.rolloutUndo(NS, 'tiendi-nope', { dryRun: false })).rejects.toThrow(
      'deployments.apps "tiendi-nope" not found in namespace "production"',
    );
    await expect(demo.env.cluster.scale(NS, 'redis', 2, { dryRun: true })).rejects.toThrow('deployments.apps "redis" not found');
    await expect(demo.env.cluster.deletePod(NS, 'tiendi-api-0', { dryRun: false })).rejects.toThrow(
      'pods "tiendi-api-0" not found in namespace "production"',
    );
    await expect(demo.env.cluster.rolloutRestart('staging', 'tiendi-api', { dryRun: true })).rejects.toThrow(
      'namespaces "staging" not found',
    );
    await expect(demo.env.cluster.scale(NS, 'tiendi-api', -1, { dryRun: false })).rejects.toThrow(/replicas/);
    await expect(demo.env.cluster.setEnv(NS, 'tiendi-api', {}, { dryRun: false })).rejects.toThrow(/environment variable/);
    expect(demo.env.simulation.actions()).toEqual([]);
    expect(await demo.env.cluster.listPods('staging')).toEqual([]);
  });

  it('restarting postgres-0 takes the database down briefly', async () => {
    const demo = manualDemo();
    demo.goTo(50);
    await demo.env.cluster.deletePod(NS, 'postgres-0', { dryRun: false });
    demo.goTo(50.25);
    expect(await demo.value('health.database')).toBe(0);
    expect(await demo.value('overview.error-rate')).toBeGreaterThan(50);
    demo.goTo(52);
    expect(await demo.value('health.database')).toBe(1);
    const pg = (await demo.env.cluster.listPods(NS)).find((p) => p.name === 'postgres-0');
    expect(pg).toMatchObject({ phase: 'Running', ready: '1/1', createdAt: demo.deployAt + 50 * MIN + 6_000 });
  });
});
