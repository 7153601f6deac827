import { describe, it, expect, afterEach } from 'vitest';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultPackDir } from '../../../../electron/core/config/config-loader.js';
import { ConfigError, formatIssues, type ConfigIssue } from '../../../../electron/core/config/errors.js';
import { loadAlertRules, loadPack } from '../../../../electron/core/config/pack-loader.js';

const bundled = defaultPackDir();
const temps: string[] = [];

/** A copy of the bundled pack in a temp dir, with `edit` applied to one of its files. */
async function packCopy(file: string, edit: (text: string) => string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'guardia-pack-'));
  temps.push(dir);
  await cp(bundled, dir, { recursive: true });
  const path = join(dir, file);
  await writeFile(path, edit(await readFile(path, 'utf8')));
  return dir;
}

async function issuesOf(dir: string): Promise<ConfigIssue[]> {
  try {
    await loadPack(dir);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as ConfigError).code).toBe('config.invalid');
    return (e as ConfigError).issues;
  }
  throw new Error('expected the pack to be rejected');
}

/** 1-based number of the first line of `text` containing `needle`. */
function lineOf(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  expect(i).toBeGreaterThanOrEqual(0);
  return i + 1;
}

afterEach(async () => {
  await Promise.all(temps.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

describe('bundled Tiendi pack', () => {
  it('loads with all seven SLOs of table 4.1, in order, with their targets and windows', async () => {
    const pack = await loadPack(bundled);
    expect(pack.manifest.id).toBe('tiendi');
    expect(pack.slos.map((s) => [s.id, s.window, s.query.id])).toEqual([
      ['api-availability', '30d', 'slo.api-availability'],
      ['api-latency-p95', '7d', 'slo.api-latency-p95'],
      ['api-error-rate', '24h', 'slo.api-error-rate'],
      ['web-page-load', '7d', 'slo.web-page-load'],
      ['payments-availability', '30d', 'slo.payments-availability'],
      ['search-latency-p95', '7d', 'slo.search-latency-p95'],
      ['db-query-latency', '24h', 'slo.db-query-latency'],
    ]);
    const byId = Object.fromEntries(pack.slos.map((s) => [s.id, s]));
    expect(byId['api-availability']!.objective).toEqual({ kind: 'ratio', target: 99.9 });
    expect(byId['api-availability']!.errorBudgetMinutes).toBe(43.2);
    expect(byId['payments-availability']!.objective).toEqual({ kind: 'ratio', target: 99.95 });
    expect(byId['payments-availability']!.errorBudgetMinutes).toBe(21.6);
    expect(byId['api-latency-p95']!.objective).toEqual({ kind: 'threshold', comparator: 'lt', threshold: 0.5, unit: 'seconds' });
    expect(byId['api-error-rate']!.objective).toEqual({ kind: 'threshold', comparator: 'lt', threshold: 0.1, unit: 'percent' });
    expect(byId['web-page-load']!.objective).toMatchObject({ threshold: 2, unit: 'seconds' });
    expect(byId['search-latency-p95']!.objective).toMatchObject({ threshold: 1, unit: 'seconds' });
    expect(byId['db-query-latency']!.objective).toMatchObject({ threshold: 0.1, unit: 'seconds' });
  });

  it('has the eight playbooks of sections 7 and 9.3, each step with a command and a target', async () => {
    const pack = await loadPack(bundled);
    expect(pack.playbooks.map((p) => p.id)).toEqual([
      'api-slow',
      'database-slow',
      'high-memory',
      'payments-failing',
      'ssl-certificate-expired',
      'api-down',
      'db-pool-exhausted',
      'redis-down',
      // §8.2's AKS upgrade, run as a guided procedure (issue 7).
      'k8s-upgrade',
    ]);
    const runbook = await readFile(join(bundled, 'postmortem-template.md'), 'utf8');
    expect(runbook).toMatch(/^# Post-Mortem: \[Título del Incidente\]/);
    for (const p of pack.playbooks) {
      expect(p.diagnosis.length + p.actions.length).toBeGreaterThan(0);
      for (const step of [...p.diagnosis, ...p.actions]) expect(step.command.length).toBeGreaterThan(0);
    }
    const destructive = pack.playbooks.flatMap((p) => p.actions.filter((a) => a.destructive).map((a) => a.target.operation));
    expect(destructive).toEqual(
      expect.arrayContaining(['pod.delete', 'terminate.longRunning', 'terminate.idle', 'certificate.delete', 'exec.script']),
    );
    const rollback = pack.playbooks.find((p) => p.id === 'api-down')!.actions.find((a) => a.id === 'rollback')!;
    expect(rollback.command).toBe('kubectl rollout undo deployment/tiendi-api -n production');
    expect(rollback.target).toEqual({
      system: 'kubernetes',
      operation: 'rollout.undo',
      params: { namespace: 'production', deployment: 'tiendi-api' },
    });
  });

  it('has every alert rule of section 5.2, each with a runbook', async () => {
    const pack = await loadPack(bundled);
    const rules = await loadAlertRules(bundled, pack);
    // Section 5.2 defines 3 critical and 4 warning rules.
    expect(rules.map((r) => `${r.group}/${r.name}`)).toEqual([
      'tiendi_critical/APIDown',
      'tiendi_critical/HighErrorRate',
      'tiendi_critical/DatabaseDown',
      'tiendi_warning/HighLatency',
      'tiendi_warning/HighCPUUsage',
      'tiendi_warning/DiskSpaceLow',
      'tiendi_warning/ErrorBudgetBurnRateHigh',
    ]);
    expect(rules.find((r) => r.name === 'ErrorBudgetBurnRateHigh')!.expr).toContain('# 14.4x burn rate');
    expect(new Set(pack.alerting.runbooks.map((r) => r.alert))).toEqual(new Set(rules.map((r) => r.name)));
    const highErrorRate = pack.alerting.runbooks.find((r) => r.alert === 'HighErrorRate')!;
    expect(highErrorRate.escalation).toEqual({ afterMinutes: 15, contacts: ['Backend Lead: @juan.perez', 'CTO: @maria.garcia'] });
    expect(pack.alerting.severityMap).toMatchObject({ critical: 'P1', warning: 'P2' });
  });

  it('keeps every query id unique and the section-2 dashboards complete', async () => {
    const pack = await loadPack(bundled);
    expect(pack.dashboards.map((d) => d.id)).toEqual(['overview', 'infrastructure', 'business', 'security']);
    const ids = [
      ...pack.slos.map((s) => s.query.id),
      ...pack.dashboards.flatMap((d) => d.panels.flatMap((p) => p.queries.map((q) => q.id))),
    ];
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(['health.api', 'overview.rps', 'infra.redis-ops', 'security.invalid-tokens']));
  });
});

describe('pack validation', () => {
  it('rejects an SLO target written as a string, at the line of that target', async () => {
    let original = '';
    const dir = await packCopy('slos.yaml', (text) => {
      original = text;
      return text.replace('target: 99.9\n', 'target: "99.9%"\n');
    });
    const issues = await issuesOf(dir);
    const issue = issues.find((i) => i.file.endsWith('slos.yaml'));
    expect(issue).toBeDefined();
    expect(issue!.line).toBe(lineOf(original, 'target: 99.9\n'.trimEnd()));
    expect(issue!.column).toBe(13);
    expect(issue!.message).toBe('expected a number, got string "99.9%"');
    expect(formatIssues([issue!])[0]).toBe(`${issue!.file}:${issue!.line}:13: expected a number, got string "99.9%"`);
  });

  it('names line and column of a YAML syntax error', async () => {
    const dir = await packCopy('rotation.yaml', (text) => text.replace('lengthDays: 7', 'lengthDays: [7'));
    const text = await readFile(join(dir, 'rotation.yaml'), 'utf8');
    const issues = await issuesOf(dir);
    expect(issues.length).toBeGreaterThan(0);
    const issue = issues[0]!;
    expect(issue.file.endsWith('rotation.yaml')).toBe(true);
    expect(issue.message).toMatch(/^YAML syntax error: /);
    expect(issue.line).toBeGreaterThanOrEqual(lineOf(text, 'lengthDays: [7'));
    expect(issue.column).toBeGreaterThan(0);
  });

  it('reports an unknown key at its own line', async () => {
    const dir = await packCopy('severities.yaml', (text) => text.replace('  responseMinutes: 15\n', '  responseMinutes: 15\n  resonseTime: 15\n'));
    const text = await readFile(join(dir, 'severities.yaml'), 'utf8');
    const issues = await issuesOf(dir);
    expect(issues).toEqual([
      { file: join(dir, 'severities.yaml'), line: lineOf(text, 'resonseTime'), column: 3, message: 'unknown key "resonseTime"' },
    ]);
  });

  it('reports an error budget that does not match the target and window', async () => {
    let original = '';
    const dir = await packCopy('slos.yaml', (text) => {
      original = text;
      return text.replace('errorBudgetMinutes: 43.2', 'errorBudgetMinutes: 40');
    });
    const issues = await issuesOf(dir);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.file).toBe(join(dir, 'slos.yaml'));
    expect(issues[0]!.line).toBe(lineOf(original, 'errorBudgetMinutes: 43.2'));
    expect(issues[0]!.message).toContain('expected 43.2 min');
  });

  it('reports a missing key at the mapping that lacks it', async () => {
    let original = '';
    const dir = await packCopy('dashboards.yaml', (text) => {
      original = text;
      return text.replace('          unit: rps\n', '');
    });
    const issues = await issuesOf(dir);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.message).toBe('missing key "unit" (expected one of "ratio", "percent", "seconds", "rps", "per-minute", "count", "bytes", "pen", "bool")');
    expect(issues[0]!.line).toBe(lineOf(original, '- id: overview.rps'));
  });

  it('cross-checks playbook references, duplicate query ids and missing files', async () => {
    const dir = await packCopy('alerting.yaml', (text) => text.replace('playbook: database-slow', 'playbook: db-slow'));
    await writeFile(
      join(dir, 'dashboards.yaml'),
      (await readFile(join(dir, 'dashboards.yaml'), 'utf8')).replace('id: overview.rps', 'id: health.api'),
    );
    await rm(join(dir, 'postmortem-template.md'));
    const messages = (await issuesOf(dir)).map((i) => `${i.file.slice(dir.length + 1)}: ${i.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        'alerting.yaml: no playbook has the id "db-slow"',
        expect.stringMatching(/^dashboards\.yaml: query id "health\.api" is already used at dashboards\.yaml:\d+$/),
        expect.stringMatching(/^postmortem\.yaml: template "postmortem-template\.md" not found/),
      ]),
    );
  });

  it('rejects a rules file that is not a Prometheus rules file', async () => {
    const dir = await packCopy('rules.yml', () => 'rules:\n  - alert: X\n');
    const issues = await issuesOf(dir);
    expect(issues).toEqual([
      { file: join(dir, 'rules.yml'), line: 1, column: 1, message: 'missing key "groups" (expected a list)' },
    ]);
  });
});
