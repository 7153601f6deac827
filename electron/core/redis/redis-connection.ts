import { createClient } from 'redis';
import { GuardiaError } from '../../../shared/result.js';
import { parseInfo, type RedisPort } from './redis-port.js';

/** How to reach one configured Redis; the password comes from the keychain when connecting. */
export interface RedisConnectionOptions {
  name: string;
  url: string;
  password?: () => Promise<string>;
  timeoutMs?: number;
}

type Client = ReturnType<typeof createClient>;

/**
 * RedisPort over the `redis` v5 client: connects on first use, each command bounded by a timeout,
 * no reconnect storm (a failed connect is reported and retried on the next step), closed on quit.
 */
export class RedisConnection implements RedisPort {
  readonly name: string;
  readonly where: string;
  private client: Promise<Client> | null = null;

  constructor(private readonly opts: RedisConnectionOptions) {
    this.name = opts.name;
    const u = new URL(opts.url);
    this.where = `${u.hostname}:${u.port || '6379'}`;
  }

  private connect(): Promise<Client> {
    this.client ??= (async () => {
      const timeout = this.opts.timeoutMs ?? 5_000;
      const password = this.opts.password ? await this.opts.password() : undefined;
      const client = createClient({
        url: this.opts.url,
        password,
        socket: { connectTimeout: timeout, reconnectStrategy: false },
        disableOfflineQueue: true,
      });
      client.on('error', () => {});
      await client.connect();
      return client;
    })().catch((error: unknown) => {
      this.client = null;
      throw this.explain(error);
    });
    return this.client;
  }

  private explain(error: unknown): GuardiaError {
    if (error instanceof GuardiaError) return error;
    return new GuardiaError('redis.error', `Redis ${this.name} (${this.where}): ${(error as Error).message ?? String(error)}`);
  }

  private async run<T>(what: (c: Client) => Promise<T>, signal?: AbortSignal): Promise<T> {
    signal?.throwIfAborted();
    const client = await this.connect();
    const timeout = this.opts.timeoutMs ?? 5_000;
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        what(client),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new GuardiaError('redis.timeout', `Redis ${this.name} (${this.where}) did not answer within ${timeout} ms`)), timeout);
        }),
      ]);
    } catch (error) {
      if (!client.isReady) this.client = null;
      throw this.explain(error);
    } finally {
      clearTimeout(timer);
    }
  }

  ping(signal?: AbortSignal): Promise<string> {
    return this.run((c) => c.ping(), signal);
  }

  dbsize(signal?: AbortSignal): Promise<number> {
    return this.run((c) => c.dbSize(), signal);
  }

  async info(signal?: AbortSignal): Promise<Record<string, Record<string, string>>> {
    return parseInfo(await this.run((c) => c.info(), signal));
  }

  async close(): Promise<void> {
    const pending = this.client;
    this.client = null;
    if (!pending) return;
    try {
      const c = await pending;
      if (c.isOpen) await c.close();
    } catch {
      // never connected: nothing to close
    }
  }
}
