/** The Redis diagnostics of "Redis down" against a real Redis 7 (with AUTH, as production has). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiagnosisRun } from '../../shared/diagnosis.js';
import { RedisConnection } from '../../electron/core/redis/redis-connection.js';
import { RedisRunner } from '../../electron/core/redis/redis-runner.js';
import { redisCommand, startRedis, type RedisHandle } from '../helpers/services.js';
import { playbooksHarness } from '../unit/core/playbooks/playbooks-harness.js';

let redis: RedisHandle;
let harness: Awaited<ReturnType<typeof playbooksHarness>>;
const password = 'cache-secret-1';

beforeAll(async () => {
  redis = await startRedis({ password });
  for (let i = 0; i < 25; i++) await redisCommand(redis, ['SET', `cart:${i}`, String(i)]);
  for (let i = 0; i < 30; i++) await redisCommand(redis, ['GET', `cart:${i}`]); // 25 hits, 5 misses
  // The URL has no password; it comes from the keychain callback, as configured connections do.
  const conn = new RedisConnection({ name: 'tiendi-cache', url: `redis://127.0.0.1:${redis.port}`, password: async () => password, timeoutMs: 3000 });
  harness = await playbooksHarness({ runners: [new RedisRunner([conn])] });
});

afterAll(async () => {
  await harness?.stop();
  await redis?.stop();
});

describe('Redis playbook on a real server', () => {
  it('pings, counts keys and reads hit rate, memory, clients and ops/s', async () => {
    const run = await harness.invoke<DiagnosisRun>('playbooks.diagnose', { playbookId: 'redis-down' });
    const byId = Object.fromEntries(run.steps.map((s) => [s.stepId, s]));
    expect(byId['redis-ping']!.summary).toBe(`PONG from 127.0.0.1:${redis.port}`);
    expect(byId['redis-dbsize']!.summary).toBe(`25 keys in 127.0.0.1:${redis.port}`);
    const info = byId['redis-info']!;
    expect(info.status).toBe('ok');
    if (info.output.kind !== 'table') throw new Error('expected rows');
    const value = (metric: string) => info.output.kind === 'table' && info.output.rows.find((r) => r[0] === metric)?.[1];
    expect(value('hit rate')).toBe('83.3 % (25 hits, 5 misses)');
    expect(value('connected clients')).toMatch(/^\d+$/);
    expect(value('used memory')).toMatch(/M|K/);
    expect(value('ops/s')).toMatch(/^\d+$/);
  });

  it('reports a Redis that is down in its step, with where, without hiding the others', async () => {
    const dead = new RedisConnection({ name: 'gone', url: 'redis://127.0.0.1:1', timeoutMs: 1000 });
    const h = await playbooksHarness({ runners: [new RedisRunner([dead])] });
    const run = await h.invoke<DiagnosisRun>('playbooks.diagnose', { playbookId: 'redis-down' });
    expect(run.steps.map((s) => s.status)).toEqual(['error', 'error', 'error']);
    expect(run.steps[0]!.summary).toContain('Redis gone (127.0.0.1:1)');
    await h.stop();
  });
});
