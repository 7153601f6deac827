#!/usr/bin/env node
/**
 * `npm run bench`: runs every bench/*.bench.ts (each in its own process, through tsx) and prints one
 * table. Machines here are noisy, so every figure is a ratio against a reference measured side by side
 * in the same run. A bench prints lines `BENCH {"name","reference","figure","ratio","unit"?}`.
 * `npm run bench -- NAME` runs only benches whose file name contains NAME.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpus } from 'node:os';

const root = fileURLToPath(new URL('..', import.meta.url));
const filter = process.argv[2];
const files = readdirSync(join(root, 'bench'))
  .filter((f) => f.endsWith('.bench.ts') && (!filter || f.includes(filter)))
  .sort();
if (files.length === 0) {
  console.error(`bench: no benchmark matches ${filter ?? '(any)'}`);
  process.exit(1);
}

const rows = [];
let failed = 0;
for (const file of files) {
  process.stderr.write(`▶ ${file}\n`);
  const code = await new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join('bench', file)], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let buffer = '';
    child.stdout.on('data', (chunk) => {
      buffer += chunk;
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line.startsWith('BENCH ')) rows.push({ file, ...JSON.parse(line.slice(6)) });
        else process.stderr.write(`  ${line}\n`);
      }
    });
    child.on('exit', resolve);
  });
  if (code !== 0) {
    failed++;
    rows.push({ file, name: file, reference: '—', figure: `FAILED (exit ${code})`, ratio: null });
  }
}

const header = ['benchmark', 'figure', 'reference', 'ratio'];
const table = [header, ...rows.map((r) => [r.name, r.figure, r.reference, r.ratio === null || r.ratio === undefined ? '—' : `${Number(r.ratio).toFixed(2)}×`])];
const widths = header.map((_, i) => Math.max(...table.map((r) => String(r[i]).length)));
const line = (r) => `| ${r.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
console.log(`\nGuardia benchmarks — ${new Date().toISOString()} — ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}\n`);
console.log(line(header));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of table.slice(1)) console.log(line(r));
process.exit(failed ? 1 : 0);
