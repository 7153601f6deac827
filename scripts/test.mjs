#!/usr/bin/env node
/**
 * The README's test command (`npm test`). Runs every suite in order, streaming its output:
 * system deps → lint → typecheck → unit → integration → build → electronegativity → e2e. A suite whose prerequisites are
 * missing is SKIPPED with the reason and the rest still run; the end is a loud summary and a last line
 * `N passed, M failed, K skipped`. Exit 1 when a suite failed, or under CI=true when one was skipped
 * (the Electron window test may skip inside e2e: there is no Electron binary on these machines).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureSystemDeps, findMissing, printReport } from './system-deps.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const integrationConfig = 'test/integration/vitest.integration.config.mts';
const e2eReport = 'test-results/e2e-results.json';
/** Playwright tests that may skip even under CI (no Electron binary can be downloaded here). */
const allowedE2eSkips = [/(^|\/)electron\.spec\.ts$/];

const usage = `usage: npm test [-- options]   (node scripts/test.mjs [options])

Suites, in order: deps, lint, typecheck, unit, integration, build, electronegativity, e2e.
  deps         system programs (Prometheus, Alertmanager, PostgreSQL, Redis, Chromium, Xvfb,
               gnome-keyring, D-Bus, kubectl); on Debian as root, apt-get installs what is missing
  lint         eslint .
  typecheck    tsc -p tsconfig.node.json --noEmit; tsc -p tsconfig.web.json --noEmit
  unit         vitest run --project node --project renderer
  integration  vitest run --config ${integrationConfig} (real services)
  build        node scripts/build.mjs
  electronegativity
               tsx scripts/electronegativity.ts over sources and dist/, offline; fails on findings not
               in security/electronegativity-allowlist.json; then the packaging tests against dist/
  e2e          playwright test (guardia serve in /usr/bin/chromium; Electron window if a binary exists)

Options:
  --only a,b     run only these suites (deps always runs first: the others need it)
  --no-install   never run apt-get; only report what is missing
  --help         this text

A suite whose prerequisites are missing is skipped with the reason. Exit 1 if a suite failed, or if
CI=true and a suite was skipped.`;

const suiteIds = ['deps', 'lint', 'typecheck', 'unit', 'integration', 'build', 'electronegativity', 'e2e'];

function parseArgs(argv) {
  const opts = { only: null, install: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') {
      console.log(usage);
      process.exit(0);
    } else if (arg === '--no-install') {
      opts.install = false;
    } else if (arg === '--only' || arg.startsWith('--only=')) {
      const value = arg === '--only' ? argv[++i] : arg.slice('--only='.length);
      const names = (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
      const unknown = names.filter((n) => !suiteIds.includes(n));
      if (!names.length || unknown.length) {
        console.error(`test: --only wants a comma list of ${suiteIds.join(', ')}${unknown.length ? ` (unknown: ${unknown.join(', ')})` : ''}`);
        process.exit(2);
      }
      opts.only = new Set(names);
    } else {
      console.error(`test: unknown option ${arg} (try --help)`);
      process.exit(2);
    }
  }
  return opts;
}

const opts = parseArgs(process.argv.slice(2));
const ci = /^(1|true|yes)$/i.test(process.env.CI ?? '');
const tty = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code) => (text) => (tty ? `\x1b[${code}m${text}\x1b[0m` : text);
const bold = paint('1');
const red = paint('1;31');
const green = paint('1;32');
const yellow = paint('1;33');
const rule = '═'.repeat(78);

/** @type {{ id: string, title: string, status: 'passed'|'failed'|'skipped', reason: string, ms: number, notes: string[] }[]} */
const results = [];
let current = null;
let interrupted = false;

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    interrupted = true;
    current?.kill(signal);
  });
}

function localBin(name) {
  const path = join(root, 'node_modules', '.bin', name);
  return existsSync(path) ? path : null;
}

/** Runs one command with inherited stdio; resolves with its exit description (null on success). */
function runCommand(name, cmd, args, env = {}) {
  const shown = `${name} ${args.join(' ')}`;
  console.log(bold(`$ ${shown}`));
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
    current = child;
    child.once('error', (err) => {
      current = null;
      resolve(`${cmd}: ${err.message}`);
    });
    child.once('exit', (code, signal) => {
      current = null;
      resolve(code === 0 ? null : `\`${shown}\` exited with ${signal ?? code}`);
    });
  });
}

/** Runs npm-installed tools in sequence (all of them, even after a failure); returns the failures. */
async function runTools(steps) {
  const failures = [];
  for (const [tool, args] of steps) {
    const bin = tool === 'node' ? process.execPath : localBin(tool);
    if (!bin) {
      failures.push(`${tool} is not installed (run npm ci)`);
      continue;
    }
    const failure = await runCommand(tool, bin, args);
    if (failure) failures.push(failure);
    if (interrupted) break;
  }
  return failures;
}

function walk(dir, found = []) {
  if (!existsSync(dir)) return found;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, found);
    else found.push(path);
  }
  return found;
}

function missingFor(suite) {
  return findMissing().filter((d) => d.usedBy.includes(suite)).map((d) => d.bin);
}

const toolSuite = (steps) => async () => {
  const failures = await runTools(steps);
  return failures.length ? { status: 'failed', reason: failures.join('; ') } : { status: 'passed' };
};

/** Skipped Playwright tests from the JSON report, with the reasons they gave. */
function e2eSkips(since) {
  const path = join(root, e2eReport);
  if (!existsSync(path) || statSync(path).mtimeMs < since) return [];
  const skips = [];
  const visit = (suite, titles) => {
    const here = suite.title && !suite.title.endsWith('.ts') ? [...titles, suite.title] : titles;
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) {
        if (t.status !== 'skipped') continue;
        const notes = [...(t.annotations ?? []), ...(t.results ?? []).flatMap((r) => r.annotations ?? [])];
        const note = notes.find((a) => a.type === 'skip' || a.type === 'fixme');
        const reason = note ? (note.description ?? 'skipped without a reason') : 'did not run (a hook or an earlier test in its file failed)';
        skips.push({ file: spec.file ?? suite.file ?? '', title: [...here, spec.title].join(' › '), reason });
      }
    }
    for (const child of suite.suites ?? []) visit(child, here);
  };
  try {
    const report = JSON.parse(readFileSync(path, 'utf8'));
    for (const suite of report.suites ?? []) visit(suite, []);
  } catch (err) {
    skips.push({ file: '', title: e2eReport, reason: `unreadable: ${err.message}` });
  }
  return skips;
}

const suites = [
  {
    id: 'deps',
    title: 'system deps',
    run: async () => {
      const r = ensureSystemDeps({ install: opts.install });
      printReport(r);
      if (r.error) return { status: 'failed', reason: `apt-get failed: ${r.error}` };
      if (!r.missing.length) {
        return { status: 'passed', notes: r.installed.length ? [`installed apt packages: ${r.installed.join(' ')}`] : [] };
      }
      return { status: 'skipped', reason: `missing: ${r.missing.join(', ')}. Install: ${r.hint.join(' ; ')}` };
    },
  },
  { id: 'lint', title: 'lint', run: toolSuite([['eslint', ['.']]]) },
  {
    id: 'typecheck',
    title: 'typecheck',
    run: toolSuite([
      ['tsc', ['-p', 'tsconfig.node.json', '--noEmit']],
      ['tsc', ['-p', 'tsconfig.web.json', '--noEmit']],
    ]),
  },
  { id: 'unit', title: 'unit (vitest)', run: toolSuite([['vitest', ['run', '--project', 'node', '--project', 'renderer']]]) },
  {
    id: 'integration',
    title: 'integration (vitest, real services)',
    run: async () => {
      if (!existsSync(join(root, integrationConfig))) return { status: 'skipped', reason: `${integrationConfig} does not exist` };
      const tests = walk(join(root, 'test/integration')).filter((f) => f.endsWith('.test.ts'));
      if (!tests.length) return { status: 'skipped', reason: 'no test/integration/**/*.test.ts files' };
      const missing = missingFor('integration');
      if (missing.length) return { status: 'skipped', reason: `missing system programs: ${missing.join(', ')} (see system deps)` };
      return toolSuite([['vitest', ['run', '--config', integrationConfig]]])();
    },
  },
  {
    id: 'build',
    title: 'build',
    run: async () => {
      if (!existsSync(join(root, 'scripts/build.mjs'))) return { status: 'failed', reason: 'scripts/build.mjs does not exist' };
      return toolSuite([['node', ['scripts/build.mjs']]])();
    },
  },
  {
    // Scans the built bundle too, so it needs the build; the packaging tests then check the files
    // electron-builder would pack from that same dist/ (required here, not skipped).
    id: 'electronegativity',
    title: 'electronegativity + packed files',
    run: async () => {
      const build = results.find((r) => r.id === 'build');
      if (build && build.status !== 'passed') return { status: 'skipped', reason: 'it scans dist/, which needs a successful build' };
      if (!existsSync(join(root, 'dist/electron/main.mjs'))) return { status: 'skipped', reason: 'dist/ is not built (run the build suite or node scripts/build.mjs)' };
      const failures = await runTools([['tsx', ['scripts/electronegativity.ts']]]);
      const vitest = localBin('vitest');
      const packed = vitest
        ? await runCommand('vitest', vitest, ['run', '--project', 'node', 'test/unit/packaging'], { GUARDIA_REQUIRE_DIST: '1' })
        : 'vitest is not installed (run npm ci)';
      if (packed) failures.push(packed);
      return failures.length ? { status: 'failed', reason: failures.join('; ') } : { status: 'passed' };
    },
  },
  {
    id: 'e2e',
    title: 'e2e (playwright)',
    run: async () => {
      const build = results.find((r) => r.id === 'build');
      if (build && build.status !== 'passed') return { status: 'skipped', reason: 'it needs a successful build' };
      const missing = missingFor('e2e');
      if (missing.length) return { status: 'skipped', reason: `missing system programs: ${missing.join(', ')} (see system deps)` };
      const since = Date.now();
      const result = await toolSuite([['playwright', ['test']]])();
      const skips = e2eSkips(since);
      const notes = skips.map((s) => `skipped inside: ${s.title} — ${s.reason}`);
      const forbidden = ci ? skips.filter((s) => !allowedE2eSkips.some((re) => re.test(s.file))) : [];
      if (result.status === 'passed' && forbidden.length) {
        return { status: 'failed', reason: `CI: e2e tests were skipped: ${forbidden.map((s) => s.title).join('; ')}`, notes };
      }
      return { ...result, notes };
    },
  },
];

const selected = suites.filter((s) => s.id === 'deps' || !opts.only || opts.only.has(s.id));
for (const [i, suite] of selected.entries()) {
  if (interrupted) {
    results.push({ id: suite.id, title: suite.title, status: 'skipped', reason: 'interrupted', ms: 0, notes: [] });
    continue;
  }
  console.log(`\n${bold(rule)}\n${bold(` [${i + 1}/${selected.length}] ${suite.title}`)}\n${bold(rule)}`);
  const t0 = Date.now();
  let outcome;
  try {
    outcome = await suite.run();
  } catch (err) {
    outcome = { status: 'failed', reason: `crashed: ${err.stack ?? err}` };
  }
  if (interrupted && outcome.status === 'passed') outcome = { status: 'failed', reason: 'interrupted' };
  results.push({ id: suite.id, title: suite.title, reason: '', notes: [], ...outcome, ms: Date.now() - t0 });
  const done = results[results.length - 1];
  const label = { passed: green('PASSED'), failed: red('FAILED'), skipped: yellow('SKIPPED') }[done.status];
  console.log(`${label} ${suite.title}${done.reason ? `: ${done.reason}` : ''}`);
}

const count = (status) => results.filter((r) => r.status === status).length;
const passed = count('passed');
const failed = count('failed');
const skipped = count('skipped');

console.log(`\n${bold(rule)}\n${bold(' TEST SUMMARY')}\n${bold(rule)}`);
const width = Math.max(...results.map((r) => r.title.length));
for (const r of results) {
  const label = { passed: green('PASSED '), failed: red('FAILED '), skipped: yellow('SKIPPED') }[r.status];
  const time = r.status === 'skipped' && r.ms < 50 ? '-' : `${(r.ms / 1000).toFixed(1)}s`;
  console.log(` ${label}  ${r.title.padEnd(width)}  ${time.padStart(7)}${r.reason ? `  ${r.reason}` : ''}`);
  for (const note of r.notes) console.log(`           ↳ ${note}`);
}
console.log(bold(rule));

const skippedTests = results.flatMap((r) => r.notes.filter((n) => n.startsWith('skipped inside:')).map((n) => `${r.id}: ${n.slice('skipped inside: '.length)}`));
if (skipped || skippedTests.length) {
  console.log(yellow(`\n!!! SKIPPED — these did NOT run (${skipped} suite${skipped === 1 ? '' : 's'}, ${skippedTests.length} test${skippedTests.length === 1 ? '' : 's'}):`));
  for (const r of results.filter((x) => x.status === 'skipped')) console.log(yellow(`!!!   suite ${r.id}: ${r.reason}`));
  for (const t of skippedTests) console.log(yellow(`!!!   test  ${t}`));
  if (ci && skipped) console.log(red('!!! CI=true: a skipped suite counts as a failure.'));
  console.log('');
}
if (failed) console.log(red(`FAILED: ${results.filter((r) => r.status === 'failed').map((r) => r.id).join(', ')}\n`));

console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exitCode = interrupted ? 130 : failed || (ci && skipped) ? 1 : 0;
