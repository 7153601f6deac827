import { describe, expect, it } from 'vitest';
import { parseInfo } from '../../../../electron/core/redis/redis-port.js';
import { infoRows } from '../../../../electron/core/redis/redis-runner.js';

const info = [
  '# Server',
  'redis_version:7.0.15',
  'uptime_in_seconds:3600',
  '',
  '# Clients',
  'connected_clients:42',
  '# Memory',
  'used_memory_human:1.50M',
  'maxmemory:0',
  '# Stats',
  'keyspace_hits:900',
  'keyspace_misses:100',
  'instantaneous_ops_per_sec:1234',
  'evicted_keys:0',
].join('\r\n');

describe('Redis INFO', () => {
  it('parses sections and turns them into the rows an engineer reads', () => {
    const parsed = parseInfo(info);
    expect(parsed.clients).toEqual({ connected_clients: '42' });
    const rows = Object.fromEntries(infoRows(parsed).map((r) => [r.metric, r.value]));
    expect(rows).toMatchObject({
      'hit rate': '90.0 % (900 hits, 100 misses)',
      'used memory': '1.50M (no maxmemory)',
      'connected clients': '42',
      'ops/s': '1234',
      version: '7.0.15',
    });
  });

  it('says there were no lookups rather than dividing by zero', () => {
    expect(infoRows(parseInfo('# Stats\nkeyspace_hits:0\nkeyspace_misses:0'))[0]).toEqual({ metric: 'hit rate', value: 'no lookups yet' });
  });
});
