/**
 * The safety gate in front of Kubernetes actions, against the fake API server: RBAC denial disables
 * the action and refuses it; a failing server-side dry run blocks it and nothing is sent; the CLI's
 * 5-second cancel window sends nothing when cancelled; a sent action is journaled before and after.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionPreview } from '../../shared/diagnosis.js';
import type { PlaybookSummary } from '../../shared/domain.js';
import { KubernetesCluster } from '../../electron/core/kubernetes/kubernetes-cluster.js';
import { startFakeKubeApi, type FakeKubeApi, type RecordedRequest } from '../fakes/kube-api/index.js';
import { playbooksHarness } from '../unit/core/playbooks/playbooks-harness.js';

let api: FakeKubeApi;
const root = new URL('../..', import.meta.url).pathname;

/** Writes that were really sent (not a server-side dry run). */
const realWrites = (requests: RecordedRequest[]) => requests.filter((r) => ['PATCH', 'PUT', 'POST', 'DELETE'].includes(r.method) && !r.query.dryRun && !r.path.includes('selfsubjectaccessreviews'));

beforeAll(async () => {
  api = await startFakeKubeApi({ seed: 'playbooks-gate' });
});
afterAll(async () => {
  await api?.stop();
});

function cluster() {
  return KubernetesCluster.fromFile(api.kubeconfigPath, 'fake');
}

describe('the safety gate on Kubernetes actions', () => {
  it('disables an action RBAC denies, says why, and refuses it without sending anything', async () => {
    api.setAccessRules([{ verbs: ['patch'], resources: ['deployments/scale'], allow: false }]);
    const h = await playbooksHarness({ cluster: cluster() });
    const list = await h.invoke<{ playbooks: PlaybookSummary[] }>('playbooks.list');
    const scale = list.playbooks.find((p) => p.id === 'api-slow')!.actions.find((a) => a.id === 'scale-up')!;
    expect(scale.available).toBe(false);
    expect(scale.unavailableReason).toMatch(/^Not allowed by RBAC: /);
    const restart = list.playbooks.find((p) => p.id === 'api-down')!.actions.find((a) => a.id === 'restart')!;
    expect(restart.available).toBe(true);
    const before = api.requests.length;
    const r = await h.result('playbooks.act', { playbookId: 'api-slow', actionId: 'scale-up', confirm: 'tiendi-api' });
    expect(r).toMatchObject({ ok: false });
    expect(realWrites(api.requests.slice(before))).toEqual([]);
    expect((await h.journal.readAll()).entries).toEqual([]);
    api.setAccessRules([]);
  });

  it('shows the dry run as a diff, and a failing dry run blocks the action: nothing sent, nothing journaled', async () => {
    const h = await playbooksHarness({ cluster: cluster() });
    const ok = await h.invoke<ActionPreview>('playbooks.preview', { playbookId: 'api-slow', actionId: 'scale-up' });
    expect(ok.where).toEqual({ context: 'fake', namespace: 'production', object: 'deployment/tiendi-api' });
    expect(ok.access?.allowed).toBe(true);
    expect(ok.dryRun?.ok).toBe(true);
    expect(ok.diff).toContainEqual({ path: 'spec.replicas', before: '3', after: '10' });
    expect(ok.blocked).toBeNull();
    // Raising the memory limit shows each container's current limit as read from the cluster.
    const memory = await h.invoke<ActionPreview>('playbooks.preview', { playbookId: 'high-memory', actionId: 'increase-memory-limit' });
    expect(memory.dryRun?.ok).toBe(true);
    expect(memory.diff).toEqual([{ path: 'spec.template.spec.containers[api].resources.limits.memory', before: '1Gi', after: '2Gi' }]);

    api.store.remove('deployments', 'production', 'tiendi-payment');
    const before = api.requests.length;
    const bad = await h.invoke<ActionPreview>('playbooks.preview', { playbookId: 'payments-failing', actionId: 'switch-gateway' });
    expect(bad.dryRun?.ok).toBe(false);
    expect(bad.blocked).toMatch(/^The server-side dry run failed: .*tiendi-payment/);
    const r = await h.result('playbooks.act', { playbookId: 'payments-failing', actionId: 'switch-gateway', confirm: 'tiendi-payment' });
    expect(r).toMatchObject({ ok: false, code: 'playbooks.dry-run-failed' });
    expect(realWrites(api.requests.slice(before))).toEqual([]);
    expect((await h.journal.readAll()).entries).toEqual([]);
  });

  it('the CLI: Ctrl-C within the 5-second window sends nothing; a confirmed action is journaled before and after', async () => {
    const home = mkdtempSync(join(tmpdir(), 'guardia-gate-home-'));
    const config = join(home, 'config.yaml');
    writeFileSync(
      config,
      `version: 1\nenvironments:\n  - id: staging\n    name: Staging\n    production: false\n    connections:\n      kubernetes: { kubeconfig: ${api.kubeconfigPath}, context: fake }\n`,
    );
    const env = { ...process.env, GUARDIA_HOME: home };
    const before = api.requests.length;
    const child = spawn(process.execPath, ['bin/guardia.mjs', 'act', 'api-down', 'restart', '--confirm', 'tiendi-api', '--config', config], { cwd: root, env });
    let stderr = '';
    const code = await new Promise<number | null>((resolve) => {
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (stderr.includes('Sending in') && !child.killed) child.kill('SIGINT');
      });
      child.on('exit', (c) => resolve(c));
    });
    expect(stderr).toContain('Server dry run: ok');
    expect(stderr).toContain('cancelled: nothing was sent');
    expect(code).toBe(130);
    expect(realWrites(api.requests.slice(before))).toEqual([]);

    const sent = spawn(process.execPath, ['bin/guardia.mjs', 'act', 'api-down', 'restart', '--confirm', 'tiendi-api', '--config', config, '--no-wait'], { cwd: root, env });
    let out = '';
    sent.stdout.on('data', (d: Buffer) => (out += d.toString()));
    expect(await new Promise((resolve) => sent.on('exit', resolve))).toBe(0);
    expect(out).toContain('restarted');
    const writes = realWrites(api.requests.slice(before));
    expect(writes.map((w) => `${w.method} ${w.path}`)).toEqual(['PATCH /apis/apps/v1/namespaces/production/deployments/tiendi-api']);
    const journalDir = join(home, 'journal');
    const lines = readdirSync(journalDir).flatMap((f) => readFileSync(join(journalDir, f), 'utf8').trim().split('\n')).map((l) => JSON.parse(l) as { kind: string; data: Record<string, unknown> });
    const kinds = lines.filter((l) => l.kind.startsWith('action.'));
    expect(kinds.map((l) => l.kind)).toEqual(['action.started', 'action.finished']);
    expect(kinds[1]!.data).toMatchObject({ outcome: 'ok' });
  });
});
