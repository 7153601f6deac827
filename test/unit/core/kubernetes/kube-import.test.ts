import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { GuardiaError } from '../../../../shared/result.js';
import { describeDetail, listKubeContexts, memoryKubeFiles, secretFields } from '../../../../electron/core/kubernetes/kube-contexts.js';
import {
  applyKubeImport,
  forgetKubeContext,
  hideSecrets,
  importedCluster,
  keychainEntryName,
  loadImportedKubeConfig,
  planKubeImport,
  previewOf,
  removeUserFields,
  replaceKubeToken,
  unifiedDiff,
} from '../../../../electron/core/kubernetes/kube-import.js';
import { demoKubeImportDeps, memorySecretStore } from '../../../../electron/core/kubernetes/kube-import-module.js';
import { Redactor } from '../../../../electron/core/log/logger.js';
import type { SecretStore } from '../../../../electron/core/ports.js';

const guardiaFile = '/home/me/.config/guardia/kubeconfig';
const token = 'eyJhbGciOiJSUzI1NiJ9.c2VjcmV0LXRva2VuLWZvci10ZXN0cw.sig-0123456789';
const keyPem = '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgTESTKEYTESTKEYTESTKEY\n-----END PRIVATE KEY-----\n';
const certPem = '-----BEGIN CERTIFICATE-----\nMIIBfTCCASOgAwIBAgIUTESTCERTTESTCERTTESTCERT\n-----END CERTIFICATE-----\n';
const caPem = '-----BEGIN CERTIFICATE-----\nCA-NOT-SECRET\n-----END CERTIFICATE-----\n';
const b64 = (s: string) => Buffer.from(s).toString('base64');

/** A kubeconfig as kubectl writes it (sequences not indented), with every kind of credential. */
const kubeconfig = `apiVersion: v1
clusters:
- cluster:
    certificate-authority: ca.crt
    server: https://prod.example:6443
  name: prod
contexts:
- context:
    cluster: prod
    namespace: production
    user: admin
  name: prod-admin
- context:
    cluster: prod
    user: admin
  name: prod-admin-2
- context:
    cluster: prod
    user: files
  name: prod-files
- context:
    cluster: prod
    user: oidc
  name: prod-oidc
- context:
    cluster: prod
    user: basic
  name: prod-basic
- context:
    cluster: prod
    user: aks
  name: arn:aws:eks:eu-west-1:123456789012:cluster/tiendi
current-context: prod-admin
kind: Config
preferences: {}
users:
- name: admin
  user:
    # the cluster-admin token
    token: ${token}
- name: files
  user:
    tokenFile: secrets/token
    client-certificate: /etc/kube/client.crt
    client-key: /etc/kube/client.key
- name: oidc
  user:
    auth-provider:
      name: oidc
      config:
        client-id: guardia
        client-secret: oidc-client-secret-value
        id-token: oidc-id-token-value
        idp-issuer-url: https://login.example
        refresh-token: oidc-refresh-token-value
- name: basic
  user:
    username: ops
    password: basic-password-value
- name: aks
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: aws
      args:
      - eks
      - get-token
`;

function setup(secrets: SecretStore = memorySecretStore()) {
  const files = memoryKubeFiles({
    '/home/me/.kube/config': kubeconfig,
    '/home/me/.kube/ca.crt': caPem,
    '/home/me/.kube/secrets/token': `${token}-from-file\n`,
    '/etc/kube/client.crt': certPem,
    '/etc/kube/client.key': keyPem,
  });
  const plan = (context: string) => planKubeImport({ files, kubeconfigs: ['/home/me/.kube/config'], context, guardiaKubeconfig: guardiaFile });
  return { files, secrets, plan };
}

function expectFree(text: string, ...secrets: string[]) {
  for (const s of secrets) {
    expect(text).not.toContain(s);
    expect(text).not.toContain(b64(s));
  }
}

describe('planning an import', () => {
  it('moves an inline token to kube.<context>.token and keeps the CA (inlined from its file)', async () => {
    const { plan } = setup();
    const p = await plan('prod-admin');
    expect(p.secrets).toEqual([{ kind: 'token', entry: 'kube.prod-admin.token', from: 'token in the file', at: null }]);
    expect(p.values.get('kube.prod-admin.token')).toBe(token);
    expectFree(p.guardiaText, token);
    const doc = parseYaml(p.guardiaText);
    expect(doc.clusters[0].cluster).toEqual({ server: 'https://prod.example:6443', 'certificate-authority-data': b64(caPem) });
    expect(doc.contexts[0]).toEqual({ name: 'prod-admin', context: { cluster: 'prod-admin', user: 'prod-admin', namespace: 'production' } });
    expect(doc.users[0].user).toEqual({
      extensions: [{ name: 'guardia.keychain', extension: { service: 'guardia', entries: { token: 'kube.prod-admin.token' } } }],
    });
    // The preview that leaves core has no value and no file text.
    expect(JSON.stringify(previewOf(p))).not.toContain(token);
  });

  it('reads a tokenFile and client certificate/key files (relative paths from the kubeconfig folder) and says they stay on disk', async () => {
    const { plan } = setup();
    const p = await plan('prod-files');
    expect(p.secrets.map((s) => [s.kind, s.from])).toEqual([
      ['token', 'token in /home/me/.kube/secrets/token'],
      ['client-key', 'client key in /etc/kube/client.key'],
      ['client-certificate', 'client certificate in /etc/kube/client.crt'],
    ]);
    expect(p.values.get('kube.prod-files.token')).toBe(`${token}-from-file`);
    expect(p.values.get('kube.prod-files.client-key')).toBe(keyPem);
    expect(p.filesLeft).toEqual(['/home/me/.kube/secrets/token', '/etc/kube/client.key', '/etc/kube/client.crt']);
    expect(p.guardiaText).not.toContain('/etc/kube/client.key');
    expectFree(p.guardiaText, keyPem, certPem, token);
  });

  it('moves auth-provider tokens and client secret, keeping its non-secret config', async () => {
    const { plan } = setup();
    const p = await plan('prod-oidc');
    expect(p.secrets.map((s) => s.kind).sort()).toEqual(['auth-provider.client-secret', 'auth-provider.id-token', 'auth-provider.refresh-token']);
    const user = parseYaml(p.guardiaText).users[0].user;
    expect(user['auth-provider']).toEqual({ name: 'oidc', config: { 'client-id': 'guardia', 'idp-issuer-url': 'https://login.example' } });
    expectFree(p.guardiaText, 'oidc-client-secret-value', 'oidc-id-token-value', 'oidc-refresh-token-value');
  });

  it('keeps an exec plugin as is and says it holds no static secret', async () => {
    const { plan } = setup();
    const p = await plan('arn:aws:eks:eu-west-1:123456789012:cluster/tiendi');
    expect(p.secrets).toEqual([]);
    expect(p.exec).toEqual({ command: 'aws', args: ['eks', 'get-token'] });
    expect(p.notes.join(' ')).toContain('exec plugin "aws", which holds no static secret');
    expect(parseYaml(p.guardiaText).users[0].user.exec.command).toBe('aws');
    expect(p.removalDiff).toBeNull();
  });

  it("makes a relative exec command absolute, since Guardia's copy lives in another folder", async () => {
    const files = memoryKubeFiles({
      '/home/me/.kube/config': 'clusters:\n- name: c\n  cluster: {server: https://k}\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\nusers:\n- name: u\n  user:\n    exec: {command: ./bin/plugin}\n',
    });
    const p = await planKubeImport({ files, kubeconfigs: ['/home/me/.kube/config'], context: 'x', guardiaKubeconfig: guardiaFile });
    expect(parseYaml(p.guardiaText).users[0].user.exec.command).toBe('/home/me/.kube/bin/plugin');
  });

  it('names an unknown context with the ones that exist', async () => {
    const { plan } = setup();
    await expect(plan('nope')).rejects.toThrow(/No context "nope" in \/home\/me\/.kube\/config \(contexts: prod-admin, prod-admin-2/);
  });
});

describe('keychain entry names', () => {
  it('are valid keychain names for EKS/GKE-style context names and stay distinct', () => {
    const a = keychainEntryName('arn:aws:eks:eu-west-1:123:cluster/a', 'token');
    const b = keychainEntryName('arn:aws:eks:eu-west-1:123:cluster-a', 'token');
    for (const n of [a, b]) expect(n).toMatch(/^[A-Za-z0-9._@-]{1,128}$/);
    expect(a).not.toBe(b);
    expect(keychainEntryName('gke_tiendi_us-east1_prod', 'client-key')).toBe('kube.gke_tiendi_us-east1_prod.client-key');
  });
});

describe('removing the secrets from the original file', () => {
  it('shows a diff that removes only the secret lines, with values hidden, and names contexts sharing the user', async () => {
    const { plan } = setup();
    const p = await plan('prod-admin');
    const lines = p.removalDiff!.split('\n');
    expect(lines.slice(0, 2)).toEqual(['--- /home/me/.kube/config', '+++ /home/me/.kube/config (secrets removed)']);
    expect(lines.filter((l) => l.startsWith('-') && !l.startsWith('---'))).toEqual([`-    token: ‹hidden, ${token.length} characters›`]);
    // Exactly the token's line goes; comments and formatting everywhere else stay byte for byte.
    expect(p.removedText).toBe(kubeconfig.replace(`    token: ${token}\n`, ''));
    expect(p.sharedWith).toEqual(['prod-admin-2']);
  });

  it('cuts multi-line values whole, and re-serializes a flow mapping it cannot cut by lines', () => {
    const text = 'users:\n- name: a\n  user:\n    client-key-data: |\n      LINE1\n      LINE2\n    username: u\n- name: b\n  user: {token: x, other: y}\n';
    const only = (...keys: string[]) => secretFields.filter((f) => keys.includes(f.path.join('.')));
    expect(removeUserFields(text, 0, only('client-key-data'))).toBe('users:\n- name: a\n  user:\n    username: u\n- name: b\n  user: {token: x, other: y}\n');
    const flow = removeUserFields(text, 1, only('token'));
    expect(parseYaml(flow).users[1].user).toEqual({ other: 'y' });
    expect(parseYaml(flow).users[0].user['client-key-data']).toBe('LINE1\nLINE2\n');
  });

  it('applies only when asked, keeps a backup, and refuses if the file changed since the plan', async () => {
    const { files, secrets, plan } = setup();
    const p = await plan('prod-basic');
    const kept = await applyKubeImport(p, { files, secrets, removeFromOriginal: false });
    expect(kept.backup).toBeNull();
    expect(files.files.get('/home/me/.kube/config')).toBe(kubeconfig);

    const removed = await applyKubeImport(p, { files, secrets, removeFromOriginal: true, now: () => new Date('2026-11-30T04:00:00Z') });
    expect(removed.backup).toBe('/home/me/.kube/config.guardia-backup-2026-11-30T04-00-00-000Z');
    expect(files.files.get(removed.backup!)).toBe(kubeconfig);
    const now = files.files.get('/home/me/.kube/config')!;
    expect(now).not.toContain('basic-password-value');
    expect(now).toContain('username: ops');

    // The stripped file has nothing left to import: importing again must not drop the keychain link.
    await expect(plan('prod-basic')).rejects.toMatchObject({ code: 'kubernetes.nothing-to-import' });

    const stale = await plan('prod-admin');
    await files.write('/home/me/.kube/config', `${kubeconfig}# edited\n`);
    await expect(applyKubeImport(stale, { files, secrets, removeFromOriginal: true })).rejects.toThrow(/changed since the preview/);
  });

  it('writes nothing when the keychain refuses a secret', async () => {
    const failing: SecretStore = { ...memorySecretStore(), set: async () => Promise.reject(new GuardiaError('secrets.unavailable', 'locked')) };
    const { files, plan } = setup(failing);
    await expect(applyKubeImport(await plan('prod-admin'), { files, secrets: failing, removeFromOriginal: true })).rejects.toThrow(
      'Could not store the credentials of context "prod-admin" in the OS keychain: locked (nothing was written)',
    );
    expect(files.files.has(guardiaFile)).toBe(false);
    expect(files.files.get('/home/me/.kube/config')).toBe(kubeconfig);
  });
});

describe('using an imported context', () => {
  it('builds the KubeConfig in memory from the keychain and registers every secret with the redactor', async () => {
    const { files, secrets, plan } = setup();
    for (const c of ['prod-files', 'prod-oidc', 'prod-basic']) await applyKubeImport(await plan(c), { files, secrets, removeFromOriginal: false });
    const redactor = new Redactor();
    const load = (context: string) => loadImportedKubeConfig({ files, guardiaKubeconfig: guardiaFile, context, secrets, redactor });

    const kc = await load('prod-files');
    const user = kc.getCurrentUser()!;
    expect(user.token).toBe(`${token}-from-file`);
    expect(Buffer.from(user.keyData!, 'base64').toString()).toBe(keyPem);
    expect(user.keyFile).toBeFalsy();
    expect(kc.getCurrentCluster()?.caData).toBe(b64(caPem));
    expect(redactor.redact(`token ${token}-from-file key ${b64(keyPem)}`)).not.toMatch(/eyJ|LS0t/);

    expect((await load('prod-basic')).getCurrentUser()).toMatchObject({ username: 'ops', password: 'basic-password-value' });
    expect((await load('prod-oidc')).getCurrentUser()?.authProvider.config).toEqual({
      'client-id': 'guardia',
      'idp-issuer-url': 'https://login.example',
      'client-secret': 'oidc-client-secret-value',
      'id-token': 'oidc-id-token-value',
      'refresh-token': 'oidc-refresh-token-value',
    });
    // Every import kept the earlier ones: one file with all three contexts.
    expect(parseYaml(files.files.get(guardiaFile)!).contexts.map((c: { name: string }) => c.name)).toEqual(['prod-files', 'prod-oidc', 'prod-basic']);
  });

  it('fails with an error naming the context when the keychain does not answer', async () => {
    const { files, secrets, plan } = setup();
    await applyKubeImport(await plan('prod-admin'), { files, secrets, removeFromOriginal: false });
    const locked: SecretStore = { ...secrets, get: async () => Promise.reject(new GuardiaError('secrets.unavailable', 'The OS keychain failed: no D-Bus')) };
    const error = await loadImportedKubeConfig({ files, guardiaKubeconfig: guardiaFile, context: 'prod-admin', secrets: locked }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'kubernetes.keychain' });
    expect((error as Error).message).toBe(
      'Context "prod-admin" is imported into Guardia and its credentials are in the OS keychain, which failed: The OS keychain failed: no D-Bus ' +
        '(Guardia never falls back to the credentials of the original kubeconfig)',
    );
  });

  it('says how to import a context that is not imported', async () => {
    const { files, secrets } = setup();
    await expect(loadImportedKubeConfig({ files, guardiaKubeconfig: guardiaFile, context: 'prod-admin', secrets })).rejects.toMatchObject({
      code: 'kubernetes.not-imported',
      message: 'Context "prod-admin" is not imported into Guardia: guardia kube import --context prod-admin',
    });
  });

  it('the lazy cluster forwards KubernetesCluster methods only, and retries the keychain after a failure', async () => {
    let loads = 0;
    const port = importedCluster({
      context: 'x',
      load: async () => {
        loads++;
        throw new GuardiaError('kubernetes.keychain', 'locked');
      },
    });
    expect(typeof port.listPods).toBe('function');
    expect((port as unknown as Record<string, unknown>).notAClusterMethod).toBeUndefined();
    await expect(port.listPods('production')).rejects.toThrow('locked');
    await expect(port.listPods('production')).rejects.toThrow('locked');
    expect(loads).toBe(2);
  });
});

describe('replacing a token', () => {
  it('overwrites the keychain entry, or adds one to a context that had none, never writing the token to a file', async () => {
    const { files, secrets, plan } = setup();
    await applyKubeImport(await plan('prod-admin'), { files, secrets, removeFromOriginal: false });
    await replaceKubeToken({ files, guardiaKubeconfig: guardiaFile, context: 'prod-admin', token: 'new-token-value-0001\n', secrets });
    expect(await secrets.get('kube.prod-admin.token')).toBe('new-token-value-0001');

    await applyKubeImport(await plan('prod-basic'), { files, secrets, removeFromOriginal: false });
    const r = await replaceKubeToken({ files, guardiaKubeconfig: guardiaFile, context: 'prod-basic', token: 'new-token-value-0002', secrets });
    expect(r.entry).toBe('kube.prod-basic.token');
    const text = files.files.get(guardiaFile)!;
    expect(text).toContain('token: kube.prod-basic.token');
    expectFree(text, 'new-token-value-0001', 'new-token-value-0002');
    await expect(replaceKubeToken({ files, guardiaKubeconfig: guardiaFile, context: 'prod-files', token: 'x', secrets })).rejects.toMatchObject({
      code: 'kubernetes.not-imported',
    });
    await expect(replaceKubeToken({ files, guardiaKubeconfig: guardiaFile, context: 'prod-admin', token: 'two words', secrets })).rejects.toMatchObject({
      code: 'kubernetes.bad-token',
    });
  });
});

describe('forgetting an imported context', () => {
  it('deletes its keychain entries and its copy, keeping other imported contexts and the original file', async () => {
    const { files, secrets, plan } = setup();
    await applyKubeImport(await plan('prod-files'), { files, secrets, removeFromOriginal: false });
    await applyKubeImport(await plan('prod-basic'), { files, secrets, removeFromOriginal: false });
    const r = await forgetKubeContext({ files, guardiaKubeconfig: guardiaFile, context: 'prod-files', secrets });
    expect(r.deleted.sort()).toEqual(['kube.prod-files.client-certificate', 'kube.prod-files.client-key', 'kube.prod-files.token']);
    expect(await secrets.list()).toEqual(['kube.prod-basic.password']);
    const doc = parseYaml(files.files.get(guardiaFile)!);
    expect([doc.contexts, doc.clusters, doc.users].map((l: Array<{ name: string }>) => l.map((x) => x.name))).toEqual([['prod-basic'], ['prod-basic'], ['prod-basic']]);
    expect(files.files.get('/home/me/.kube/config')).toBe(kubeconfig);
    await expect(forgetKubeContext({ files, guardiaKubeconfig: guardiaFile, context: 'prod-files', secrets })).rejects.toMatchObject({ code: 'kubernetes.not-imported' });
  });
});

describe('listing contexts', () => {
  it('says where each context keeps its credentials, warns about plain files and about originals still holding imported secrets', async () => {
    const { files, secrets, plan } = setup();
    await applyKubeImport(await plan('prod-admin'), { files, secrets, removeFromOriginal: false });
    const rows = await listKubeContexts({ files, kubeconfigs: ['/home/me/.kube/config'], guardiaKubeconfig: guardiaFile });
    const by = Object.fromEntries(rows.map((r) => [r.name, r]));
    expect(by['prod-admin']).toMatchObject({ imported: true, credentials: 'keychain', file: guardiaFile, details: [{ what: 'keychain', at: 'kube.prod-admin.token' }] });
    expect(by['prod-admin']!.warning).toContain('still holds its secrets');
    expect(by['prod-files']).toMatchObject({ credentials: 'plain-file', imported: false });
    expect(by['prod-files']!.details.map(describeDetail)).toEqual([
      'token in /home/me/.kube/secrets/token',
      'client key in /etc/kube/client.key',
      'client certificate in /etc/kube/client.crt',
    ]);
    expect(by['prod-files']!.warning).toContain('guardia kube import --context prod-files');
    expect(by['arn:aws:eks:eu-west-1:123456789012:cluster/tiendi']).toMatchObject({ credentials: 'exec', warning: null, details: [{ what: 'exec', at: 'aws' }] });
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it('merges several kubeconfig files with the first definition winning, like kubectl', async () => {
    const files = memoryKubeFiles({
      '/a': 'contexts:\n- name: one\n  context: {cluster: c, user: u}\nclusters:\n- name: c\n  cluster: {server: https://a}\nusers:\n- name: u\n  user: {exec: {command: az}}\n',
      '/b': 'contexts:\n- name: one\n  context: {cluster: c, user: u}\n- name: two\n  context: {cluster: c}\nclusters:\n- name: c\n  cluster: {server: https://b}\n',
    });
    const rows = await listKubeContexts({ files, kubeconfigs: ['/a', '/b', '/missing'], guardiaKubeconfig: '/none' });
    expect(rows.map((r) => [r.name, r.server, r.credentials])).toEqual([
      ['one', 'https://a', 'exec'],
      ['two', 'https://b', 'none'],
    ]);
  });
});

describe('the demo', () => {
  it('lists a plain token, an exec plugin and a client certificate, and imports in memory', async () => {
    const deps = demoKubeImportDeps();
    const before = await listKubeContexts(deps);
    expect(before.map((r) => [r.name, r.credentials])).toEqual([
      ['tiendi-prod', 'plain-file'],
      ['tiendi-prod-aad', 'exec'],
      ['tiendi-staging', 'plain-file'],
    ]);
    const p = await planKubeImport({ ...deps, context: 'tiendi-staging' });
    await applyKubeImport(p, { ...deps, removeFromOriginal: true });
    expect((await listKubeContexts(deps)).find((r) => r.name === 'tiendi-staging')).toMatchObject({ credentials: 'keychain', warning: null });
  });
});

describe('unified diff', () => {
  it('prints diff -u hunks with three lines of context', () => {
    const before = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'].join('\n') + '\n';
    const after = ['a', 'b', 'c', 'd', 'f', 'g', 'h', 'i', 'j', 'k'].join('\n') + '\n';
    expect(unifiedDiff(before, after, 'f')).toBe(
      ['--- f', '+++ f (secrets removed)', '@@ -2,9 +2,9 @@', ' b', ' c', ' d', '-e', ' f', ' g', ' h', ' i', ' j', '+k', ''].join('\n'),
    );
    expect(unifiedDiff('same\n', 'same\n', 'f')).toBe('');
  });

  it('hides values on secret keys and any raw secret value', () => {
    expect(hideSecrets('-    client-key-data: QUJD\n     other: x', [])).toBe('-    client-key-data: ‹hidden, 4 characters›\n     other: x');
    expect(hideSecrets('-  weird: s3cr3t-v', ['s3cr3t-v'])).toBe('-  weird: ‹hidden, 8 characters›');
  });
});
