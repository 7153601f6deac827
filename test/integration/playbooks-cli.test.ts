/**
 * `guardia diagnose` and `guardia act` from the command line on a configured PostgreSQL whose password
 * is in the OS keychain (gnome-keyring): the way an engineer runs the database playbooks in a shell.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiagnosisRun } from '../../shared/diagnosis.js';
import { psql, startPostgres, type PostgresHandle } from '../helpers/services.js';

let server: PostgresHandle;

beforeAll(async () => {
  server = await startPostgres();
  await psql(server.user, 'CREATE TABLE orders (id serial PRIMARY KEY, total numeric); INSERT INTO orders (total) SELECT g FROM generate_series(1, 100) g;');
});
afterAll(async () => {
  await server?.stop();
});

describe('guardia diagnose / act on a configured PostgreSQL, password from the OS keychain', () => {
  it('runs the database playbook from the CLI with --json and runs an action with --confirm', async () => {
    const { startKeyring } = await import('../helpers/services.js');
    const { spawn } = await import('node:child_process');
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const keyring = await startKeyring();
    const root = new URL('../..', import.meta.url).pathname;
    const home = mkdtempSync(join(tmpdir(), 'guardia-cli-pg-'));
    const u = server.user;
    writeFileSync(
      join(home, 'config.yaml'),
      `version: 1\nenvironments:\n  - id: staging\n    name: Staging\n    production: false\n    connections:\n      postgres:\n        - { name: tiendi-db, host: ${u.host}, port: ${u.port}, database: ${u.database}, user: ${u.user}, secret: pg-staging }\n`,
    );
    const env = { ...process.env, ...keyring.env, GUARDIA_HOME: home };
    const cli = (args: string[], input?: string) =>
      new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
        const c = spawn(process.execPath, ['bin/guardia.mjs', ...args], { cwd: root, env });
        let out = '';
        let err = '';
        c.stdout.on('data', (d: Buffer) => (out += d.toString()));
        c.stderr.on('data', (d: Buffer) => (err += d.toString()));
        c.on('exit', (code) => resolve({ code, out, err }));
        c.stdin.end(input ?? '');
      });
    try {
      expect((await cli(['creds', 'set', 'pg-staging'], `${u.password}\n`)).code).toBe(0);
      const diag = await cli(['diagnose', 'database-slow', '--json', '--config', join(home, 'config.yaml')]);
      const run = JSON.parse(diag.out) as DiagnosisRun;
      expect(run.steps.find((s) => s.stepId === 'active-queries')!.status).toBe('ok');
      expect(run.steps.find((s) => s.stepId === 'table-bloat')!.summary).toMatch(/row/);
      // The password never reaches output.
      expect(diag.out + diag.err).not.toContain(u.password);
      const act = await cli(['act', 'database-slow', 'vacuum-analyze', '--confirm', 'postgres', '--no-wait', '--config', join(home, 'config.yaml')]);
      expect(act.err).toContain('Will touch:');
      expect(act.out).toContain('VACUUM ANALYZE finished');
      expect(act.code).toBe(0);
    } finally {
      await keyring.stop();
    }
  });
});
