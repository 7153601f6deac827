import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { GuardiaError } from '../../shared/result.js';
import { createGuardia, type Guardia } from '../core/compose.js';
import { Redactor } from '../core/log/logger.js';
import { checkAll } from '../core/config/config-loader.js';
import { formatIssues } from '../core/config/pack-loader.js';
import { launchFlags, launchOptionsFrom } from '../core/launch-options.js';
import { packageRoot, packageVersion, rendererDir } from '../core/paths.js';
import { newToken, startServer } from '../core/server/http-server.js';
import { handoffCommand } from './handoff-command.js';
import { kubeCommand, kubeUsage } from './kube-command.js';
import { formatAlerts, formatPlaybooks, formatStatus, formatWatchEvent } from './format.js';
import { formatPreview, formatStep } from './playbook-format.js';
import type { ActionPreview, DiagnosisRun } from '../../shared/diagnosis.js';

export const usage = `guardia — the on-call cockpit

Usage: guardia <command> [options]

Commands:
  serve [--port N] [--no-open]   Serve the cockpit on 127.0.0.1 (browser mode). The first line printed
                                 is the URL with its per-launch token (GUARDIA_TOKEN pins the token).
  status [--json]                Health, the pack's SLOs and active alerts, once.
  alerts [--json]                Active alerts, worst first.
  watch [--json]                 Follow core's events (alerts firing/resolving, notifications, journal);
                                 with --json one JSON object per line. Stop with Ctrl-C.
  playbooks [--json]             The pack's playbooks with their diagnosis steps and actions.
  diagnose PLAYBOOK [--param NAME=VALUE] [--json]
                                 Run every read-only step of a playbook at once; each result is printed
                                 as it arrives, beside the runbook command it stands for.
  act PLAYBOOK ACTION --confirm TARGET [--param NAME=VALUE] [--dry-run] [--no-wait]
                                 Run one playbook action (journaled before and after; never retried).
                                 --param fills a value the runbook leaves open, e.g. --param pod=NAME.
                                 Shows what it will touch, then waits 5 s (Ctrl-C cancels; nothing is
                                 sent); --no-wait skips the wait for scripts.
  handoff [--from ISO] [--to ISO] [--format md|html|json] [--out FILE] [--lang es|en]
                                 The shift handoff summary from the journal (default: this shift so far).
  check [--config FILE] [--pack DIR]
                                 Validate a configuration and a pack; errors as file:line:column.
  rules export [--out FILE]      The pack's SLOs as Prometheus recording + multiwindow burn-rate alerting
                                 rules (Sloth/Pyrra style); stdout unless --out.
  creds set NAME                 Store a connection secret in the OS keychain (read from stdin).
  creds list | creds delete NAME Names only; secrets are never printed.
${kubeUsage}

Connection options (serve, status, alerts, watch, playbooks, act; also npm start):
  --config FILE        Configuration file (default: GUARDIA_CONFIG, else $GUARDIA_HOME/config.yaml,
                       else the embedded demo environment)
  --env ID             Environment of the configuration to use
  --pack DIR           Pack folder (default: the bundled Tiendi pack)
  --prometheus URL     Quick connect: a Prometheus-compatible query API
  --alertmanager URL   Quick connect: an Alertmanager (repeat for an HA pair)
  --kubeconfig FILE    Quick connect: a kubeconfig (with --context NAME)
  --context NAME       Kubernetes context for quick connect
  --demo-speed N       Demo clock speed (default 1; 20 plays the incident in a few minutes)
  --demo-seed N        Demo random seed (default 42)
  --refresh SECONDS    Poll interval (default 5)

Environment: GUARDIA_HOME (data directory), GUARDIA_CONFIG, GUARDIA_TOKEN, GUARDIA_LOG_LEVEL.
`;

const cliFlags = {
  ...launchFlags,
  json: { type: 'boolean' },
  port: { type: 'string' },
  'no-open': { type: 'boolean' },
  confirm: { type: 'string' },
  out: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  format: { type: 'string' },
  lang: { type: 'string' },
  param: { type: 'string', multiple: true },
  'dry-run': { type: 'boolean' },
  'no-wait': { type: 'boolean' },
  'remove-from-original': { type: 'boolean' },
  namespace: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

type Values = ReturnType<typeof parse>['values'];
function parse(argv: string[]) {
  return parseArgs({ args: argv, options: cliFlags, allowPositionals: true, strict: true });
}

const out = (line: string) => process.stdout.write(`${line}\n`);
const fail = (line: string) => process.stderr.write(`guardia: ${line}\n`);

/** Every secret this process resolves is registered here, so even a crash report cannot print one. */
export const cliRedactor = new Redactor();
const redactor = cliRedactor;

/** An error nobody expected (a bug): its stack on stderr, scrubbed of every secret read so far. */
export function reportUnexpected(error: unknown): void {
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  fail(`unexpected error: ${redactor.redact(text)}`);
}

/** Entry point of the `guardia` command. Returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    fail(`${(error as Error).message}\nRun "guardia --help" for usage.`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.version) {
    out(packageVersion());
    return 0;
  }
  if (values.help || !command || command === 'help') {
    out(usage);
    return command || values.help ? 0 : 2;
  }
  try {
    switch (command) {
      case 'serve':
        return await serve(values);
      case 'status':
        return await oneShot(values, async (g) => {
          const r = await invoke(g, 'status.get');
          out(values.json ? JSON.stringify(r, null, 2) : formatStatus(r as never, g.description));
        });
      case 'alerts':
        return await oneShot(values, async (g) => {
          const r = (await invoke(g, 'alerts.list')) as { alerts: unknown[] };
          out(values.json ? JSON.stringify(r.alerts, null, 2) : formatAlerts(r.alerts as never));
        });
      case 'playbooks':
        return await oneShot(values, async (g) => {
          const r = (await invoke(g, 'playbooks.list')) as { playbooks: unknown[] };
          out(values.json ? JSON.stringify(r.playbooks, null, 2) : formatPlaybooks(r.playbooks as never));
        });
      case 'act':
        return await act(values, rest);
      case 'diagnose':
        return await diagnose(values, rest);
      case 'watch':
        return await watch(values);
      case 'check':
        return await check(values);
      case 'creds':
        return await creds(values, rest);
      case 'kube':
        return await kubeCommand(values, rest, {
          out,
          err: (line) => process.stderr.write(`${line}\n`),
          readStdin,
          stdinIsTTY: Boolean(process.stdin.isTTY),
          redactor,
        });
      case 'handoff':
        return await oneShot(values, (g) => handoffCommand(g, values, out, (line) => process.stderr.write(`${line}\n`)));
      case 'rules':
        return await rulesCommand(values, rest);
      default:
        fail(`unknown command "${command}". Run "guardia --help" for usage.`);
        return 2;
    }
  } catch (error) {
    if (error instanceof GuardiaError) {
      fail(redactor.redact(error.message));
      return 1;
    }
    reportUnexpected(error);
    return 1;
  }
}

/** `guardia rules export`: writes the pack's SLO burn-rate rules (no connection needed). */
async function rulesCommand(values: Values, args: string[]): Promise<number> {
  if (args[0] !== 'export') {
    fail('usage: guardia rules export [--out FILE] [--pack DIR]');
    return 2;
  }
  const { exportSloRules } = await import('../core/slo/rules-export.js');
  const { loadPack } = await import('../core/config/pack-loader.js');
  const { defaultPackDir } = await import('../core/config/config-loader.js');
  const text = exportSloRules(await loadPack(values.pack ?? defaultPackDir()));
  if (values.out) {
    const { writeFile } = await import('node:fs/promises');
    await writeFile(values.out, text);
    out(`wrote ${values.out}`);
  } else process.stdout.write(text);
  return 0;
}

async function invoke(g: Guardia, channel: string, req: unknown = {}): Promise<unknown> {
  const result = await g.core.invoke(channel, req);
  if (!result.ok) throw new GuardiaError(result.error.code, result.error.message);
  return result.value;
}

async function oneShot(values: Values, run: (g: Guardia) => Promise<void>): Promise<number> {
  const g = await createGuardia(launchOptionsFrom(values), { redactor });
  try {
    await run(g);
    return 0;
  } finally {
    await g.close();
  }
}

async function act(values: Values, args: string[]): Promise<number> {
  const [playbookId, actionId] = args;
  if (!playbookId || !actionId) {
    fail('usage: guardia act PLAYBOOK ACTION --confirm TARGET [--param NAME=VALUE] [--dry-run]');
    return 2;
  }
  if (values.confirm === undefined) {
    fail('actions change production: add --confirm TARGET (the name of what the action changes)');
    return 2;
  }
  const params = paramsFrom(values.param);
  if (typeof params === 'string') {
    fail(params);
    return 2;
  }
  const dryRun = values['dry-run'] ?? false;
  let cancelled = false;
  const result = await oneShot(values, async (g) => {
    const preview = (await invoke(g, 'playbooks.preview', { playbookId, actionId, params })) as ActionPreview;
    process.stderr.write(`${formatPreview(preview)}\n`);
    if (preview.blocked && !dryRun) throw new GuardiaError('playbooks.blocked', `not sent: ${preview.blocked}`);
    if (!dryRun && !values['no-wait']) {
      cancelled = !(await cancelWindow(preview.cancelWindowSeconds));
      if (cancelled) return;
    }
    const r = (await invoke(g, 'playbooks.act', { playbookId, actionId, confirm: values.confirm, dryRun, params, expectObject: preview.where.object })) as { message: string; journalId: string };
    out(values.json ? JSON.stringify(r) : `${r.message}\n(journal entry ${r.journalId})`);
  });
  if (cancelled) {
    fail('cancelled: nothing was sent');
    return 130;
  }
  return result;
}

/** Headlamp's cancel window on the terminal: a countdown on stderr; Ctrl-C within it cancels. Resolves true to proceed. */
function cancelWindow(seconds: number): Promise<boolean> {
  return new Promise((resolve) => {
    let left = seconds;
    const tick = () => process.stderr.write(`\rSending in ${left} s… (Ctrl-C cancels) `);
    const onInt = () => {
      clearInterval(timer);
      process.stderr.write('\n');
      resolve(false);
    };
    process.once('SIGINT', onInt);
    tick();
    const timer = setInterval(() => {
      left -= 1;
      if (left > 0) return tick();
      clearInterval(timer);
      process.removeListener('SIGINT', onInt);
      process.stderr.write('\rSending now.                         \n');
      resolve(true);
    }, 1000);
  });
}

/** `--param NAME=VALUE` flags as a record, or the message saying which one is malformed. */
function paramsFrom(pairs: string[] | undefined): Record<string, string> | string {
  const params: Record<string, string> = {};
  for (const pair of pairs ?? []) {
    const eq = pair.indexOf('=');
    if (eq < 1) return `--param needs NAME=VALUE, got "${pair}"`;
    params[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return params;
}

async function diagnose(values: Values, args: string[]): Promise<number> {
  const [playbookId] = args;
  if (!playbookId) {
    fail('usage: guardia diagnose PLAYBOOK [--param NAME=VALUE] [--json]');
    return 2;
  }
  const params = paramsFrom(values.param);
  if (typeof params === 'string') {
    fail(params);
    return 2;
  }
  let failed = false;
  const code = await oneShot(values, async (g) => {
    // Each step is printed as it arrives; --json prints the whole run once at the end.
    const off = values.json
      ? () => {}
      : g.core.subscribe((event) => {
          if (event.channel === 'playbooks.changed' && event.payload.step) out(`${formatStep(event.payload.step)}\n`);
        });
    try {
      const run = (await invoke(g, 'playbooks.diagnose', { playbookId, params })) as DiagnosisRun;
      failed = run.steps.some((s) => s.status === 'error' || s.status === 'timeout');
      if (values.json) out(JSON.stringify(run, null, 2));
      else out(`${run.steps.filter((s) => s.status === 'ok').length}/${run.steps.length} steps ok in ${run.durationMs} ms${run.journalId ? ` (journal entry ${run.journalId})` : ''}`);
    } finally {
      off();
    }
  });
  return code === 0 && failed ? 1 : code;
}

async function watch(values: Values): Promise<number> {
  const g = await createGuardia(launchOptionsFrom(values), { redactor });
  // A person watching wants changes, not a line per poll: skip metric ticks and unchanged SLO states.
  let lastSlos = '';
  g.core.subscribe((event) => {
    if (values.json) return out(JSON.stringify(event));
    if (event.channel === 'metrics.changed') return;
    if (event.channel === 'slos.changed') {
      const state = event.payload.slos.map((s) => `${s.id}:${s.met}`).join(',');
      if (state === lastSlos) return;
      lastSlos = state;
    }
    out(formatWatchEvent(event));
  });
  if (!values.json) process.stderr.write(`Watching ${g.description}. Ctrl-C to stop.\n`);
  g.core.start();
  await untilSignal();
  await g.close();
  return 0;
}

async function serve(values: Values): Promise<number> {
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    fail(`--port needs a port number (0 picks a free one), got "${values.port}"`);
    return 2;
  }
  ensureRendererBuilt();
  const g = await createGuardia(launchOptionsFrom(values), { redactor });
  const token = process.env.GUARDIA_TOKEN || newToken();
  const server = await startServer({ core: g.core, rendererDir: rendererDir(), port, token, logger: g.logger });
  const url = `${server.url}/#token=${token}`;
  out(`Guardia at ${url}`);
  out(`Serving ${g.description}. Ctrl-C to stop.`);
  g.core.start();
  if (!values['no-open']) openBrowser(url);
  await untilSignal();
  await server.close();
  await g.close();
  return 0;
}

/** In a checkout the renderer may not be built yet: build it once rather than serve nothing. */
function ensureRendererBuilt(): void {
  if (existsSync(join(rendererDir(), 'index.html'))) return;
  const vite = join(packageRoot(), 'node_modules', 'vite', 'bin', 'vite.js');
  if (!existsSync(vite)) {
    throw new GuardiaError('serve.no-renderer', `The renderer is not built (${rendererDir()} is missing): run "npm run build"`);
  }
  process.stderr.write('Building the renderer (first run)…\n');
  const r = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: packageRoot(), stdio: ['ignore', 2, 2] });
  if (r.status !== 0) throw new GuardiaError('serve.build-failed', 'Building the renderer failed (see above)');
}

function openBrowser(url: string): void {
  const opener =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]];
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return;
  try {
    const child = spawn(opener[0] as string, opener[1] as string[], { stdio: 'ignore', detached: true });
    child.on('error', () => process.stderr.write('Could not open a browser: open the URL above yourself.\n'));
    child.unref();
  } catch {
    process.stderr.write('Could not open a browser: open the URL above yourself.\n');
  }
}

async function check(values: Values): Promise<number> {
  const configFile = values.config ?? process.env.GUARDIA_CONFIG;
  const issues = await checkAll({ configFile, packDir: values.pack });
  if (issues.length) {
    for (const line of formatIssues(issues)) process.stderr.write(`${line}\n`);
    fail(`${issues.length} problem${issues.length === 1 ? '' : 's'} found`);
    return 1;
  }
  out(`OK: ${[configFile && `configuration ${configFile}`, `pack ${values.pack ?? '(bundled Tiendi pack)'}`].filter(Boolean).join(' and ')} valid`);
  return 0;
}

async function creds(values: Values, args: string[]): Promise<number> {
  const [verb, name] = args;
  const { KeychainSecretStore } = await import('../core/secrets/keychain-store.js');
  const store = new KeychainSecretStore(redactor);
  if (verb === 'list') {
    const names = await store.list();
    out(values.json ? JSON.stringify(names) : names.length ? names.join('\n') : '(no secrets stored)');
    return 0;
  }
  if ((verb === 'set' || verb === 'delete') && name) {
    if (args.length > 2) {
      fail('secrets are read from standard input, never from the command line');
      return 2;
    }
    if (verb === 'delete') {
      await store.delete(name);
      out(`Deleted "${name}" from the OS keychain`);
      return 0;
    }
    if (process.stdin.isTTY) process.stderr.write(`Secret for "${name}" (input is not echoed back; end with Enter): `);
    const secret = (await readStdin()).replace(/\r?\n$/, '');
    await store.set(name, secret);
    out(`Stored "${name}" in the OS keychain`);
    return 0;
  }
  fail('usage: guardia creds set NAME | creds list | creds delete NAME');
  return 2;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => resolve();
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}
