import { describe, it, expect } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { defaultPackDir } from '../../../../electron/core/config/config-loader.js';
import { loadPack } from '../../../../electron/core/config/pack-loader.js';

const run = promisify(execFile);
const promtool = '/usr/bin/promtool';
const missing = 'promtool is not installed at /usr/bin/promtool';

describe('Prometheus rules and queries of the bundled pack', () => {
  it('rules.yml passes promtool check rules', async (ctx) => {
    ctx.skip(!existsSync(promtool), missing);
    const { stdout } = await run(promtool, ['check', 'rules', join(defaultPackDir(), 'rules.yml')]);
    expect(stdout).toContain('SUCCESS: 7 rules found');
  });

  it('every SLO and panel query is valid PromQL', async (ctx) => {
    ctx.skip(!existsSync(promtool), missing);
    const pack = await loadPack(defaultPackDir());
    const queries = [
      ...pack.slos.map((s) => s.query),
      ...pack.dashboards.flatMap((d) => d.panels.flatMap((p) => p.queries)),
    ];
    // promtool parses exprs of recording rules; one rule per query checks them all at once.
    const rules = queries.map((q, i) => ({ record: `guardia:query_${i}`, expr: q.expr }));
    const dir = await mkdtemp(join(tmpdir(), 'guardia-promql-'));
    try {
      const file = join(dir, 'queries.yml');
      await writeFile(file, stringify({ groups: [{ name: 'guardia_pack_queries', rules }] }));
      const { stdout } = await run(promtool, ['check', 'rules', file]);
      expect(stdout).toContain(`SUCCESS: ${queries.length} rules found`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
