/**
 * The runbook's payment retry (`kubectl exec … -- node scripts/retry-payments.js`) run by Guardia against
 * the fake API server's pods/exec (the remotecommand WebSocket protocol, checked against kubectl in
 * fake-kube-exec.test.ts): where it runs, what the confirmation shows, the output and exit code, and that
 * a command with side effects is sent exactly once, journaled before and after, whatever goes wrong.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGuardia } from '../../electron/core/compose.js';
import type { UnfinishedAction } from '../../shared/diagnosis.js';
import type { ActionPreview } from '../../shared/diagnosis.js';
import { KubernetesCluster } from '../../electron/core/kubernetes/kubernetes-cluster.js';
import { startFakeKubeApi, type FakeKubeApi } from '../fakes/kube-api/index.js';
import { playbooksHarness } from '../unit/core/playbooks/playbooks-harness.js';
import { waitFor } from '../helpers/wait-for.js';

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

  it('the connection dropped mid-command: says it may still be running, and never sends it again', async () => {
    const h = await playbooksHarness({ cluster: cluster() });
    api.faultNext(1, 'truncated', { pathIncludes: '/exec' });
    const before = api.requests.length;
    const r = await h.result('playbooks.act', { ...retry, confirm: 'tiendi-api' });
    expect(r).toMatchObject({ ok: false });
    if (!r.ok) expect(r.message).toMatch(/"node scripts\/retry-payments.js" in pod tiendi-api-\S+ .*may still be running/);
    expect(api.requests.slice(before).filter((x) => x.exec)).toHaveLength(1);
    expect((await h.journal.readAll()).entries.map((e) => [e.kind, e.data.outcome ?? null])).toEqual([
      ['action.started', null],
      ['action.finished', 'error'],
    ]);
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

  it('the process killed while the command runs: the journal reads back with the action started, listed as result unknown', { timeout: 60_000 }, async () => {
    const home = mkdtempSync(join(tmpdir(), 'guardia-exec-kill-'));
    const config = join(home, 'config.yaml');
    writeFileSync(config, `version: 1\nenvironments:\n  - id: staging\n    name: Staging\n    production: false\n    connections:\n      kubernetes: { kubeconfig: ${api.kubeconfigPath}, context: fake }\n`);
    const env = { ...process.env, GUARDIA_HOME: home };
    api.faultNext(1, 'hang', { pathIncludes: '/exec' });
    const before = api.requests.length;
    const root = new URL('../..', import.meta.url).pathname;
    const child = spawn(process.execPath, ['bin/guardia.mjs', 'act', 'payments-failing', 'retry-payments', '--confirm', 'tiendi-api', '--no-wait', '--config', config], { cwd: root, env });
    const journalDir = join(home, 'journal');
    const journaled = () =>
      existsSync(journalDir) ? readdirSync(journalDir).flatMap((f) => readFileSync(join(journalDir, f), 'utf8').split('\n').filter(Boolean)) : [];
    // Killed once the exec is open and the start is on disk: the command "runs" in the pod.
    await waitFor('the action to start', () =>
      api.requests.slice(before).some((r) => r.exec && r.status === 101) && journaled().some((l) => l.includes('"action.started"')) ? true : undefined,
    30_000);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('exit', resolve));

    const g = await createGuardia({ configFile: config, alertmanagers: [] }, { env });
    try {
      const list = await g.core.invoke('playbooks.list', {});
      expect(list.ok).toBe(true);
      const unfinished = (list.ok ? (list.value as { unfinished: UnfinishedAction[] }).unfinished : []).filter((u) => u.actionId === 'retry-payments');
      expect(unfinished).toEqual([expect.objectContaining({ playbookId: 'payments-failing', actionId: 'retry-payments', target: 'tiendi-api' })]);
      // Every line reads back (the start was fsync'd before the command was sent); no finish was written.
      const kinds = journaled().map((l) => (JSON.parse(l) as { kind: string }).kind);
      expect(kinds.filter((k) => k.startsWith('action.'))).toEqual(['action.started']);
    } finally {
      await g.close();
    }
  });
});
