/**
 * The runbook's payment retry (`kubectl exec … -- node scripts/retry-payments.js`) run by Guardia against
 * the fake API server's pods/exec (the remotecommand WebSocket protocol, checked against kubectl in
 * fake-kube-exec.test.ts): where it runs, what the confirmation shows, the output and exit code, and that
 * a command with side effects is sent exactly once, journaled before and after, whatever goes wrong.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionPreview } from '../../shared/diagnosis.js';
import { KubernetesCluster } from '../../electron/core/kubernetes/kubernetes-cluster.js';
import { startFakeKubeApi, type FakeKubeApi } from '../fakes/kube-api/index.js';
import { playbooksHarness } from '../unit/core/playbooks/playbooks-harness.js';

let api: FakeKubeApi;
const retry = { playbookId: 'payments-failing', actionId: 'retry-payments' };
const execs = (from: number) => api.requests.slice(from).filter((r) => r.exec && r.status === 101);

beforeAll(async () => {
  api = await startFakeKubeApi({ seed: 'playbooks-exec' });
});
afterAll(async () => {
  await api?.stop();
});

const cluster = (execTimeoutMs?: number) => KubernetesCluster.fromFile(api.kubeconfigPath, 'fake', execTimeoutMs ? { execTimeoutMs } : {});
/** A running pod of tiendi-api, as kubectl exec deploy/tiendi-api would pick it. */
async function apiPod(): Promise<string> {
  const pods = await cluster().listPods('production');
  return pods.find((p) => p.name.startsWith('tiendi-api-') && p.phase === 'Running' && p.ready.startsWith('1/'))!.name;
}

describe('retry-payments: a command run in a pod', () => {
  it('the confirmation names the pod it will run in (the runbook\'s tiendi-api-0 does not exist) and says nothing can be rehearsed', async () => {
    const h = await playbooksHarness({ cluster: cluster() });
    const before = api.requests.length;
    const p = await h.invoke<ActionPreview>('playbooks.preview', retry);
    expect(p.where.object).toMatch(/^pod\/tiendi-api-/);
    expect(p.access?.allowed).toBe(true);
    expect(p.dryRun).toMatchObject({ ok: true, message: expect.stringMatching(/no server-side dry run.*Pod tiendi-api-0 does not exist; tiendi-api-\S+ is a pod of deployment\/tiendi-api/) });
    expect(p.dryRun?.said).toEqual({ key: 'gate.execNoDryRunFallback', params: { pod: 'tiendi-api-0', chosen: p.where.object.slice(4), deployment: 'tiendi-api' } });
    expect(p.diff).toEqual([{ path: `${p.where.object} (container api)`, before: null, after: 'runs: node scripts/retry-payments.js' }]);
    expect(p.blocked).toBeNull();
    // Previewing ran nothing.
    expect(execs(before)).toEqual([]);
  });

  it('runs once, in that pod, and returns and journals its output', async () => {
    const pod = await apiPod();
    const seen: string[][] = [];
    const off = api.onExec((call) => {
      if (call.command.join(' ') !== 'node scripts/retry-payments.js') return undefined;
      seen.push([call.pod, call.container, ...call.command]);
      return { stdout: 'retried 12 payments: 11 approved\n', stderr: 'warning: 1 declined (expired card)\n', exitCode: 0 };
    });
    const h = await playbooksHarness({ cluster: cluster() });
    const before = api.requests.length;
    const r = (await h.result('playbooks.act', { ...retry, confirm: 'tiendi-api', expectObject: `pod/${pod}` })) as { ok: true; value: { outcome: string; message: string } } | { ok: false; message: string };
    off();
    expect(r).toMatchObject({ ok: true, value: { outcome: 'done' } });
    if (r.ok) {
      expect(r.value.message).toContain(`Ran "node scripts/retry-payments.js" in pod ${pod} (container api)`);
      expect(r.value.message).toContain('retried 12 payments: 11 approved');
      expect(r.value.message).toContain('warning: 1 declined (expired card)');
    }
    expect(seen).toEqual([[pod, 'api', 'node', 'scripts/retry-payments.js']]);
    expect(execs(before)).toHaveLength(1);
    const entries = (await h.journal.readAll()).entries;
    expect(entries.map((e) => e.kind)).toEqual(['action.started', 'action.finished']);
    expect(entries[1]!.summary).toContain('retried 12 payments');
    // The journal says exactly where it ran: the pod it was pinned to, not "a pod of tiendi-api".
    expect(entries[0]!.data.params).toEqual({ namespace: 'production', pod, container: 'api', command: 'node scripts/retry-payments.js' });
  });

  it('refuses when the pod the confirmation showed is gone (a rollout replaced it): nothing sent, nothing journaled', async () => {
    const h = await playbooksHarness({ cluster: cluster() });
    const shown = (await h.invoke<ActionPreview>('playbooks.preview', retry)).where.object;
    api.store.remove('pods', 'production', shown.replace(/^pod\//, ''));
    const before = api.requests.length;
    const r = await h.result('playbooks.act', { ...retry, confirm: 'tiendi-api', expectObject: shown });
    expect(r).toMatchObject({ ok: false, code: 'playbooks.target-changed' });
    if (!r.ok) expect(r.message).toMatch(new RegExp(`^Not sent: the confirmation showed ${shown}, but it would now run on pod/tiendi-api-\\S+ \\(the pods changed\\)`));
    expect(api.requests.slice(before).filter((x) => x.exec)).toEqual([]);
    expect((await h.journal.readAll()).entries).toEqual([]);
  });

  it('a non-zero exit fails the action with the exit code and the output; still sent once', async () => {
    const off = api.onExec(() => ({ stdout: 'gateway niubiz: connection refused\n', exitCode: 3 }));
    const h = await playbooksHarness({ cluster: cluster() });
    const before = api.requests.length;
    const r = await h.result('playbooks.act', { ...retry, confirm: 'tiendi-api' });
    off();
    expect(r).toMatchObject({ ok: false, code: 'playbooks.action-failed' });
    if (!r.ok) expect(r.message).toMatch(/exited with code 3:\ngateway niubiz: connection refused/);
    expect(execs(before)).toHaveLength(1);
    expect((await h.journal.readAll()).entries.map((e) => [e.kind, e.data.outcome ?? null])).toEqual([
      ['action.started', null],
      ['action.finished', 'error'],
    ]);
  });

  it('a script missing from the image says so in the container runtime\'s words', async () => {
    const h = await playbooksHarness({ cluster: cluster() });
    const r = await h.result('playbooks.act', { ...retry, confirm: 'tiendi-api' });
    expect(r).toMatchObject({ ok: false });
    if (!r.ok) expect(r.message).toContain('exec: "node": executable file not found in $PATH');
  });

  it('no answer: gives up after the timeout saying the command may still be running, and never sends it again', async () => {
    const h = await playbooksHarness({ cluster: cluster(1000) });
    api.faultNext(1, 'hang', { pathIncludes: '/exec' });
    const before = api.requests.length;
    const r = await h.result('playbooks.act', { ...retry, confirm: 'tiendi-api' });
    expect(r).toMatchObject({ ok: false });
    if (!r.ok) expect(r.message).toMatch(/No end after 1 s: "node scripts\/retry-payments.js" in pod tiendi-api-\S+ .* may still be running; check before running it again/);
    expect(api.requests.slice(before).filter((x) => x.exec)).toHaveLength(1);
  });

  it('RBAC without pods/exec disables the action and sends nothing', async () => {
    api.setAccessRules([{ verbs: ['create'], resources: ['pods/exec'], allow: false }]);
    const h = await playbooksHarness({ cluster: cluster() });
    const before = api.requests.length;
    const p = await h.invoke<ActionPreview>('playbooks.preview', retry);
    expect(p.blocked).toMatch(/^Not allowed: /);
    const r = await h.result('playbooks.act', { ...retry, confirm: 'tiendi-api' });
    expect(r).toMatchObject({ ok: false });
    expect(api.requests.slice(before).filter((x) => x.exec)).toEqual([]);
    expect((await h.journal.readAll()).entries).toEqual([]);
    api.setAccessRules([]);
  });
});
