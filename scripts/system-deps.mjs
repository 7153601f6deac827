#!/usr/bin/env node
/**
 * The system programs the tests need (real Prometheus, Alertmanager, PostgreSQL, Redis, Chromium,
 * Xvfb, gnome-keyring, D-Bus, kubectl), each mapped to the Debian package that ships it. On Debian as
 * root the missing packages are installed with apt-get; elsewhere the missing ones are named with the
 * command that installs them. Plain Node only: this runs before `npm ci`.
 *
 *   node scripts/system-deps.mjs            report what is missing (exit 1 if anything is)
 *   node scripts/system-deps.mjs --install  also apt-get install what is missing (Debian, root)
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Debian's default PostgreSQL major (bookworm); any installed major is accepted. */
const preferredPgMajor = 15;

/** Searched besides PATH: some Debian tools live in sbin. */
const standardPath = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Fonts so that screenshots have glyphs. */
const dejavuFont = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';

/**
 * Every checked program: `bin` is a command looked up on PATH (and the sbin dirs) or an absolute
 * path; `pkg` is its Debian package (null: not an apt package, only reported); `usedBy` lists the
 * suites of scripts/test.mjs that cannot run without it ('electron-e2e': only the Electron window
 * test, which runs inside the e2e suite when an Electron binary exists).
 */
export const systemDeps = [
  { bin: 'prometheus', pkg: 'prometheus', usedBy: ['integration'] },
  { bin: 'promtool', pkg: 'prometheus', usedBy: ['integration'] },
  { bin: 'prometheus-alertmanager', pkg: 'prometheus-alertmanager', usedBy: ['integration'] },
  { bin: 'amtool', pkg: 'prometheus-alertmanager', usedBy: ['integration'] },
  { bin: `/usr/lib/postgresql/${preferredPgMajor}/bin/postgres`, pkg: 'postgresql', usedBy: ['integration'] },
  { bin: `/usr/lib/postgresql/${preferredPgMajor}/bin/initdb`, pkg: 'postgresql', usedBy: ['integration'] },
  { bin: `/usr/lib/postgresql/${preferredPgMajor}/bin/psql`, pkg: 'postgresql', usedBy: ['integration'] },
  { bin: 'redis-server', pkg: 'redis-server', usedBy: ['integration'] },
  { bin: '/usr/bin/chromium', pkg: 'chromium', usedBy: ['e2e'] },
  { bin: 'Xvfb', pkg: 'xvfb', usedBy: ['electron-e2e'] },
  { bin: 'gnome-keyring-daemon', pkg: 'gnome-keyring', usedBy: ['integration'] },
  { bin: 'dbus-daemon', pkg: 'dbus', usedBy: ['integration'] },
  { bin: 'dbus-run-session', pkg: 'dbus', usedBy: ['integration'] },
  { bin: 'dbus-send', pkg: 'dbus', usedBy: ['integration'] },
  { bin: 'dbus-launch', pkg: 'dbus-x11', usedBy: ['electron-e2e'] },
  { bin: 'secret-tool', pkg: 'libsecret-tools', usedBy: ['integration'] },
  { bin: dejavuFont, pkg: 'fonts-dejavu-core', usedBy: ['e2e'], file: true },
  { bin: 'kubectl', pkg: null, usedBy: ['integration'] },
];

const kubectlHint =
  'kubectl is not a Debian package: install a v1.32 kubectl binary on PATH (see https://kubernetes.io/docs/tasks/tools/)';

/** The directory holding PostgreSQL's server binaries: the preferred major if present, else the newest. */
export function postgresBinDir() {
  const preferred = `/usr/lib/postgresql/${preferredPgMajor}/bin`;
  if (existsSync(join(preferred, 'postgres'))) return preferred;
  let majors = [];
  try {
    majors = readdirSync('/usr/lib/postgresql')
      .map(Number)
      .filter((n) => Number.isInteger(n) && existsSync(`/usr/lib/postgresql/${n}/bin/postgres`))
      .sort((a, b) => b - a);
  } catch {
    // no PostgreSQL at all
  }
  return majors.length ? `/usr/lib/postgresql/${majors[0]}/bin` : preferred;
}

function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Absolute path of a command (PATH plus the sbin dirs, where some Debian tools live), or null. */
export function whichBin(bin) {
  if (bin.startsWith('/')) return isExecutable(bin) ? bin : null;
  const dirs = [...(process.env.PATH ?? '').split(delimiter), ...standardPath.split(':')];
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = join(dir, bin);
    if (isExecutable(candidate)) return candidate;
  }
  return null;
}

function present(dep) {
  if (dep.file) return existsSync(dep.bin);
  if (dep.bin.startsWith('/usr/lib/postgresql/')) {
    // Accept another PostgreSQL major (a newer Debian ships a newer default).
    const name = dep.bin.split('/').pop();
    return isExecutable(dep.bin) || isExecutable(join(postgresBinDir(), name));
  }
  return whichBin(dep.bin) !== null;
}

/** The checked programs that are not there now. */
export function findMissing() {
  return systemDeps.filter((dep) => !present(dep));
}

/** True on Debian (or a derivative) when running as root: apt-get can be used as is. */
export function canAptInstall() {
  return existsSync('/etc/debian_version') && typeof process.getuid === 'function' && process.getuid() === 0;
}

function uniquePackages(deps) {
  return [...new Set(deps.map((d) => d.pkg).filter((p) => p !== null))];
}

/** How to install the given missing programs on this machine, as one human-readable line per way. */
export function installHint(missing) {
  const pkgs = uniquePackages(missing);
  const lines = [];
  if (pkgs.length) {
    const cmd = `apt-get update && apt-get install -y --no-install-recommends ${pkgs.join(' ')}`;
    if (existsSync('/etc/debian_version')) {
      lines.push(canAptInstall() ? cmd : `sudo sh -c '${cmd}'`);
    } else {
      lines.push(`not Debian: install your distribution's packages for ${pkgs.join(', ')} (Debian: ${cmd})`);
    }
  }
  if (missing.some((d) => d.bin === 'kubectl')) lines.push(kubectlHint);
  return lines;
}

function run(cmd, args, env) {
  console.log(`[system-deps] $ ${cmd} ${args.join(' ')}`);
  const PATH = process.env.PATH ? `${process.env.PATH}${delimiter}${standardPath}` : standardPath;
  const r = spawnSync(whichBin(cmd) ?? cmd, args, { stdio: 'inherit', env: { ...process.env, PATH, ...env } });
  if (r.error) return `${cmd}: ${r.error.message}`;
  if (r.status !== 0) return `${cmd} ${args[0] ?? ''} exited with ${r.status ?? r.signal}`;
  return null;
}

/**
 * Makes sure the system programs the tests need are there. With `install` on Debian as root, runs
 * `apt-get update` and installs the missing packages (saying which). Returns the programs still
 * missing (`missing`, as names), the apt packages it installed (`installed`), how to install the
 * rest (`hint`) and an apt error if there was one (`error`).
 */
export function ensureSystemDeps({ install = false } = {}) {
  let missing = findMissing();
  const installed = [];
  let error = null;
  const pkgs = uniquePackages(missing);
  if (install && pkgs.length && canAptInstall()) {
    console.log(`[system-deps] installing apt packages: ${pkgs.join(' ')}`);
    const env = { DEBIAN_FRONTEND: 'noninteractive' };
    error =
      run('apt-get', ['-q', 'update'], env) ??
      run('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...pkgs], env);
    missing = findMissing();
    const stillMissing = new Set(uniquePackages(missing));
    if (!error) installed.push(...pkgs.filter((p) => !stillMissing.has(p)));
  }
  return {
    missing: missing.map((d) => d.bin),
    installed,
    packages: uniquePackages(missing),
    hint: installHint(missing),
    usedBy: [...new Set(missing.flatMap((d) => d.usedBy))],
    error,
  };
}

/** Prints a result of ensureSystemDeps for a person. */
export function printReport(result) {
  if (result.installed.length) console.log(`[system-deps] installed: ${result.installed.join(' ')}`);
  if (result.error) console.log(`[system-deps] apt failed: ${result.error}`);
  if (!result.missing.length) {
    console.log(`[system-deps] all ${systemDeps.length} system programs are present`);
    return;
  }
  console.log(`[system-deps] MISSING: ${result.missing.join(', ')}`);
  for (const line of result.hint) console.log(`[system-deps]   install: ${line}`);
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    console.log('usage: node scripts/system-deps.mjs [--install] [--json]');
    console.log('  Checks the system programs the tests need; --install apt-get installs the missing ones');
    console.log('  (Debian as root only). Exit 1 when something is still missing.');
    process.exit(0);
  }
  const unknown = args.filter((a) => a !== '--install' && a !== '--json');
  if (unknown.length) {
    console.error(`system-deps: unknown option ${unknown.join(' ')} (try --help)`);
    process.exit(2);
  }
  const result = ensureSystemDeps({ install: args.includes('--install') });
  if (args.includes('--json')) console.log(JSON.stringify(result, null, 2));
  else printReport(result);
  process.exit(result.missing.length || result.error ? 1 : 0);
}
