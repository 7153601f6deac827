/**
 * Exec credential plugins (kubelogin, az, gke-gcloud-auth-plugin, aws) run by Guardia itself rather
 * than by client-node, for three reasons: a GUI-launched app has a minimal PATH, so plugins are found
 * with the user's login-shell PATH; a kubeconfig can name any program, so only commands the user
 * allowed once (by absolute path, in $GUARDIA_HOME/exec-allowlist.json) ever run; and a plugin that
 * hangs or fails must say which context and command, within a timeout. The protocol is the
 * client.authentication.k8s.io ExecCredential one (KUBERNETES_EXEC_INFO in, ExecCredential JSON out).
 */
import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { GuardiaError } from '../../../shared/result.js';
import { guardiaHome } from '../paths.js';

/** The exec stanza of a kubeconfig user (client-node's ExecAuth shape). */
export interface ExecStanza {
  command: string;
  args?: string[];
  env?: Array<{ name: string; value: string }> | null;
  apiVersion?: string;
  provideClusterInfo?: boolean;
  interactiveMode?: string;
  installHint?: string;
}

/** The file holding the commands the user allowed. */
export function execAllowlistPath(home: string): string {
  return join(home, 'exec-allowlist.json');
}

/** One allowed plugin. */
export interface AllowedCommand {
  /** Absolute path, as resolved when the user allowed it. */
  path: string;
  /** The name the user typed (e.g. "kubelogin"). */
  command: string;
  addedAt: string;
}

interface AllowlistFile {
  version: 1;
  commands: AllowedCommand[];
}

/**
 * The allowlist of exec plugin commands. Read on each check (another Guardia process, such as the
 * CLI, may have added a command since); written atomically with mode 0600.
 */
export class ExecAllowlist {
  constructor(readonly file: string) {}

  async list(): Promise<AllowedCommand[]> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new GuardiaError('kubernetes.exec-allowlist', `Cannot read ${this.file}: ${(error as Error).message}`);
    }
    try {
      const parsed = JSON.parse(text) as Partial<AllowlistFile>;
      return Array.isArray(parsed.commands) ? parsed.commands.filter((c) => typeof c?.path === 'string') : [];
    } catch (error) {
      throw new GuardiaError('kubernetes.exec-allowlist', `${this.file} is not valid JSON (${(error as Error).message}); fix or delete it`);
    }
  }

  async has(path: string): Promise<boolean> {
    return (await this.list()).some((c) => c.path === path);
  }

  /** Adds an absolute path (idempotent); returns the entry. */
  async add(path: string, command: string, now = new Date()): Promise<AllowedCommand> {
    if (!isAbsolute(path)) throw new GuardiaError('kubernetes.exec-allowlist', `Only absolute paths are allowed, got "${path}"`);
    const commands = await this.list();
    const existing = commands.find((c) => c.path === path);
    if (existing) return existing;
    const entry = { path, command, addedAt: now.toISOString() };
    await mkdir(dirname(this.file), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.${process.pid}.tmp`;
    await writeFile(tmp, `${JSON.stringify({ version: 1, commands: [...commands, entry] } satisfies AllowlistFile, null, 2)}\n`, { mode: 0o600 });
    await rename(tmp, this.file);
    return entry;
  }
}

const marker = '__GUARDIA_PATH__';
let cachedLoginPath: Promise<string> | null = null;

/**
 * The PATH of the user's login shell (`$SHELL -ilc`), resolved once per process with a timeout.
 * Interactive shells may print banners, so the value is fenced by markers. Falls back to this
 * process's PATH (Windows, no $SHELL, a shell that fails or hangs).
 */
export function loginShellPath(opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number; fresh?: boolean } = {}): Promise<string> {
  const env = opts.env ?? process.env;
  if (!opts.fresh && cachedLoginPath) return cachedLoginPath;
  const fallback = env.PATH ?? '';
  const shell = env.SHELL;
  const run =
    process.platform === 'win32' || !shell || !isAbsolute(shell)
      ? Promise.resolve(fallback)
      : new Promise<string>((done) => {
          execFile(
            shell,
            ['-ilc', `printf '%s%s%s' '${marker}' "$PATH" '${marker}'`],
            { env, timeout: opts.timeoutMs ?? 5000, maxBuffer: 1 << 20, windowsHide: true },
            (error, stdout) => {
              const m = new RegExp(`${marker}(.*)${marker}`, 's').exec(String(stdout ?? ''));
              done(!error && m && m[1] ? m[1] : fallback);
            },
          );
        });
  if (!opts.fresh) cachedLoginPath = run;
  return run;
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    if (!(await stat(file)).isFile()) return false;
    await access(file, process.platform === 'win32' ? constants.F_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Where a plugin command lives: a command with a path separator is taken relative to the
 * kubeconfig's folder (as client-go does); a bare name is searched in `pathEnv`. Null when not found.
 */
export async function resolveCommand(command: string, pathEnv: string, baseDir?: string): Promise<string | null> {
  if (command.includes('/') || command.includes('\\')) {
    const file = isAbsolute(command) ? command : resolve(baseDir ?? process.cwd(), command);
    return (await isExecutable(file)) ? file : null;
  }
  const exts = process.platform === 'win32' ? ['', ...(process.env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';')] : [''];
  for (const dir of pathEnv.split(delimiter)) {
    if (!dir || !isAbsolute(dir)) continue;
    for (const ext of exts) {
      const file = join(dir, command + ext);
      if (await isExecutable(file)) return file;
    }
  }
  return null;
}

/** How Guardia runs exec plugins: the allowlist, the PATH to find them with, and a timeout. */
export interface ExecPolicy {
  allowlist: ExecAllowlist;
  /** PATH to search and to give the plugin (default: the login shell's). */
  loginPath: () => Promise<string>;
  /** Per-run timeout (default 60 s: a plugin may refresh a token over the network). */
  timeoutMs?: number;
  /** Base environment of the plugin (default process.env). */
  env?: NodeJS.ProcessEnv;
}

/** The policy for this user: $GUARDIA_HOME's allowlist and the login-shell PATH. */
export function defaultExecPolicy(env: NodeJS.ProcessEnv = process.env): ExecPolicy {
  return { allowlist: new ExecAllowlist(execAllowlistPath(guardiaHome(env))), loginPath: () => loginShellPath({ env }), env };
}

/**
 * Allows a plugin command once: resolves it with the login-shell PATH (or takes an absolute path)
 * and records the absolute path. What `guardia kube allow-exec` and `kubernetes.allowExec` do.
 */
export async function allowExecCommand(command: string, policy: ExecPolicy): Promise<AllowedCommand> {
  const trimmed = command.trim();
  if (!trimmed) throw new GuardiaError('kubernetes.exec-allowlist', 'Name the plugin command to allow, e.g. kubelogin');
  const path = await resolveCommand(trimmed, await policy.loginPath());
  if (!path) {
    throw new GuardiaError(
      'kubernetes.exec-not-found',
      `Cannot find the exec plugin "${trimmed}" on your login shell's PATH${isAbsolute(trimmed) ? '' : ' (give its absolute path instead)'}`,
    );
  }
  return policy.allowlist.add(path, trimmed);
}

/** The ExecCredential a plugin prints (status part). */
interface ExecCredential {
  apiVersion?: string;
  kind?: string;
  status?: { token?: string; clientCertificateData?: string; clientKeyData?: string; expirationTimestamp?: string };
}

/** Where the plugin's credential is for (error messages, KUBERNETES_EXEC_INFO's cluster). */
export interface ExecTarget {
  context: string;
  server: string;
  certificateAuthorityData?: string;
  insecureSkipTlsVerify?: boolean;
  /** Folder of the kubeconfig, for relative command paths. */
  kubeconfigDir?: string;
}

/**
 * Gets bearer tokens from one context's exec plugin: checks the allowlist, runs the plugin with
 * the login-shell PATH and KUBERNETES_EXEC_INFO, and caches the token until its expirationTimestamp
 * (without one, until `invalidate()` after a 401, as client-go does). One run at a time.
 */
export class ExecTokenSource {
  private cached: { token: string; expiresAt: number } | null = null;
  private running: Promise<string> | null = null;

  constructor(
    private readonly exec: ExecStanza,
    private readonly target: ExecTarget,
    private readonly policy: ExecPolicy,
    private readonly now: () => number = Date.now,
  ) {}

  /** The command as the kubeconfig names it. */
  get command(): string {
    return this.exec.command;
  }

  /** Forget the cached token (the server rejected it). */
  invalidate(): void {
    this.cached = null;
  }

  async token(): Promise<string> {
    if (this.cached && this.cached.expiresAt > this.now()) return this.cached.token;
    this.running ??= this.run().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async run(): Promise<string> {
    const { context } = this.target;
    const command = this.exec.command;
    const pathEnv = await this.policy.loginPath();
    const path = await resolveCommand(command, pathEnv, this.target.kubeconfigDir);
    if (!path) {
      throw new GuardiaError(
        'kubernetes.exec-not-found',
        `Context "${context}" authenticates with the exec plugin "${command}", which is not on your login shell's PATH` +
          `${this.exec.installHint ? `. ${this.exec.installHint.trim()}` : ''}`,
      );
    }
    if (!(await this.policy.allowlist.has(path))) {
      throw new GuardiaError(
        'kubernetes.exec-not-allowed',
        `Context "${context}" authenticates with the exec plugin "${command}" (${path}), which Guardia has not been allowed to run. ` +
          `Allow it once with: guardia kube allow-exec ${path} (or Allow in the app's Kubernetes contexts)`,
        { context, command, path },
      );
    }
    const apiVersion = this.exec.apiVersion ?? 'client.authentication.k8s.io/v1';
    const info = {
      apiVersion,
      kind: 'ExecCredential',
      spec: {
        interactive: false,
        ...(this.exec.provideClusterInfo
          ? {
              cluster: {
                server: this.target.server,
                ...(this.target.certificateAuthorityData ? { 'certificate-authority-data': this.target.certificateAuthorityData } : {}),
                ...(this.target.insecureSkipTlsVerify ? { 'insecure-skip-tls-verify': true } : {}),
              },
            }
          : {}),
      },
    };
    const env: NodeJS.ProcessEnv = { ...(this.policy.env ?? process.env), PATH: pathEnv, KUBERNETES_EXEC_INFO: JSON.stringify(info) };
    for (const e of this.exec.env ?? []) env[e.name] = e.value;
    const timeoutMs = this.policy.timeoutMs ?? 60_000;
    const stdout = await new Promise<string>((done, fail) => {
      execFile(path, this.exec.args ?? [], { env, timeout: timeoutMs, maxBuffer: 4 << 20, windowsHide: true }, (error, out, err) => {
        if (!error) return done(String(out));
        const e = error as NodeJS.ErrnoException & { killed?: boolean; code?: number | string };
        const why = e.killed
          ? `did not finish within ${timeoutMs / 1000} s`
          : `failed (${typeof e.code === 'number' ? `exit code ${e.code}` : (e.code ?? e.message)})${String(err).trim() ? `: ${String(err).trim().slice(0, 500)}` : ''}`;
        fail(new GuardiaError('kubernetes.exec-failed', `The exec plugin "${command}" of context "${context}" ${why}`, { context, command }));
      });
    });
    let cred: ExecCredential;
    try {
      cred = JSON.parse(stdout) as ExecCredential;
    } catch {
      throw new GuardiaError('kubernetes.exec-failed', `The exec plugin "${command}" of context "${context}" did not print an ExecCredential (its output is not JSON)`);
    }
    if (cred.kind !== 'ExecCredential' || !cred.apiVersion?.startsWith('client.authentication.k8s.io/')) {
      throw new GuardiaError('kubernetes.exec-failed', `The exec plugin "${command}" of context "${context}" printed a ${cred.kind ?? 'document'} (${cred.apiVersion ?? 'no apiVersion'}), not an ExecCredential`);
    }
    const token = cred.status?.token;
    if (!token) {
      throw new GuardiaError(
        'kubernetes.exec-failed',
        cred.status?.clientCertificateData
          ? `The exec plugin "${command}" of context "${context}" returned a client certificate; Guardia supports plugins that return a token`
          : `The exec plugin "${command}" of context "${context}" returned no token`,
      );
    }
    const expiry = cred.status?.expirationTimestamp ? Date.parse(cred.status.expirationTimestamp) : Infinity;
    this.cached = { token, expiresAt: Number.isNaN(expiry) ? Infinity : expiry };
    return token;
  }
}
