/**
 * The `electronegativity` suite of `npm test` (scripts/test.mjs, after build): runs Doyensec's
 * Electronegativity offline over the sources (electron/main, electron/preload, renderer/src) and the
 * built bundle (dist/electron, dist/renderer), and fails on any finding not explained in
 * security/electronegativity-allowlist.json, or on an allowlist entry that no longer matches anything.
 * Usage: tsx scripts/electronegativity.ts
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkFindings, parseAllowlist, parseSarif, type Finding } from './electronegativity-check.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const allowlistPath = 'security/electronegativity-allowlist.json';
const bin = join(root, 'node_modules', '.bin', 'electronegativity');
const electronVersion = (JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')) as { version: string }).version;

/** Electronegativity reads only .js/.jsx/.ts/.tsx/.html/.htm: .mjs/.cjs bundles get a .js suffix. */
const renamed = /\.(mjs|cjs)$/;
const scanned = /\.(js|jsx|ts|tsx|html|htm|mjs|cjs)$/;

const scopes = [
  { name: 'sources', dirs: ['electron/main', 'electron/preload', 'renderer/src'] },
  { name: 'bundle', dirs: ['dist/electron', 'dist/renderer'] },
];

function files(dir: string, found: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files(path, found);
    else if (scanned.test(entry.name)) found.push(path);
  }
  return found;
}

/** Copies one scope into a staging directory under the same relative paths, so findings map back. */
function stage(dirs: string[], into: string): void {
  for (const dir of dirs) {
    const abs = join(root, dir);
    if (!existsSync(abs)) throw new Error(`${dir} does not exist${dir.startsWith('dist') ? ' (run `node scripts/build.mjs` first)' : ''}`);
    for (const file of files(abs)) {
      const rel = relative(root, file);
      cpSync(file, join(into, renamed.test(rel) ? `${rel}.js` : rel));
    }
  }
}

function scan(name: string, dirs: string[], work: string): Finding[] {
  const staged = join(work, name);
  stage(dirs, staged);
  const out = join(work, `${name}.sarif`);
  const args = ['-i', staged, '-x', 'AvailableSecurityFixesGlobalCheck', '-e', electronVersion, '-r', '-v', 'false', '-o', out];
  const run = spawnSync(bin, args, { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
  if (run.status !== 0 || !existsSync(out)) {
    throw new Error(`electronegativity (${name}) exited with ${run.status ?? run.signal}: ${(run.stderr || run.stdout).slice(-2000)}`);
  }
  // It reports files it could not parse on its output and carries on: a silent hole in the scan.
  const unparsed = `${run.stdout}\n${run.stderr}`.split('\n').filter((l) => /unable to parse|error parsing|failed to parse/i.test(l));
  if (unparsed.length) throw new Error(`electronegativity (${name}) could not parse:\n${unparsed.join('\n')}`);
  return parseSarif(JSON.parse(readFileSync(out, 'utf8')), (uri) => uri.replace(/\.(mjs|cjs)\.js$/, '.$1'));
}

function main(): number {
  if (!existsSync(bin)) {
    console.error('electronegativity: @doyensec/electronegativity is not installed (run npm ci)');
    return 1;
  }
  const allowlist = parseAllowlist(JSON.parse(readFileSync(join(root, allowlistPath), 'utf8')), allowlistPath);
  const work = mkdtempSync(join(tmpdir(), 'guardia-electronegativity-'));
  try {
    const findings: Finding[] = [];
    for (const scope of scopes) {
      const found = scan(scope.name, scope.dirs, work);
      console.log(`electronegativity: ${scope.name} (${scope.dirs.join(', ')}): ${found.length} finding(s), Electron ${electronVersion}`);
      findings.push(...found);
    }
    const outcome = checkFindings(findings, allowlist);
    for (const { finding, entry } of outcome.explained) {
      console.log(`  accepted  ${finding.check}  ${finding.file}${finding.line ? `:${finding.line}` : ''}\n            ${entry.reason}`);
    }
    for (const f of outcome.unexplained) {
      console.log(`  FINDING   ${f.check}  ${f.file}${f.line ? `:${f.line}` : ''}  ${f.message}`);
    }
    for (const e of outcome.stale) console.log(`  STALE     ${e.check}  ${e.file}: matches no finding any more; remove it from ${allowlistPath}`);
    if (outcome.unexplained.length || outcome.stale.length) {
      console.log(`electronegativity: ${outcome.unexplained.length} unexplained finding(s), ${outcome.stale.length} stale allowlist entr(ies): fix the code or add a reviewed entry to ${allowlistPath}`);
      return 1;
    }
    console.log(`electronegativity: all ${findings.length} finding(s) are explained in ${allowlistPath}`);
    return 0;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

try {
  process.exitCode = main();
} catch (error) {
  console.error(`electronegativity: ${(error as Error).message}`);
  process.exitCode = 1;
}

