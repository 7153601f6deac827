import { GuardiaError } from '../../../shared/result.js';
import { reading, table, UnsupportedStepError, type PreviewParts, type StepParams, type StepReading, type StepRunner } from '../playbooks/step-runner.js';
import { say } from '../../../shared/said.js';
import type { RedisPort } from './redis-port.js';

/** Hit rate, memory, clients and ops/s from an INFO reply, as rows a person reads at a glance. */
export function infoRows(info: Record<string, Record<string, string>>): Array<{ metric: string; value: string }> {
  const stats = info.stats ?? {};
  const hits = Number(stats.keyspace_hits ?? 0);
  const misses = Number(stats.keyspace_misses ?? 0);
  const hitRate = hits + misses > 0 ? `${((hits / (hits + misses)) * 100).toFixed(1)} % (${hits} hits, ${misses} misses)` : 'no lookups yet';
  const memory = info.memory ?? {};
  const max = Number(memory.maxmemory ?? 0);
  return [
    { metric: 'hit rate', value: hitRate },
    { metric: 'used memory', value: `${memory.used_memory_human ?? '?'}${max > 0 ? ` of ${memory.maxmemory_human ?? max}` : ' (no maxmemory)'}` },
    { metric: 'connected clients', value: info.clients?.connected_clients ?? '?' },
    { metric: 'ops/s', value: stats.instantaneous_ops_per_sec ?? '?' },
    { metric: 'evicted keys', value: stats.evicted_keys ?? '?' },
    { metric: 'uptime', value: `${info.server?.uptime_in_seconds ?? '?'} s` },
    { metric: 'version', value: info.server?.redis_version ?? '?' },
  ];
}

/** The `redis` system of playbooks: read-only diagnostics (ping, DBSIZE, INFO). */
export class RedisRunner implements StepRunner {
  readonly system = 'redis' as const;

  constructor(private readonly conns: RedisPort[]) {}

  private conn(params: StepParams): RedisPort {
    const wanted = params.connection;
    const c = wanted === undefined ? this.conns[0] : this.conns.find((x) => x.name === String(wanted));
    if (!c) throw new GuardiaError('playbooks.no-connection', wanted === undefined ? 'No Redis connection is configured for this environment' : `No Redis connection named "${String(wanted)}"`);
    return c;
  }

  unavailable(operation: string): string | null {
    if (this.conns.length === 0) return 'Needs a redis connection, which this environment does not have';
    if (!['ping', 'dbsize', 'info'].includes(operation)) return `Redis operation "${operation}" is not supported by this connector`;
    return null;
  }

  async read(operation: string, params: StepParams, signal: AbortSignal): Promise<StepReading> {
    const c = this.conn(params);
    switch (operation) {
      case 'ping': {
        const started = Date.now();
        const reply = await c.ping(signal);
        return reading(table(['reply', 'ms'], [{ reply, ms: Date.now() - started }]), say('diag.redisPing', { reply, where: c.where }));
      }
      case 'dbsize': {
        const keys = await c.dbsize(signal);
        return reading(table(['keys'], [{ keys }]), say('diag.redisKeys', { count: keys, where: c.where }));
      }
      case 'info': {
        const rows = infoRows(await c.info(signal));
        return { output: table(['metric', 'value'], rows), summary: rows.slice(0, 4).map((r) => `${r.metric} ${r.value}`).join('; ') };
      }
      default:
        throw new UnsupportedStepError(`Redis operation "${operation}"`);
    }
  }

  async preview(operation: string): Promise<PreviewParts> {
    throw new UnsupportedStepError(`Redis action "${operation}"`);
  }

  async write(operation: string): Promise<string> {
    throw new UnsupportedStepError(`Redis action "${operation}"`);
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.conns.map((c) => c.close()));
  }
}
