import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  isAlive,
  psql,
  redisCommand,
  run,
  startAlertmanager,
  startKeyring,
  startPostgres,
  startPrometheus,
  startRedis,
  type AlertmanagerHandle,
  type KeyringHandle,
  type PostgresHandle,
  type PrometheusHandle,
  type RedisHandle,
  type ServiceHandle,
} from '../helpers/services.js';

const execFileAsync = promisify(execFile);

let prometheus: PrometheusHandle;
let alertmanager: AlertmanagerHandle;
let postgres: PostgresHandle;
let redis: RedisHandle;
let keyring: KeyringHandle;
const timings: Record<string, number> = {};

async function timed<T>(name: string, start: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const handle = await start();
  timings[name] = Math.round(performance.now() - t0);
  return handle;
}

const selfScrape = ({ port }: { port: number }) => `global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: self
    static_configs:
      - targets: ['127.0.0.1:${port}']
`;

describe('integration harness: real services on 127.0.0.1', () => {
  beforeAll(async () => {
    // All at once: Prometheus' first scrape (~6 s) dominates, the rest fit inside it.
    const started = await Promise.allSettled([
      timed('prometheus', () => startPrometheus({ configYaml: selfScrape })),
      timed('alertmanager', () => startAlertmanager()),
      timed('postgres', () => startPostgres()),
      timed('redis', () => startRedis({ password: 'redis-test-pw' })),
      timed('keyring', () => startKeyring()),
    ]);
    const value = <T>(r: PromiseSettledResult<T>): T | undefined => (r.status === 'fulfilled' ? r.value : undefined);
    prometheus = value(started[0]) as PrometheusHandle;
    alertmanager = value(started[1]) as AlertmanagerHandle;
    postgres = value(started[2]) as PostgresHandle;
    redis = value(started[3]) as RedisHandle;
    keyring = value(started[4]) as KeyringHandle;
    console.log(`service startup (ms, in parallel): ${JSON.stringify(timings)}`);
    const failed = started.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed.length) throw new Error(failed.map((r) => String(r.reason)).join('\n\n'));
  });

  afterAll(async () => {
    await Promise.all([prometheus, alertmanager, postgres, redis, keyring].map((s) => s?.stop()));
  });

  it('Prometheus answers a query of `up` with its own scrape target up', async () => {
    const res = await fetch(`${prometheus.url}/api/v1/query?query=up`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
    expect(body.status).toBe('success');
    expect(body.data.result).toHaveLength(1);
    expect(body.data.result[0]?.metric.job).toBe('self');
    expect(body.data.result[0]?.value[1]).toBe('1');
  });

  it('Alertmanager accepts an alert on POST /api/v2/alerts and lists it on GET', async () => {
    const alertname = `HarnessProbe${Date.now()}`;
    const post = await fetch(`${alertmanager.url}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ labels: { alertname, severity: 'P3' }, annotations: { summary: 'harness probe' } }]),
    });
    expect(post.status).toBe(200);
    const res = await fetch(`${alertmanager.url}/api/v2/alerts?filter=${encodeURIComponent(`alertname="${alertname}"`)}`);
    const alerts = (await res.json()) as { labels: Record<string, string>; status: { state: string } }[];
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.labels.severity).toBe('P3');
    expect(alerts[0]?.status.state).toBe('active');
  });

  it('PostgreSQL runs SELECT 1 for the superuser and the normal role, with pg_stat_statements', async () => {
    expect((await psql(postgres.superuser, 'SELECT 1')).trim()).toBe('1');
    const who = (await psql(postgres.user, 'SELECT current_user, usesuper FROM pg_user WHERE usename = current_user')).trim();
    expect(who).toBe('guardia|f');
    const calls = (await psql(postgres.user, 'SELECT count(*) > 0 FROM pg_stat_statements')).trim();
    expect(calls).toBe('t');
    await expect(psql({ ...postgres.user, password: 'wrong' }, 'SELECT 1')).rejects.toThrow(/password authentication failed/);
  });

  it('Redis answers PING with PONG over raw TCP and refuses a wrong password', async () => {
    expect(await redisCommand(redis, ['PING'])).toBe('PONG');
    expect(await redisCommand(redis, ['SET', 'guardia:probe', 'ok'])).toBe('OK');
    expect(await redisCommand(redis, ['GET', 'guardia:probe'])).toBe('ok');
    await expect(redisCommand({ port: redis.port, password: 'wrong' }, ['PING'])).rejects.toThrow(/WRONGPASS|invalid/i);
  });

  it('the keyring stores and looks up a secret with secret-tool inside its session', async () => {
    const attrs = ['service', 'guardia-test', 'account', `probe-${Date.now()}`];
    await run('secret-tool', ['store', '--label=guardia probe', ...attrs], { env: keyring.env, input: 's3cr3t-value' });
    const found = await run('secret-tool', ['lookup', ...attrs], { env: keyring.env });
    expect(found).toBe('s3cr3t-value');
    // Outside the session there is no such secret (the test is not reading some other keyring).
    await expect(
      execFileAsync('secret-tool', ['lookup', ...attrs], { env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent' }, timeout: 5000 }),
    ).rejects.toThrow();
  });

  it('stop() ends every service and removes its temp dir', async () => {
    const all: ServiceHandle[] = [prometheus, alertmanager, postgres, redis, keyring];
    await Promise.all(all.map((s) => s.stop()));
    for (const s of all) {
      expect(isAlive(s.pid), `pid ${s.pid} still alive`).toBe(false);
      expect(existsSync(s.dir), `${s.dir} still exists`).toBe(false);
    }
    await expect(fetch(`${prometheus.url}/-/ready`)).rejects.toThrow();
    await expect(redisCommand(redis, ['PING'])).rejects.toThrow();
  });
});
