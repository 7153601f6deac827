import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { defaultPackDir } from '../../electron/core/config/config-loader.js';
import { loadPack } from '../../electron/core/config/pack-loader.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);

/** Runs promtool; resolves with its output, rejects with it (stdout carries promtool's failure details). */
async function promtool(args: string[]): Promise<string> {
  try {
    const { stdout, stderr } = await run('promtool', args, { timeout: 30_000 });
    return stdout + stderr;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`promtool ${args.join(' ')} failed:\n${e.stdout ?? ''}${e.stderr ?? e.message}`);
  }
}

/** `guardia rules export` as a user runs it. */
async function exportRules(out: string): Promise<void> {
  await run(process.execPath, [join(root, 'bin/guardia.mjs'), 'rules', 'export', '--out', out], { cwd: root, timeout: 30_000 });
}

describe('SLO burn-rate rules (guardia rules export) and the runbook rules, checked by promtool', () => {
  it('exports rules that promtool check rules accepts, one fast/slow set per SLO', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'guardia-rules-'));
    const file = join(dir, 'slo-rules.yml');
    await exportRules(file);
    const output = await promtool(['check', 'rules', file]);
    const pack = await loadPack(defaultPackDir());
    // Per SLO: 5 error-ratio + 3 event-count recordings and 3 alerts.
    expect(output).toContain(`SUCCESS: ${pack.slos.length * 11} rules found`);
  });

  it('pages at 5% errors within the hour, tickets nothing on a handful of requests (promtool test rules)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'guardia-rules-'));
    await exportRules(join(dir, 'slo-rules.yml'));
    const alertLabels = (long: string, short: string, severity: string) =>
      `{ guardia_slo: api-availability, severity: ${severity}, long_window: ${long}, short_window: ${short} }`;
    const annotations = (factor: number, long: string, short: string) => `
              summary: API Availability SLO is burning its error budget at ${factor}x or more
              description: Error ratio over ${long} and ${short} is above ${factor} times the budget (0.001) of the 30d SLO api-availability.`;
    await writeFile(
      join(dir, 'slo-rules.test.yml'),
      `rule_files: [slo-rules.yml]
evaluation_interval: 1m
tests:
  # 5% errors at 20 requests/s: 50x the 0.1% budget of api-availability.
  - interval: 1m
    input_series:
      - series: 'http_requests_total{status="200"}'
        values: '0+1140x120'
      - series: 'http_requests_total{status="500"}'
        values: '0+60x120'
    alert_rule_test:
      - eval_time: 90m
        alertname: SLOErrorBudgetBurnFast
        exp_alerts:
          - exp_labels: ${alertLabels('1h', '5m', 'critical')}
            exp_annotations:${annotations(14.4, '1h', '5m')}
          - exp_labels: ${alertLabels('6h', '30m', 'critical')}
            exp_annotations:${annotations(6, '6h', '30m')}
          - exp_labels: { guardia_slo: api-error-rate, severity: critical, long_window: 1h, short_window: 5m }
            exp_annotations:
              summary: API Error rate SLO is burning its error budget at 14.4x or more
              description: Error ratio over 1h and 5m is above 14.4 times the budget (0.001) of the 24h SLO api-error-rate.
          - exp_labels: { guardia_slo: api-error-rate, severity: critical, long_window: 6h, short_window: 30m }
            exp_annotations:
              summary: API Error rate SLO is burning its error budget at 6x or more
              description: Error ratio over 6h and 30m is above 6 times the budget (0.001) of the 24h SLO api-error-rate.
  # 0.5% errors: a 5x burn is under both page factors (14.4x, 6x): no page.
  - interval: 1m
    input_series:
      - series: 'http_requests_total{status="200"}'
        values: '0+1194x120'
      - series: 'http_requests_total{status="500"}'
        values: '0+6x120'
    alert_rule_test:
      - eval_time: 90m
        alertname: SLOErrorBudgetBurnFast
        exp_alerts: []
  # 50% errors, but one request a minute: 60 an hour is under the 100-event minimum.
  - interval: 1m
    input_series:
      - series: 'http_requests_total{status="200"}'
        values: '0+0.5x120'
      - series: 'http_requests_total{status="500"}'
        values: '0+0.5x120'
    alert_rule_test:
      - eval_time: 90m
        alertname: SLOErrorBudgetBurnFast
        exp_alerts: []
`,
    );
    expect(await promtool(['test', 'rules', join(dir, 'slo-rules.test.yml')])).toContain('SUCCESS');
  });

  it("the runbook's own alert rules pass their promtool tests with the real for: durations", async () => {
    const testsDir = join(root, 'resources/packs/tiendi/tests');
    const files = (await readdir(testsDir)).filter((f) => f.endsWith('.test.yml'));
    expect(files.length).toBeGreaterThan(0);
    const output = await promtool(['test', 'rules', ...files.map((f) => join(testsDir, f))]);
    expect(output).toContain('SUCCESS');
    expect(output).not.toContain('FAILED');
  });
});
