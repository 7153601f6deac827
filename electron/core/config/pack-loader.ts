import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { z } from 'zod';
import { packFiles, packSchema, type Pack } from '../../../shared/pack.js';
import { ConfigError, YamlSource, type ConfigIssue } from './errors.js';
import { durationMinutes } from '../slo/slo-math.js';

export { ConfigError, formatIssues, type ConfigIssue } from './errors.js';

type Section = keyof Pack;

/** An alerting rule of the pack's Prometheus rules file, as Guardia needs it. */
export interface AlertRule {
  group: string;
  name: string;
  expr: string;
  for: string | null;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

const promDuration = z.string().regex(/^(\d+(ms|s|m|h|d|w|y))+$/, 'expected a Prometheus duration such as 5m');
const promRule = z
  .object({
    alert: z.string().min(1).optional(),
    record: z.string().min(1).optional(),
    expr: z.union([z.string().min(1), z.number()]),
    for: promDuration.optional(),
    keep_firing_for: promDuration.optional(),
    labels: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
    annotations: z.record(z.string(), z.string()).optional(),
  })
  .refine((r) => (r.alert === undefined) !== (r.record === undefined), {
    message: 'a rule needs exactly one of "alert" or "record"',
  });
/** The parts of a Prometheus rules file (rule_files) Guardia reads; promtool remains the full check. */
const promRulesFile = z.object({
  groups: z
    .array(
      z.object({
        name: z.string().min(1),
        interval: promDuration.optional(),
        rules: z.array(promRule),
      }),
    )
    .min(1),
});

interface Loaded {
  sources: Partial<Record<Section, YamlSource>>;
  issues: ConfigIssue[];
}

/**
 * Reads and validates a pack folder (one YAML file per section, see `packFiles`), then cross-checks the
 * sections against each other and against the rules and template files. Throws a ConfigError listing
 * every problem with its file, line and column; returns the pack only when there is none.
 */
export async function loadPack(dir: string): Promise<Pack> {
  const root = resolve(dir);
  const issues: ConfigIssue[] = [];
  const dirStat = await stat(root).catch(() => null);
  if (!dirStat?.isDirectory()) {
    throw new ConfigError(
      [{ file: root, line: 1, column: 1, message: 'pack folder not found' }],
      `invalid pack ${root}`,
    );
  }

  const { sources, issues: fileIssues } = await readSections(root);
  issues.push(...fileIssues);

  const parts: Partial<Record<Section, unknown>> = {};
  for (const section of Object.keys(packFiles) as Section[]) {
    const source = sources[section];
    if (!source) continue;
    const result = packSchema.shape[section].safeParse(source.value);
    if (result.success) parts[section] = result.data;
    else issues.push(...source.zodIssues(result.error.issues));
  }

  if (issues.length === 0) {
    const pack = parts as Pack;
    issues.push(...(await crossCheck(root, pack, sources as Record<Section, YamlSource>)));
    if (issues.length === 0) return pack;
  }
  throw new ConfigError(issues, `invalid pack ${root}`);
}

/** Reads the alerting rules of a loaded pack's rules file (the pack's own copy of runbook section 5.2). */
export async function loadAlertRules(dir: string, pack: Pack): Promise<AlertRule[]> {
  const { rules, issues } = await readRules(resolve(dir), pack.alerting.rulesFile);
  if (issues.length > 0) throw new ConfigError(issues, `invalid rules file in ${dir}`);
  return rules;
}

async function readSections(root: string): Promise<Loaded> {
  const sources: Partial<Record<Section, YamlSource>> = {};
  const issues: ConfigIssue[] = [];
  await Promise.all(
    (Object.entries(packFiles) as Array<[Section, string]>).map(async ([section, name]) => {
      const file = join(root, name);
      const text = await readText(file, issues);
      if (text === null) return;
      const source = YamlSource.parse(file, text);
      if (source.syntaxIssues.length > 0) {
        issues.push(...source.syntaxIssues);
        return;
      }
      if (source.empty) {
        issues.push({ file, line: 1, column: 1, message: `the file is empty (it should hold the pack's ${section})` });
        return;
      }
      sources[section] = source;
    }),
  );
  // Promise.all finishes in any order: keep the report stable.
  issues.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
  return { sources, issues };
}

async function readText(file: string, issues: ConfigIssue[]): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const message = code === 'ENOENT' ? 'file not found' : `cannot read the file (${code ?? String(e)})`;
    issues.push({ file, line: 1, column: 1, message });
    return null;
  }
}

/** A file the pack names (rules, template): must be a relative path that stays inside the pack folder. */
function packRelative(root: string, name: string): string | null {
  if (isAbsolute(name)) return null;
  const full = resolve(root, name);
  const rel = relative(root, full);
  return rel.startsWith('..') || isAbsolute(rel) ? null : full;
}

async function readRules(root: string, rulesFile: string): Promise<{ rules: AlertRule[]; issues: ConfigIssue[] }> {
  const issues: ConfigIssue[] = [];
  const file = packRelative(root, rulesFile);
  if (!file) {
    const at = join(root, packFiles.alerting);
    return { rules: [], issues: [{ file: at, line: 1, column: 1, message: `rulesFile "${rulesFile}" must stay inside the pack folder` }] };
  }
  const text = await readText(file, issues);
  if (text === null) return { rules: [], issues };
  const source = YamlSource.parse(file, text);
  if (source.syntaxIssues.length > 0) return { rules: [], issues: source.syntaxIssues };
  const parsed = promRulesFile.safeParse(source.value);
  if (!parsed.success) return { rules: [], issues: source.zodIssues(parsed.error.issues) };
  const rules: AlertRule[] = [];
  for (const group of parsed.data.groups) {
    for (const r of group.rules) {
      if (r.alert === undefined) continue;
      rules.push({
        group: group.name,
        name: r.alert,
        expr: String(r.expr),
        for: r.for ?? null,
        labels: Object.fromEntries(Object.entries(r.labels ?? {}).map(([k, v]) => [k, String(v)])),
        annotations: r.annotations ?? {},
      });
    }
  }
  return { rules, issues };
}

function hhmm(t: string): number {
  const [h, m] = t.split(':').map(Number);
  return h! * 60 + m!;
}

async function crossCheck(root: string, pack: Pack, src: Record<Section, YamlSource>): Promise<ConfigIssue[]> {
  const issues: ConfigIssue[] = [];
  const where = (section: Section, path: PropertyKey[]) => {
    const s = src[section];
    const at = s.locate(path);
    return `${packFiles[section]}:${at.line}`;
  };
  const unique = (section: Section, items: Array<{ id: string; path: PropertyKey[] }>, what: string) => {
    const seen = new Map<string, PropertyKey[]>();
    for (const item of items) {
      const first = seen.get(item.id);
      if (first) issues.push(src[section].issueAt(item.path, `${what} "${item.id}" is already used at ${where(section, first)}`));
      else seen.set(item.id, item.path);
    }
  };

  // Ids other parts refer to are unique.
  unique('slos', pack.slos.map((s, i) => ({ id: s.id, path: [i, 'id'] })), 'SLO id');
  unique('dashboards', pack.dashboards.map((d, i) => ({ id: d.id, path: [i, 'id'] })), 'dashboard id');
  pack.dashboards.forEach((d, di) =>
    unique('dashboards', d.panels.map((p, pi) => ({ id: p.id, path: [di, 'panels', pi, 'id'] })), 'panel id'),
  );
  unique('playbooks', pack.playbooks.map((p, i) => ({ id: p.id, path: [i, 'id'] })), 'playbook id');
  pack.playbooks.forEach((p, pi) =>
    unique(
      'playbooks',
      [
        ...p.diagnosis.map((s, si) => ({ id: s.id, path: [pi, 'diagnosis', si, 'id'] })),
        ...p.actions.map((a, ai) => ({ id: a.id, path: [pi, 'actions', ai, 'id'] })),
      ],
      `step id in playbook "${p.id}"`,
    ),
  );
  unique('severities', pack.severities.map((s, i) => ({ id: s.id, path: [i, 'id'] })), 'severity');
  unique('alerting', pack.alerting.runbooks.map((r, i) => ({ id: r.alert, path: ['runbooks', i, 'alert'] })), 'runbook for alert');

  // Query ids are unique across the whole pack: caches and the demo key on them.
  const queryIds = new Map<string, { section: Section; path: PropertyKey[] }>();
  const addQuery = (id: string, section: Section, path: PropertyKey[]) => {
    const first = queryIds.get(id);
    if (first) issues.push(src[section].issueAt(path, `query id "${id}" is already used at ${where(first.section, first.path)}`));
    else queryIds.set(id, { section, path });
  };
  pack.slos.forEach((s, i) => addQuery(s.query.id, 'slos', [i, 'query', 'id']));
  pack.dashboards.forEach((d, di) =>
    d.panels.forEach((p, pi) => p.queries.forEach((q, qi) => addQuery(q.id, 'dashboards', [di, 'panels', pi, 'queries', qi, 'id']))),
  );

  // SLOs: the query answers in the objective's unit, and the stated budget matches the target.
  pack.slos.forEach((s, i) => {
    const unit = s.objective.kind === 'ratio' ? 'percent' : s.objective.unit;
    if (s.query.unit !== unit) {
      issues.push(src.slos.issueAt([i, 'query', 'unit'], `the SLO's query must return ${unit} (the objective's unit), not ${s.query.unit}`));
    }
    if (s.errorBudgetMinutes === undefined) return;
    if (s.objective.kind !== 'ratio') {
      issues.push(src.slos.issueAt([i, 'errorBudgetMinutes'], 'errorBudgetMinutes only applies to ratio (availability) objectives'));
      return;
    }
    const expected = durationMinutes(s.window) * (1 - s.objective.target / 100);
    if (Math.abs(expected - s.errorBudgetMinutes) > 0.05) {
      issues.push(
        src.slos.issueAt(
          [i, 'errorBudgetMinutes'],
          `error budget of ${s.errorBudgetMinutes} min does not match ${s.objective.target}% over ${s.window} (expected ${round(expected)} min)`,
        ),
      );
    }
  });

  // Alerting: the rules file exists and parses; everything that names an alert or a playbook is right.
  const rulesPath = packRelative(root, pack.alerting.rulesFile);
  const rulesStat = rulesPath ? await stat(rulesPath).catch(() => null) : null;
  let rules: AlertRule[] = [];
  let checkAlerts = false;
  if (!rulesPath) {
    issues.push(src.alerting.issueAt(['rulesFile'], `rulesFile "${pack.alerting.rulesFile}" must stay inside the pack folder`));
  } else if (!rulesStat?.isFile()) {
    issues.push(src.alerting.issueAt(['rulesFile'], `rules file "${pack.alerting.rulesFile}" not found in ${root}`));
  } else {
    const read = await readRules(root, pack.alerting.rulesFile);
    issues.push(...read.issues);
    rules = read.rules;
    checkAlerts = read.issues.length === 0;
  }
  const alertNames = new Set(rules.map((r) => r.name));
  const playbooks = new Map(pack.playbooks.map((p) => [p.id, p]));
  pack.alerting.runbooks.forEach((r, i) => {
    if (checkAlerts && !alertNames.has(r.alert)) {
      issues.push(src.alerting.issueAt(['runbooks', i, 'alert'], `no rule in ${pack.alerting.rulesFile} is named "${r.alert}"`));
    }
    if (r.playbook === undefined) return;
    const playbook = playbooks.get(r.playbook);
    if (!playbook) {
      issues.push(src.alerting.issueAt(['runbooks', i, 'playbook'], `no playbook has the id "${r.playbook}"`));
    } else if (!playbook.alerts.includes(r.alert)) {
      issues.push(
        src.alerting.issueAt(['runbooks', i, 'playbook'], `playbook "${r.playbook}" does not list "${r.alert}" in its alerts`),
      );
    }
  });
  if (checkAlerts) {
    for (const name of Object.keys(pack.alerting.overrides)) {
      if (!alertNames.has(name)) {
        issues.push({ file: src.alerting.file, ...src.alerting.locateKey(['overrides'], name), message: `no rule in ${pack.alerting.rulesFile} is named "${name}"` });
      }
    }
    pack.playbooks.forEach((p, pi) =>
      p.alerts.forEach((a, ai) => {
        if (!alertNames.has(a)) {
          issues.push(src.playbooks.issueAt([pi, 'alerts', ai], `no rule in ${pack.alerting.rulesFile} is named "${a}"`));
        }
      }),
    );
  }

  // Post-mortem template exists.
  const template = packRelative(root, pack.postmortem.templateFile);
  const templateStat = template ? await stat(template).catch(() => null) : null;
  if (!templateStat?.isFile()) {
    issues.push(
      src.postmortem.issueAt(
        ['templateFile'],
        template ? `template "${pack.postmortem.templateFile}" not found in ${root}` : `templateFile "${pack.postmortem.templateFile}" must stay inside the pack folder`,
      ),
    );
  }

  // Times that must run forwards.
  pack.incidents.phases.forEach((p, i) => {
    if (p.endMinute <= p.startMinute) {
      issues.push(src.incidents.issueAt(['phases', i, 'endMinute'], `phase "${p.id}" ends (minute ${p.endMinute}) before it starts (minute ${p.startMinute})`));
    }
  });
  const { schedule, maxDurationMinutes } = pack.maintenance;
  const windowMinutes = hhmm(schedule.end) - hhmm(schedule.start);
  if (windowMinutes <= 0) {
    issues.push(src.maintenance.issueAt(['schedule', 'end'], `the window ends (${schedule.end}) before it starts (${schedule.start})`));
  } else if (windowMinutes > maxDurationMinutes) {
    issues.push(
      src.maintenance.issueAt(['maxDurationMinutes'], `the window ${schedule.start}-${schedule.end} lasts ${windowMinutes} min, more than maxDurationMinutes`),
    );
  }
  pack.rotation.shifts.forEach((s, i) => {
    if (s.end < s.start) issues.push(src.rotation.issueAt(['shifts', i, 'end'], `shift ends (${s.end}) before it starts (${s.start})`));
  });

  return issues;
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

/** Loads a pack and returns its issues instead of throwing (for `guardia check`). */
export async function checkPack(dir: string): Promise<ConfigIssue[]> {
  try {
    await loadPack(dir);
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return e.issues;
    return [{ file: resolve(dir), line: 1, column: 1, message: e instanceof Error ? e.message : String(e) }];
  }
}
