import type { ConnectionsConfig } from '../../../shared/config.js';
import type { DemoEnvironment } from '../demo/index.js';
import type { SecretStore } from '../ports.js';
import { PgDatabase } from '../postgres/pg-database.js';
import { PostgresRunner } from '../postgres/postgres-runner.js';
import { RedisConnection } from '../redis/redis-connection.js';
import { RedisRunner } from '../redis/redis-runner.js';
import { HttpRunner, TlsRunner } from './builtin-runners.js';
import type { StepRunner } from './step-runner.js';

/** PostgreSQL and Redis runners of a configured environment; passwords are read from the keychain when connecting. */
export function runnersFromConfig(c: ConnectionsConfig, secrets: SecretStore): StepRunner[] {
  const dbs = (c.postgres ?? []).map((p) => {
    const secret = p.secret;
    return new PgDatabase({
      name: p.name,
      host: p.host,
      port: p.port,
      database: p.database,
      user: p.user,
      sslmode: p.sslmode,
      password: secret ? () => secrets.get(secret) : undefined,
    });
  });
  const caches = (c.redis ?? []).map((r) => {
    const secret = r.secret;
    return new RedisConnection({ name: r.name, url: r.url, password: secret ? () => secrets.get(secret) : undefined });
  });
  return [new PostgresRunner(dbs), new RedisRunner(caches)];
}

/** The demo's stand-ins, so every playbook runs against the simulation with nothing configured. */
export function demoRunners(demo: Pick<DemoEnvironment, 'database' | 'cache' | 'certificate' | 'statusPage'>): StepRunner[] {
  return [
    new PostgresRunner([demo.database]),
    new RedisRunner([demo.cache]),
    new TlsRunner((host, port) => demo.certificate(host, port)),
    new HttpRunner(() => demo.statusPage()),
  ];
}
