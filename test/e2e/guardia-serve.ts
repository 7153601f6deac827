import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** A running `guardia serve` on the demo environment. */
export interface GuardiaServer {
  /** What the server printed: `http://127.0.0.1:PORT/#token=TOKEN` */
  url: string;
  /** The per-launch token. */
  token: string;
  /** `http://127.0.0.1:PORT` */
  baseUrl: string;
  /** Everything the server printed so far (stdout and stderr), for failure messages. */
  logs(): string;
  /** Ends the server (SIGTERM, then SIGKILL after 5 s) and removes its GUARDIA_HOME. */
  stop(): Promise<void>;
}

const firstLine = /^Guardia at (http:\/\/127\.0\.0\.1:\d+)\/#token=([^\s&]+)\s*$/;

function isAlive(pid: number): boolean {
  try {
    return !/^State:\s+[ZX]/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

/**
 * Starts `node bin/guardia.mjs serve --no-open --port 0 --demo-speed 20` with a fresh GUARDIA_HOME
 * and resolves once it prints `Guardia at http://127.0.0.1:PORT/#token=TOKEN` as its first line.
 */
export async function startGuardiaServe(opts: { args?: string[]; timeoutMs?: number; env?: Record<string, string> } = {}): Promise<GuardiaServer> {
  const home = mkdtempSync(join(tmpdir(), 'guardia-home-'));
  const child = spawn(
    process.execPath,
    ['bin/guardia.mjs', 'serve', '--no-open', '--port', '0', '--demo-speed', '20', ...(opts.args ?? [])],
    { cwd: root, env: { ...process.env, GUARDIA_HOME: home, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  const keep = (text: string) => {
    log = (log + text).slice(-20_000);
  };
  child.stderr.on('data', (chunk: Buffer) => keep(chunk.toString('utf8')));
  const lines = createInterface({ input: child.stdout });

  const stop = async () => {
    const pid = child.pid;
    if (pid !== undefined && child.exitCode === null && child.signalCode === null && isAlive(pid)) {
      child.kill('SIGTERM');
      const deadline = Date.now() + 5000;
      while (isAlive(pid) && child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      if (isAlive(pid) && child.exitCode === null) child.kill('SIGKILL');
    }
    lines.close();
    rmSync(home, { recursive: true, force: true });
  };

  const timeoutMs = opts.timeoutMs ?? 30_000;
  try {
    const line = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`guardia serve printed no URL within ${timeoutMs} ms`)), timeoutMs);
      let first = true;
      lines.on('line', (l) => {
        keep(`${l}\n`);
        if (first) {
          first = false;
          clearTimeout(timer);
          resolve(l);
        }
      });
      child.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`guardia serve exited (${signal ?? `code ${code}`}) before printing its URL`));
      });
    });
    const m = firstLine.exec(line);
    if (!m?.[1] || !m[2]) throw new Error(`guardia serve's first line is not "Guardia at http://127.0.0.1:PORT/#token=TOKEN": ${JSON.stringify(line)}`);
    return { url: line.slice('Guardia at '.length).trim(), token: m[2], baseUrl: m[1], logs: () => log, stop };
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message}\n--- guardia serve output ---\n${log}`);
  }
}
