/**
 * The "API slow" diagnosis of runbook §7.1 (5 steps: pods, logs, top, DB connections by state, slowest
 * statements) run by Guardia against the fake Kubernetes API and a real PostgreSQL 15, side by side
 * with the same commands run one after another by kubectl and psql as the runbook has them (psql is
 * run directly rather than through `kubectl exec postgres-0`, which only adds to the reference).
 * Second figure: Guardia's wall time against its own slowest step (1.0 = perfectly parallel).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { defaultPackDir } from '../electron/core/config/config-loader.js';
import { loadPack } from '../electron/core/config/pack-loader.js';
import { Journal } from '../electron/core/journal/journal.js';
import { KubernetesCluster } from '../electron/core/kubernetes/kubernetes-cluster.js';
import { KubernetesRunner } from '../electron/core/playbooks/kubernetes-runner.js';
import { PlaybookEngine } from '../electron/core/playbooks/playbook-service.js';
import { PgDatabase } from '../electron/core/postgres/pg-database.js';
import { PostgresRunner } from '../electron/core/postgres/postgres-runner.js';
import { startFakeKubeApi } from '../test/fakes/kube-api/index.js';
import { psql, startPostgres } from '../test/helpers/services.js';
import { medianMs, report } from './bench-kit.js';

const run = promisify(execFile);
const api = await startFakeKubeApi({ seed: 'diagnosis-bench' });
const pg = await startPostgres();
const work = mkdtempSync(join(tmpdir(), 'guardia-bench-diag-'));
try {
  await psql(pg.user, 'CREATE TABLE orders (id serial PRIMARY KEY, total numeric); INSERT INTO orders (total) SELECT g FROM generate_series(1, 20000) g; SELECT count(*) FROM orders;');
  const pack = await loadPack(defaultPackDir());
  // The runbook's five steps of §7.1 (packs may add more, e.g. Azure queries, which are not in the runbook).
  const apiSlow = pack.playbooks.find((p) => p.id === 'api-slow')!;
  const five = apiSlow.diagnosis.filter((s) => ['pod-status', 'pod-logs', 'resource-usage', 'db-connections', 'slow-queries'].includes(s.id));
  if (five.length !== 5) throw new Error(`api-slow has ${five.length} of the runbook's 5 steps`);
  const benchPack = { ...pack, playbooks: [{ ...apiSlow, diagnosis: five }] };
  const u = pg.user;
  const db = new PgDatabase({ name: 'bench', host: u.host, port: u.port, database: u.database, user: u.user, password: async () => u.password });
  const engine = new PlaybookEngine(benchPack, new Journal(join(work, 'journal'), Date.now), { environment: { id: 'bench', readOnly: false, production: false }, actor: 'bench' }, { now: Date.now });
  engine.register(new KubernetesRunner(KubernetesCluster.fromFile(api.kubeconfigPath, 'fake'), Date.now));
  engine.register(new PostgresRunner([db]));

  let wall = 0;
  let slowest = 0;
  const walls: Array<{ wall: number; slowest: number }> = [];
  const guardia = await medianMs(7, async () => {
    const t0 = performance.now();
    const r = await engine.diagnose({ playbookId: 'api-slow', params: {} });
    wall = performance.now() - t0;
    const bad = r.steps.filter((s) => s.status !== 'ok');
    if (bad.length) throw new Error(`steps failed: ${bad.map((s) => `${s.stepId}: ${s.summary}`).join('; ')}`);
    slowest = Math.max(...r.steps.map((s) => s.durationMs));
    walls.push({ wall, slowest });
  });

  const kube = ['--kubeconfig', api.kubeconfigPath, '--cache-dir', join(work, 'kube-cache'), '-n', 'production'];
  const pgEnv = { ...process.env, PGPASSWORD: u.password };
  const psqlArgs = ['-h', u.host, '-p', String(u.port), '-U', u.user, '-d', u.database, '-X', '-c'];
  const reference = await medianMs(7, async () => {
    const pods = await run('kubectl', [...kube, 'get', 'pods']);
    if (!pods.stdout.split('\n').some((l) => l.includes('api'))) throw new Error('kubectl get pods listed no api pod');
    await run('kubectl', [...kube, 'logs', 'deployment/tiendi-api', '--tail=100']);
    await run('kubectl', [...kube, 'top', 'pods']);
    await run(join(pg.binDir, 'psql'), [...psqlArgs, 'SELECT count(*) as connections, state FROM pg_stat_activity GROUP BY state;'], { env: pgEnv });
    await run(join(pg.binDir, 'psql'), [...psqlArgs, 'SELECT query, mean_exec_time, calls FROM pg_stat_statements ORDER BY mean_exec_time DESC LIMIT 10;'], { env: pgEnv });
  });
  report({
    name: 'diagnosis: "API slow" (5 steps) by Guardia, in parallel',
    reference: `kubectl ×3 + psql ×2 one after another: ${reference.toFixed(0)} ms`,
    figure: `${guardia.toFixed(0)} ms`,
    ratio: guardia / reference,
  });
  const sorted = [...walls].sort((a, b) => a.wall - b.wall);
  const mid = sorted[Math.floor(sorted.length / 2)]!;
  report({
    name: 'diagnosis: Guardia wall time vs its slowest single step (1.0 = fully parallel)',
    reference: `slowest step: ${mid.slowest.toFixed(0)} ms`,
    figure: `${mid.wall.toFixed(0)} ms`,
    ratio: mid.wall / Math.max(1, mid.slowest),
  });
  await engine.close();
} finally {
  await api.stop();
  await pg.stop();
}
