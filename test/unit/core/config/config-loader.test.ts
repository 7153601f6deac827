import { describe, it, expect, afterEach } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkAll, defaultPackDir, loadConfig } from '../../../../electron/core/config/config-loader.js';
import { ConfigError, type ConfigIssue } from '../../../../electron/core/config/errors.js';

const temps: string[] = [];

async function configFile(text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'guardia-config-'));
  temps.push(dir);
  const file = join(dir, 'guardia.yaml');
  await writeFile(file, text);
  return file;
}

async function issuesOf(file: string): Promise<ConfigIssue[]> {
  try {
    await loadConfig(file);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).issues;
  }
  throw new Error('expected the config to be rejected');
}

function lineOf(text: string, needle: string): number {
  return text.split('\n').findIndex((l) => l.includes(needle)) + 1;
}

afterEach(async () => {
  await Promise.all(temps.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

const valid = `version: 1
environments:
  - id: production
    name: Producción
    production: true
    color: "#d32f2f"
    connections:
      prometheus:
        url: https://prometheus.tiendi.pe
        auth: { kind: basic, username: guardia, secret: tiendi-prometheus }
      alertmanagers:
        - { name: am-1, url: "https://alertmanager-1.tiendi.pe" }
        - { name: am-2, url: "https://alertmanager-2.tiendi.pe" }
      kubernetes: { context: tiendi-prod, namespace: production, kubeconfig: kube/config }
      postgres:
        - { name: tiendi-db, host: tiendi-db.postgres.database.azure.com, database: tiendi, user: oncall, secret: tiendi-db }
      redis:
        - { name: cache, url: "rediss://redis.tiendi.internal:6380", secret: tiendi-redis }
  - id: staging
    name: Staging
    production: false
    readOnly: true
`;

describe('loadConfig', () => {
  it('loads a valid config and fills the defaults', async () => {
    const file = await configFile(valid);
    const config = await loadConfig(file);
    expect(config.refreshSeconds).toBe(5);
    expect(config.defaultEnvironment).toBe('production');
    expect(config.pack).toBe(defaultPackDir());
    expect(config.environments[0]!.readOnly).toBe(false);
    expect(config.environments[0]!.connections.postgres![0]!.port).toBe(5432);
    expect(config.environments[0]!.connections.kubernetes!.kubeconfig).toBe(join(file, '..', 'kube', 'config'));
    expect(config.environments[1]!.connections).toEqual({});
  });

  it('rejects a literal secret and points at the keychain', async () => {
    const text = valid.replace('secret: tiendi-db }', 'password: "hunter2" }');
    const issues = await issuesOf(await configFile(text));
    expect(issues).toHaveLength(1);
    expect(issues[0]!.line).toBe(lineOf(text, 'hunter2'));
    expect(issues[0]!.message).toContain('secrets belong in the keychain');
    expect(issues[0]!.message).toContain('guardia creds set NAME');
  });

  it('rejects a token or apiKey anywhere', async () => {
    const text = valid.replace(
      '        url: https://prometheus.tiendi.pe\n',
      '        url: https://prometheus.tiendi.pe\n        token: abc123\n',
    ).replace('    readOnly: true\n', '    readOnly: true\n    apiKey: xyz\n');
    const issues = await issuesOf(await configFile(text));
    expect(issues.map((i) => [i.line, i.message.startsWith('"token" would put a secret') || i.message.startsWith('"apiKey" would put a secret')])).toEqual([
      [lineOf(text, 'token: abc123'), true],
      [lineOf(text, 'apiKey: xyz'), true],
    ]);
  });

  it('rejects a password inside a URL', async () => {
    const text = valid.replace('rediss://redis.tiendi.internal:6380', 'rediss://:s3cret@redis.tiendi.internal:6380');
    const issues = await issuesOf(await configFile(text));
    expect(issues).toHaveLength(1);
    expect(issues[0]!.message).toContain('guardia creds set NAME');
  });

  it('reports an unknown default environment, a wrong type and a YAML error with their lines', async () => {
    const text = `${valid}defaultEnvironment: prod\nrefreshSeconds: fast\n`;
    const issues = await issuesOf(await configFile(text));
    expect(issues.map((i) => [i.line, i.message])).toEqual([
      [lineOf(text, 'refreshSeconds: fast'), 'expected a number, got string "fast"'],
    ]);
    const fixed = text.replace('refreshSeconds: fast', 'refreshSeconds: 10');
    const issues2 = await issuesOf(await configFile(fixed));
    expect(issues2.map((i) => [i.line, i.message])).toEqual([
      [lineOf(fixed, 'defaultEnvironment: prod'), 'no environment has the id "prod" (have: production, staging)'],
    ]);
    const broken = await issuesOf(await configFile('version: 1\nenvironments: [\n'));
    expect(broken[0]!.message).toMatch(/^YAML syntax error/);
    expect(broken[0]!.line).toBeGreaterThan(1);
  });

  it('reports a missing file', async () => {
    const issues = await issuesOf(join(tmpdir(), 'guardia-does-not-exist.yaml'));
    expect(issues[0]).toMatchObject({ line: 1, column: 1, message: 'file not found' });
  });
});

describe('checkAll', () => {
  it('finds the bundled pack from the package root', () => {
    expect(defaultPackDir().endsWith(join('resources', 'packs', 'tiendi'))).toBe(true);
    expect(existsSync(join(defaultPackDir(), 'pack.yaml'))).toBe(true);
  });

  it('returns no issues for a valid config and the bundled pack', async () => {
    expect(await checkAll()).toEqual([]);
    expect(await checkAll({ configFile: await configFile(valid) })).toEqual([]);
  });

  it('returns the issues of the config and of the pack it names', async () => {
    const file = await configFile(`${valid}pack: ./no-such-pack\nfoo: 1\n`);
    const issues = await checkAll({ configFile: file });
    expect(issues.map((i) => i.message)).toEqual(['unknown key "foo"', 'pack folder not found']);
  });
});
