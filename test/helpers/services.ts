/**
 * Real services for integration tests, each on 127.0.0.1, on a free port, in its own temp dir, as a
 * direct child of the test process (see shared/ENVIRONMENT.md). Every `start*` resolves once the
 * service answers and returns a handle whose `stop()` ends the process and removes the temp dir;
 * `stop()` is idempotent. Liveness is read from /proc/PID/status because zombies are reaped late here.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { accessSync, chmodSync, chownSync, constants, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';

/** What every started service has. */
export interface ServiceHandle {
  /** PID of the service process itself (setpriv keeps the PID for PostgreSQL). */
  pid: number;
  /** The service's temp dir; removed by stop(). */
  dir: string;
  /** Last lines the process printed, for error messages. */
  logs(): string;
  /** Ends the process (and waits for it), then removes the temp dir. Safe to call twice. */
  stop(): Promise<void>;
}

/** A started Prometheus. */
export interface PrometheusHandle extends ServiceHandle {
  port: number;
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** Asks Prometheus to re-read its config (it runs with --web.enable-lifecycle). */
  reload(configYaml?: string): Promise<void>;
}

/** A started Alertmanager. */
export interface AlertmanagerHandle extends ServiceHandle {
  port: number;
  url: string;
}

/** How to reach a PostgreSQL role over TCP. */
export interface PgConnection {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  /** `postgres://user:password@host:port/database` */
  url: string;
}

/** A started PostgreSQL with a superuser and a normal role. */
export interface PostgresHandle extends ServiceHandle {
  port: number;
  /** The superuser `postgres`. */
  superuser: PgConnection;
  /** A normal (non-superuser) role `guardia` in pg_monitor and pg_signal_backend, owner of database `guardia`. */
  user: PgConnection;
  /** Directory of the server's binaries (psql, pg_ctl, ...). */
  binDir: string;
}

/** A started Redis. */
export interface RedisHandle extends ServiceHandle {
  port: number;
  /** `redis://127.0.0.1:PORT` (with `:password@` when one was set). */
  url: string;
  password: string | undefined;
}

/** A running Secret Service (gnome-keyring on its own session bus). */
export interface KeyringHandle extends ServiceHandle {
  /** Give these to child processes that should use this keyring. */
  env: { DBUS_SESSION_BUS_ADDRESS: string; XDG_RUNTIME_DIR: string; XDG_DATA_HOME: string };
  /** The password the login keyring was unlocked with. */
  password: string;
  /** Locks the login collection over D-Bus (what a screen lock or `secret-tool lock` does). */
  lock(): Promise<void>;
  /** Unlocks it with the password, as a desktop login does (the daemon's control socket, no prompt). */
  unlock(): Promise<void>;
  /** Whether the login collection is locked now (its Secret Service `Locked` property). */
  isLocked(): Promise<boolean>;
}

/** A running X server. */
export interface XvfbHandle extends ServiceHandle {
  /** e.g. `:99` */
  display: string;
  env: { DISPLAY: string };
}

const host = '127.0.0.1';
const children = new Set<ChildProcess>();

process.once('exit', () => {
  for (const child of children) {
    if (child.pid !== undefined && isAlive(child.pid)) {
      try {
        process.kill(child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
});

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no port'))));
    });
  });
}

/** True while the process exists and is not a zombie (read from /proc/PID/status). */
export function isAlive(pid: number): boolean {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const state = /^State:\s+(\S)/m.exec(status)?.[1];
    return state !== undefined && state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function findBin(name: string): string {
  if (name.startsWith('/')) return name;
  const dirs = [...(process.env.PATH ?? '').split(':'), '/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];
  for (const dir of dirs) {
    if (!dir) continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // keep looking
    }
  }
  throw new Error(`${name} is not installed: run \`node scripts/system-deps.mjs --install\` (see shared/ENVIRONMENT.md)`);
}

/** PostgreSQL's server binaries: major 15 if present, else the newest installed. */
function postgresBinDir(): string {
  if (existsSync('/usr/lib/postgresql/15/bin/postgres')) return '/usr/lib/postgresql/15/bin';
  const majors = existsSync('/usr/lib/postgresql')
    ? readdirSync('/usr/lib/postgresql').map(Number).filter((n) => existsSync(`/usr/lib/postgresql/${n}/bin/postgres`))
    : [];
  majors.sort((a, b) => b - a);
  if (!majors.length) throw new Error('PostgreSQL is not installed: run `node scripts/system-deps.mjs --install`');
  return `/usr/lib/postgresql/${majors[0]}/bin`;
}

function makeTempDir(prefix: string, mode = 0o700): string {
  const dir = mkdtempSync(join(tmpdir(), `guardia-${prefix}-`));
  chmodSync(dir, mode);
  return dir;
}

interface Proc {
  child: ChildProcess;
  pid: number;
  logs(): string;
  /** Rejects when the process dies; used to fail waits fast. */
  exited: Promise<never>;
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<void>;
}

function startProcess(
  name: string,
  cmd: string,
  args: string[],
  opts: { env?: Record<string, string>; stdin?: string; cwd?: string; extraFds?: number } = {},
): Proc {
  const stdio: ('pipe' | 'ignore')[] = [opts.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'];
  for (let i = 0; i < (opts.extraFds ?? 0); i++) stdio.push('pipe');
  const child = spawn(findBin(cmd), args, {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    stdio,
  });
  if (child.pid === undefined) throw new Error(`${name}: could not start ${cmd}`);
  const pid = child.pid;
  children.add(child);
  let log = '';
  const append = (chunk: Buffer) => {
    log = (log + chunk.toString('utf8')).slice(-16_384);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  if (opts.stdin !== undefined) child.stdin?.end(opts.stdin);
  let exitInfo: string | null = null;
  const exited = new Promise<never>((_, reject) => {
    const fail = (why: string) => {
      exitInfo = why;
      children.delete(child);
      reject(new Error(`${name} exited (${why}) before it was ready:\n${log.slice(-4000)}`));
    };
    child.once('exit', (code, signal) => fail(signal ? `signal ${signal}` : `code ${code}`));
    child.once('error', (err) => fail(err.message));
  });
  exited.catch(() => undefined);

  const stop = async (signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 10_000) => {
    if (exitInfo === null && isAlive(pid)) {
      try {
        process.kill(pid, signal);
      } catch {
        // already gone
      }
      const deadline = Date.now() + timeoutMs;
      while (exitInfo === null && isAlive(pid) && Date.now() < deadline) await sleep(20);
      if (exitInfo === null && isAlive(pid)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
        while (exitInfo === null && isAlive(pid)) await sleep(20);
      }
    }
    children.delete(child);
    child.stdout?.destroy();
    child.stderr?.destroy();
  };
  return { child, pid, logs: () => log, exited, stop };
}

/** Polls `check` until it returns a value (not undefined), the process dies, or time runs out. */
async function waitUntil<T>(what: string, proc: Proc, check: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  const poll = async (): Promise<T> => {
    for (;;) {
      try {
        const value = await check();
        if (value !== undefined) return value;
      } catch (err) {
        lastError = err;
      }
      if (!isAlive(proc.pid)) {
        await Promise.race([proc.exited, sleep(500)]);
        throw new Error(`${what} died before it was ready:\n${proc.logs().slice(-4000)}`);
      }
      if (Date.now() > deadline) {
        const why = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
        throw new Error(`${what} was not ready after ${timeoutMs} ms${why}\n${proc.logs().slice(-4000)}`);
      }
      await sleep(50);
    }
  };
  return Promise.race([poll(), proc.exited]);
}

async function httpOk(url: string): Promise<true | undefined> {
  const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
  await res.arrayBuffer();
  return res.ok ? true : undefined;
}

function handleFor(proc: Proc, dir: string, stopSignal: NodeJS.Signals, before?: () => Promise<void>): ServiceHandle {
  let stopping: Promise<void> | null = null;
  return {
    pid: proc.pid,
    dir,
    logs: proc.logs,
    stop: () => {
      stopping ??= (async () => {
        await before?.();
        await proc.stop(stopSignal);
        rmSync(dir, { recursive: true, force: true });
      })();
      return stopping;
    },
  };
}

/** Runs a command to completion; resolves with stdout, rejects with stderr. */
export function run(cmd: string, args: string[], opts: { env?: Record<string, string>; input?: string; timeoutMs?: number } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      findBin(cmd),
      args,
      { env: { ...process.env, ...opts.env }, timeout: opts.timeoutMs ?? 15_000, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`${cmd} ${args.join(' ')} failed: ${err.message}\n${stderr}`));
        else resolve(stdout);
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
    else child.stdin?.end();
  });
}

type ConfigSource = string | ((ctx: { port: number; dir: string }) => string);

function hasScrapeTargets(configYaml: string): boolean {
  const config = parseYaml(configYaml) as { scrape_configs?: unknown[] } | null;
  return Array.isArray(config?.scrape_configs) && config.scrape_configs.length > 0;
}

/**
 * Starts Prometheus 2 with lifecycle and admin APIs and a 1 s alert resend delay. `configYaml` may be a
 * function of the chosen port and dir (for self-scrapes). `rulesFiles` maps file names to YAML written
 * beside the config, so `rule_files: [name]` finds them. With scrape targets it waits until
 * `count_over_time(up[10s]) >= 2` (the first scrape comes 5.5-6.5 s after start); without, until ready.
 */
export async function startPrometheus(opts: {
  configYaml: ConfigSource;
  rulesFiles?: Record<string, string>;
  extraArgs?: string[];
  timeoutMs?: number;
}): Promise<PrometheusHandle> {
  const port = await freePort();
  const dir = makeTempDir('prometheus');
  const configFile = join(dir, 'prometheus.yml');
  const configYaml = typeof opts.configYaml === 'function' ? opts.configYaml({ port, dir }) : opts.configYaml;
  writeFileSync(configFile, configYaml);
  for (const [name, yaml] of Object.entries(opts.rulesFiles ?? {})) writeFileSync(join(dir, name), yaml);
  const proc = startProcess('prometheus', 'prometheus', [
    `--config.file=${configFile}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=${host}:${port}`,
    '--web.enable-lifecycle',
    '--web.enable-admin-api',
    '--rules.alert.resend-delay=1s',
    ...(opts.extraArgs ?? []),
  ]);
  const url = `http://${host}:${port}`;
  const handle = handleFor(proc, dir, 'SIGTERM');
  try {
    await waitUntil('prometheus', proc, () => httpOk(`${url}/-/ready`), opts.timeoutMs ?? 20_000);
    if (hasScrapeTargets(configYaml)) {
      const query = encodeURIComponent('count_over_time(up[10s]) >= 2');
      await waitUntil(
        'prometheus (two scrapes)',
        proc,
        async () => {
          const res = await fetch(`${url}/api/v1/query?query=${query}`, { signal: AbortSignal.timeout(2000) });
          const body = (await res.json()) as { data?: { result?: unknown[] } };
          return body.data?.result?.length ? true : undefined;
        },
        opts.timeoutMs ?? 20_000,
      );
    }
  } catch (err) {
    await handle.stop();
    throw err;
  }
  return {
    ...handle,
    port,
    url,
    reload: async (newConfig?: string) => {
      if (newConfig !== undefined) writeFileSync(configFile, newConfig);
      const res = await fetch(`${url}/-/reload`, { method: 'POST' });
      if (!res.ok) throw new Error(`prometheus reload failed: ${res.status} ${await res.text()}`);
    },
  };
}

const defaultAlertmanagerConfig = `route:
  receiver: 'null'
  group_wait: 0s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: 'null'
`;

/** Starts Alertmanager 0.25 with clustering off; the default config routes everything to a null receiver. */
export async function startAlertmanager(opts: { configYaml?: ConfigSource; timeoutMs?: number } = {}): Promise<AlertmanagerHandle> {
  const port = await freePort();
  const dir = makeTempDir('alertmanager');
  const configFile = join(dir, 'alertmanager.yml');
  const src = opts.configYaml ?? defaultAlertmanagerConfig;
  writeFileSync(configFile, typeof src === 'function' ? src({ port, dir }) : src);
  const proc = startProcess('alertmanager', 'prometheus-alertmanager', [
    `--config.file=${configFile}`,
    `--storage.path=${join(dir, 'data')}`,
    `--web.listen-address=${host}:${port}`,
    '--cluster.listen-address=',
  ]);
  const url = `http://${host}:${port}`;
  const handle = handleFor(proc, dir, 'SIGTERM');
  try {
    await waitUntil('alertmanager', proc, () => httpOk(`${url}/-/ready`), opts.timeoutMs ?? 15_000);
  } catch (err) {
    await handle.stop();
    throw err;
  }
  return { ...handle, port, url };
}

function postgresIds(): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined) throw new Error('there is no postgres user (the postgresql package creates it)');
  return { uid: Number(uid), gid: Number(gid) };
}

function pgConnection(port: number, user: string, password: string, database: string): PgConnection {
  return {
    host,
    port,
    user,
    password,
    database,
    url: `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${host}:${port}/${database}`,
  };
}

/** Runs SQL with psql over TCP as the given role; resolves with unaligned, tuples-only output. */
export function psql(conn: PgConnection, sql: string, opts: { database?: string } = {}): Promise<string> {
  const bin = existsSync(join(postgresBinDir(), 'psql')) ? join(postgresBinDir(), 'psql') : 'psql';
  return run(
    bin,
    ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-h', conn.host, '-p', String(conn.port), '-U', conn.user, '-d', opts.database ?? conn.database, '-c', sql],
    { env: { PGPASSWORD: conn.password, PGCONNECT_TIMEOUT: '5' } },
  );
}

/**
 * Starts PostgreSQL (15 on Debian 12) with pg_stat_statements loaded and created, fsync off, password
 * (scram) auth on 127.0.0.1. As root, initdb and postgres run as the postgres user through setpriv
 * (which keeps the PID). Stopped with SIGINT (fast shutdown; SIGTERM would wait for clients).
 */
export async function startPostgres(opts: { timeoutMs?: number } = {}): Promise<PostgresHandle> {
  const binDir = postgresBinDir();
  const port = await freePort();
  const dir = makeTempDir('postgres', 0o755);
  const dataDir = join(dir, 'data');
  const runDir = join(dir, 'run');
  const pwFile = join(dir, 'pw');
  const superPassword = `super-${Math.random().toString(36).slice(2)}`;
  const userPassword = `user-${Math.random().toString(36).slice(2)}`;
  mkdirSync(dataDir, { mode: 0o700 });
  mkdirSync(runDir, { mode: 0o700 });
  writeFileSync(pwFile, `${superPassword}\n`, { mode: 0o600 });
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (asRoot) {
    const { uid, gid } = postgresIds();
    for (const p of [dataDir, runDir, pwFile]) chownSync(p, uid, gid);
  }
  const asPostgres = (bin: string, args: string[]): [string, string[]] =>
    asRoot ? ['setpriv', ['--reuid=postgres', '--regid=postgres', '--init-groups', '--', bin, ...args]] : [bin, args];

  const [initCmd, initArgs] = asPostgres(join(binDir, 'initdb'), [
    '-D', dataDir, '-U', 'postgres', `--pwfile=${pwFile}`, '--auth-local=trust', '--auth-host=scram-sha-256',
    '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions',
  ]);
  try {
    await run(initCmd, initArgs, { timeoutMs: 60_000 });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  rmSync(pwFile, { force: true });

  const [cmd, args] = asPostgres(join(binDir, 'postgres'), [
    '-D', dataDir,
    '-p', String(port),
    '-c', `listen_addresses=${host}`,
    '-c', `unix_socket_directories=${runDir}`,
    '-c', 'shared_preload_libraries=pg_stat_statements',
    '-c', 'fsync=off',
    '-c', 'synchronous_commit=off',
    '-c', 'full_page_writes=off',
  ]);
  const proc = startProcess('postgres', cmd, args);
  const handle = handleFor(proc, dir, 'SIGINT');
  const superuser = pgConnection(port, 'postgres', superPassword, 'postgres');
  const user = pgConnection(port, 'guardia', userPassword, 'guardia');
  try {
    await waitUntil('postgres', proc, async () => ((await psql(superuser, 'SELECT 1')).trim() === '1' ? true : undefined), opts.timeoutMs ?? 30_000);
    await psql(
      superuser,
      `CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
       CREATE ROLE guardia LOGIN PASSWORD '${userPassword}' IN ROLE pg_monitor, pg_signal_backend;`,
    );
    await psql(superuser, 'CREATE DATABASE guardia OWNER guardia');
    await psql(superuser, 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements', { database: 'guardia' });
  } catch (err) {
    await handle.stop();
    throw err;
  }
  return { ...handle, port, superuser, user, binDir };
}

/** A decoded RESP reply: simple/bulk string, integer, nil (null) or array. */
export type RedisReply = string | number | null | RedisReply[];

/** Decodes one RESP value at `at`; undefined while the buffer is incomplete. */
function parseResp(buf: Buffer, at: number): { value: RedisReply | Error; end: number } | undefined {
  const eol = buf.indexOf('\r\n', at);
  if (eol < 0) return undefined;
  const type = String.fromCharCode(buf[at] ?? 0);
  const line = buf.toString('utf8', at + 1, eol);
  const next = eol + 2;
  switch (type) {
    case '+':
      return { value: line, end: next };
    case '-':
      return { value: new Error(line), end: next };
    case ':':
      return { value: Number(line), end: next };
    case '$': {
      const len = Number(line);
      if (len < 0) return { value: null, end: next };
      if (buf.length < next + len + 2) return undefined;
      return { value: buf.toString('utf8', next, next + len), end: next + len + 2 };
    }
    case '*': {
      const count = Number(line);
      if (count < 0) return { value: null, end: next };
      const items: RedisReply[] = [];
      let end = next;
      for (let i = 0; i < count; i++) {
        const item = parseResp(buf, end);
        if (!item) return undefined;
        items.push(item.value instanceof Error ? item.value.message : item.value);
        end = item.end;
      }
      return { value: items, end };
    }
    default:
      return { value: new Error(`unexpected RESP type ${JSON.stringify(type)}`), end: buf.length };
  }
}

/**
 * Sends one command to Redis over a raw TCP socket (RESP), authenticating first when `password` is
 * set, and resolves with the decoded reply; an error reply rejects.
 */
export function redisCommand(target: { port: number; password?: string | undefined }, args: string[]): Promise<RedisReply> {
  const encode = (parts: string[]) => `*${parts.length}\r\n${parts.map((p) => `$${Buffer.byteLength(p)}\r\n${p}\r\n`).join('')}`;
  const commands = target.password ? [['AUTH', target.password], args] : [args];
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host, port: target.port });
    let buf = Buffer.alloc(0);
    socket.setTimeout(3000, () => socket.destroy(new Error('redis: no reply within 3 s')));
    socket.once('error', reject);
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      const replies: (RedisReply | Error)[] = [];
      let at = 0;
      while (replies.length < commands.length) {
        const parsed = parseResp(buf, at);
        if (!parsed) return;
        replies.push(parsed.value);
        at = parsed.end;
      }
      socket.end();
      const failed = replies.find((r) => r instanceof Error);
      if (failed instanceof Error) reject(new Error(`redis ${commands[replies.indexOf(failed)]?.[0]}: ${failed.message}`));
      else resolve(replies[replies.length - 1] as RedisReply);
    });
    socket.once('connect', () => socket.write(commands.map(encode).join('')));
  });
}

/** Starts Redis 7 without persistence; `password` sets requirepass. Ready when PING answers PONG. */
export async function startRedis(opts: { password?: string; timeoutMs?: number } = {}): Promise<RedisHandle> {
  const port = await freePort();
  const dir = makeTempDir('redis');
  const args = ['--bind', host, '--port', String(port), '--save', '', '--appendonly', 'no', '--dir', dir];
  if (opts.password) args.push('--requirepass', opts.password);
  const proc = startProcess('redis', 'redis-server', args);
  const handle = handleFor(proc, dir, 'SIGTERM');
  try {
    await waitUntil(
      'redis',
      proc,
      async () => ((await redisCommand({ port, password: opts.password }, ['PING'])) === 'PONG' ? true : undefined),
      opts.timeoutMs ?? 10_000,
    );
  } catch (err) {
    await handle.stop();
    throw err;
  }
  const auth = opts.password ? `:${encodeURIComponent(opts.password)}@` : '';
  return { ...handle, port, url: `redis://${auth}${host}:${port}`, password: opts.password };
}

/**
 * Starts a private D-Bus session bus and gnome-keyring-daemon (secrets component) unlocked with a
 * password, so Secret Service clients (secret-tool, @napi-rs/keyring) work headless. Pass `env` to
 * child processes; it points at this bus and at temp XDG dirs.
 */
export async function startKeyring(opts: { password?: string; timeoutMs?: number } = {}): Promise<KeyringHandle> {
  const dir = makeTempDir('keyring');
  const runtimeDir = join(dir, 'runtime');
  const dataDir = join(dir, 'data');
  mkdirSync(runtimeDir, { mode: 0o700 });
  mkdirSync(dataDir, { mode: 0o700 });
  const busAddress = `unix:path=${join(runtimeDir, 'bus')}`;
  const bus = startProcess('dbus-daemon', 'dbus-daemon', ['--session', '--nofork', '--nopidfile', `--address=${busAddress}`, '--print-address=1']);
  const env = { DBUS_SESSION_BUS_ADDRESS: busAddress, XDG_RUNTIME_DIR: runtimeDir, XDG_DATA_HOME: dataDir };
  const timeoutMs = opts.timeoutMs ?? 15_000;
  let keyring: Proc | undefined;
  const stopAll = async () => {
    await keyring?.stop('SIGTERM');
    await bus.stop('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };
  const nameHasOwner = async (name: string) => {
    const out = await run('dbus-send', ['--session', '--print-reply', '--dest=org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus.NameHasOwner', `string:${name}`], {
      env,
      timeoutMs: 3000,
    });
    return /boolean true/.test(out) ? true : undefined;
  };
  const password = opts.password ?? 'guardia-test-keyring';
  try {
    await waitUntil('dbus-daemon', bus, () => nameHasOwner('org.freedesktop.DBus'), timeoutMs);
    keyring = startProcess('gnome-keyring-daemon', 'gnome-keyring-daemon', ['--foreground', '--unlock', '--components=secrets'], {
      env: { ...env, HOME: dir },
      stdin: password,
    });
    await waitUntil('gnome-keyring-daemon', keyring, () => nameHasOwner('org.freedesktop.secrets'), timeoutMs);
  } catch (err) {
    await stopAll();
    throw err;
  }
  let stopping: Promise<void> | null = null;
  const k = keyring;
  const isLocked = async () =>
    /true/.test(
      await run(
        'gdbus',
        ['call', '--session', '--dest', 'org.freedesktop.secrets', '--object-path', '/org/freedesktop/secrets/collection/login', '--method', 'org.freedesktop.DBus.Properties.Get', 'org.freedesktop.Secret.Collection', 'Locked'],
        { env, timeoutMs: 5000 },
      ),
    );
  return {
    pid: k.pid,
    dir,
    logs: () => `${bus.logs()}\n${k.logs()}`,
    stop: () => (stopping ??= stopAll()),
    env,
    password,
    isLocked,
    async lock() {
      // secret-tool exits non-zero here even when the lock took effect: the Locked property is what counts.
      await run('secret-tool', ['lock', '--collection=login'], { env, timeoutMs: 5000 }).catch(() => undefined);
      if (!(await isLocked())) throw new Error('the login keyring did not lock');
    },
    async unlock() {
      const result = await controlUnlock(join(runtimeDir, 'keyring', 'control'), password);
      if (result !== 0) throw new Error(`gnome-keyring refused the unlock (control result ${result})`);
      if (await isLocked()) throw new Error('the login keyring is still locked after the unlock');
    },
  };
}

/**
 * gnome-keyring-daemon's control socket protocol (what `gnome-keyring-daemon --unlock` and PAM use):
 * a credentials byte, then a packet [u32 length][u32 op = 1 UNLOCK][u32 n][n bytes of password], all
 * big-endian; the answer is [u32 8][u32 result], 0 meaning unlocked.
 */
function controlUnlock(socketPath: string, password: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const secret = Buffer.from(password, 'utf8');
    const packet = Buffer.alloc(1 + 12 + secret.length);
    packet.writeUInt32BE(12 + secret.length, 1);
    packet.writeUInt32BE(1, 5);
    packet.writeUInt32BE(secret.length, 9);
    secret.copy(packet, 13);
    let answer = Buffer.alloc(0);
    const socket = createConnection(socketPath, () => socket.write(packet));
    socket.setTimeout(5000, () => socket.destroy(new Error('gnome-keyring control socket did not answer')));
    socket.on('data', (chunk) => {
      answer = Buffer.concat([answer, chunk]);
      if (answer.length >= 8) {
        socket.end();
        resolve(answer.readUInt32BE(4));
      }
    });
    socket.on('error', reject);
  });
}

/** Starts Xvfb on a display it picks itself (-displayfd), 1280x800x24, no TCP. */
export async function startXvfb(opts: { timeoutMs?: number } = {}): Promise<XvfbHandle> {
  const dir = makeTempDir('xvfb');
  const proc = startProcess('Xvfb', 'Xvfb', ['-displayfd', '3', '-screen', '0', '1280x800x24', '-nolisten', 'tcp'], { extraFds: 1, cwd: dir });
  const fd3 = proc.child.stdio[3];
  let displayText = '';
  fd3?.on('data', (chunk: Buffer) => {
    displayText += chunk.toString('utf8');
  });
  const handle = handleFor(proc, dir, 'SIGTERM');
  try {
    const display = await waitUntil(
      'Xvfb',
      proc,
      async () => {
        const m = /^(\d+)\n/.exec(displayText);
        return m ? `:${m[1]}` : undefined;
      },
      opts.timeoutMs ?? 10_000,
    );
    return { ...handle, display, env: { DISPLAY: display } };
  } catch (err) {
    await handle.stop();
    throw err;
  }
}
