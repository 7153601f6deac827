import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { kubeCommand } from '../../../../electron/cli/kube-command.js';
import { usage } from '../../../../electron/cli/index.js';

const dir = mkdtempSync(join(tmpdir(), 'guardia-kube-cli-'));
const kubeconfig = join(dir, 'config');
writeFileSync(
  kubeconfig,
  `apiVersion: v1
kind: Config
clusters:
- name: c
  cluster: {server: 'https://k8s.example:6443'}
contexts:
- name: prod
  context: {cluster: c, user: admin, namespace: production}
- name: aks
  context: {cluster: c, user: aad}
users:
- name: admin
  user: {token: plain-token-value-123}
- name: aad
  user:
    exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: kubelogin, args: [get-token]}
`,
);

async function run(args: string[], values: Record<string, unknown> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await kubeCommand(values, args, {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    readStdin: async () => '',
    stdinIsTTY: false,
    env: { KUBECONFIG: kubeconfig, GUARDIA_HOME: join(dir, 'home') },
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('guardia kube', () => {
  it('contexts --json lists each context with where its credentials live, never the secret', async () => {
    const r = await run(['contexts'], { json: true });
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.out) as Array<{ name: string; credentials: string; warning: string | null }>;
    expect(rows.map((x) => [x.name, x.credentials])).toEqual([
      ['aks', 'exec'],
      ['prod', 'plain-file'],
    ]);
    expect(rows[1]!.warning).toContain('guardia kube import --context prod');
    expect(r.out).not.toContain('plain-token-value-123');
  });

  it('contexts prints a table with plain files flagged and a warning line', async () => {
    const r = await run(['contexts']);
    expect(r.out.split('\n')[0]).toMatch(/^CONTEXT\s+CREDENTIALS\s+SOURCE\s+DETAILS$/);
    expect(r.out).toMatch(/^prod\s+PLAIN FILE\s+.*token in the file$/m);
    expect(r.out).toMatch(/^aks\s+exec plugin\s+.*exec kubelogin$/m);
    expect(r.out).toContain('warning: prod: secrets in a plain file');
  });

  it('refuses a token on the command line and explains usage', async () => {
    expect((await run(['set-token', 'abc'], { context: 'prod' })).code).toBe(2);
    expect((await run(['frobnicate'])).err).toContain('usage: guardia kube contexts');
    await expect(run(['import'])).rejects.toThrow('guardia kube import needs --context NAME');
  });

  it('is in guardia --help', () => {
    expect(usage).toContain('kube import --context NAME [--kubeconfig FILE] [--remove-from-original]');
    expect(usage).toContain('kube contexts [--json]');
  });
});
