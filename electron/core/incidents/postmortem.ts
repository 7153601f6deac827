import type { Incident, JournalEntry } from '../../../shared/domain.js';
import type { Pack } from '../../../shared/pack.js';
import type { MetricsSource } from '../ports.js';
import { wallTime } from '../time/zoned-time.js';
import { sloBudgetAt } from '../handoff/slo-snapshots.js';

type Lang = 'es' | 'en';

/** One phrase the runbook's blameless rules (section 10.2) say to avoid, where it was found, and what to write instead. */
export interface BlamelessFinding {
  line: number;
  phrase: string;
  suggestion: string;
}

const fold = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

/** "El desarrollador X causó el incidente" → a pattern where X and Y stand for any one or two words. */
function patternOf(phrase: string): RegExp {
  const words = fold(phrase)
    .replace(/[.,;:!?…]+/g, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => (w === 'x' || w === 'y' ? '[\\p{L}\\p{N}_.@-]+(?:\\s+[\\p{L}\\p{N}_.@-]+)?' : w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  return new RegExp(`\\b${words.join('\\s+')}\\b`, 'u');
}

/**
 * Flags the pack's phrases to avoid (Spanish and English, accents and case ignored, X/Y as any name)
 * and suggests the pack's preferred form in the same language (avoid[i] → prefer[i]).
 */
export function checkBlameless(pack: Pack, text: string): BlamelessFinding[] {
  const { avoid, prefer } = pack.postmortem.blameless;
  const rules = avoid.flatMap((phrase, i) =>
    (['es', 'en'] as const).map((lang) => ({
      pattern: patternOf(phrase[lang]),
      suggestion: (prefer[i] ?? prefer[prefer.length - 1])?.[lang] ?? '',
    })),
  );
  const findings: BlamelessFinding[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = fold(raw);
    for (const rule of rules) {
      const m = rule.pattern.exec(line);
      if (m) findings.push({ line: index + 1, phrase: raw.slice(m.index, m.index + m[0].length), suggestion: rule.suggestion });
    }
  });
  return findings;
}

const text = {
  es: {
    title: 'Post-Mortem',
    date: 'Fecha del Incidente',
    authors: 'Autores',
    status: 'Status',
    severity: 'Severidad',
    summary: 'Resumen Ejecutivo',
    timeline: 'Timeline',
    time: 'Hora',
    event: 'Evento',
    impact: 'Impacto',
    duration: 'Duración',
    users: 'Usuarios Afectados',
    failed: 'Requests Fallidas',
    budget: 'SLO Impact',
    budgetLine: (id: string, from: string, to: string) => `Error budget de ${id}: ${from} → ${to} restante`,
    rootCause: 'Root Cause',
    immediate: 'Causa Inmediata',
    underlying: 'Causa Subyacente',
    detection: 'Detección',
    how: 'Cómo se detectó',
    detectTime: 'Tiempo de detección',
    improve: 'Cómo podría mejorarse',
    response: 'Respuesta',
    actions: 'Acciones tomadas',
    ack: 'Reconocido',
    good: 'Qué funcionó bien',
    bad: 'Qué no funcionó bien',
    lessons: 'Lessons Learned',
    learned: 'Qué Aprendimos',
    wentWell: 'Qué Salió Bien',
    wentWrong: 'Qué Salió Mal',
    lucky: 'Dónde Tuvimos Suerte',
    items: 'Action Items',
    itemsHead: '| Action | Type | Owner | Deadline | Status |',
    refs: 'Referencias',
    channel: 'Slack Channel',
    fill: '[completar]',
    unknown: 'no disponible (sin métricas para el periodo)',
    open: 'en curso',
    minutes: (n: number) => `${n} minutos`,
    afterStart: (n: number) => `${n} minuto(s) después del inicio del problema`,
    summaryText: (i: Incident, mins: string, actions: number) =>
      `${i.severity}: ${i.title}. ${i.alertName ? `Detectado por la alerta ${i.alertName}. ` : ''}Duración: ${mins}. ${actions} acción(es) de playbook registradas en la bitácora.`,
  },
  en: {
    title: 'Post-Mortem',
    date: 'Incident date',
    authors: 'Authors',
    status: 'Status',
    severity: 'Severity',
    summary: 'Executive Summary',
    timeline: 'Timeline',
    time: 'Time',
    event: 'Event',
    impact: 'Impact',
    duration: 'Duration',
    users: 'Affected users',
    failed: 'Failed requests',
    budget: 'SLO impact',
    budgetLine: (id: string, from: string, to: string) => `${id} error budget: ${from} → ${to} remaining`,
    rootCause: 'Root Cause',
    immediate: 'Immediate cause',
    underlying: 'Underlying cause',
    detection: 'Detection',
    how: 'How it was detected',
    detectTime: 'Time to detect',
    improve: 'How it could be improved',
    response: 'Response',
    actions: 'Actions taken',
    ack: 'Acknowledged',
    good: 'What went well',
    bad: 'What did not go well',
    lessons: 'Lessons Learned',
    learned: 'What we learned',
    wentWell: 'What went right',
    wentWrong: 'What went wrong',
    lucky: 'Where we got lucky',
    items: 'Action Items',
    itemsHead: '| Action | Type | Owner | Deadline | Status |',
    refs: 'References',
    channel: 'Slack channel',
    fill: '[to fill in]',
    unknown: 'not available (no metrics for the period)',
    open: 'ongoing',
    minutes: (n: number) => `${n} minutes`,
    afterStart: (n: number) => `${n} minute(s) after the problem started`,
    summaryText: (i: Incident, mins: string, actions: number) =>
      `${i.severity}: ${i.title}. ${i.alertName ? `Detected by the ${i.alertName} alert. ` : ''}Duration: ${mins}. ${actions} playbook action(s) recorded in the journal.`,
  },
} as const;

/** Markdown table cells: text from outside must not break the table or inject markup. */
export function mdCell(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ').replace(/([<>`*_[\]])/g, '\\$1');
}

/** Which journal kinds belong in an incident's timeline. */
const timelineKinds = new Set<JournalEntry['kind']>([
  'alert.firing',
  'alert.resolved',
  'page',
  'acknowledgement',
  'diagnosis',
  'action.started',
  'action.finished',
  'silence',
  'status.update',
  'incident.declared',
  'incident.phase',
  'incident.role',
  'incident.resolved',
  'note',
  'pinned',
]);

/** The entries of an incident's window (from detection to resolution, or now), for the timeline. */
export function incidentEntries(incident: Incident, entries: readonly JournalEntry[], now: number): JournalEntry[] {
  const from = incident.detectedAt - 60_000;
  const to = (incident.resolvedAt ?? now) + 60_000;
  return entries.filter((e) => timelineKinds.has(e.kind) && e.time >= from && e.time <= to).sort((a, b) => a.time - b.time);
}

/** A tool-independent query by id from the pack's dashboards (the demo answers by id too). */
function packQuery(pack: Pack, id: string) {
  for (const d of pack.dashboards) for (const p of d.panels) for (const q of p.queries) if (q.id === id) return q;
  return null;
}

/** Failed requests in the window: ∫ rps × error% dt, from the pack's request-rate and error-rate queries. */
async function failedRequests(pack: Pack, metrics: MetricsSource | null, from: number, to: number): Promise<number | null> {
  const rps = packQuery(pack, 'overview.rps');
  const errors = packQuery(pack, 'overview.error-rate');
  if (!metrics || !rps || !errors || to <= from) return null;
  const stepSeconds = Math.max(15, Math.round((to - from) / 1000 / 200));
  try {
    const [r, e] = await Promise.all([
      metrics.range({ id: rps.id, expr: rps.expr }, { start: from, end: to, stepSeconds }),
      metrics.range({ id: errors.id, expr: errors.expr }, { start: from, end: to, stepSeconds }),
    ]);
    const rp = r.data[0]?.points ?? [];
    const ep = new Map((e.data[0]?.points ?? []).map(([t, v]) => [t, v]));
    let total = 0;
    for (const [t, v] of rp) {
      const pct = ep.get(t);
      if (typeof v === 'number' && typeof pct === 'number') total += v * (pct / 100) * stepSeconds;
    }
    return Math.round(total);
  } catch {
    return null;
  }
}

/** HH:MM in the rotation's zone (the template's "Hora (UTC-5)"). */
function hhmm(pack: Pack, t: number): string {
  const w = wallTime(t, pack.rotation.handoff.timezone);
  return `${String(w.hour).padStart(2, '0')}:${String(w.minute).padStart(2, '0')}`;
}

/**
 * A post-mortem draft in the pack's template (runbook 10.1), filled from the incident's journal:
 * timeline, duration, failed requests from metrics where available, error budget consumed from the
 * journal's SLO snapshots, detection and response. What only people know stays as a placeholder.
 */
export async function draftPostmortem(
  pack: Pack,
  incident: Incident,
  entries: readonly JournalEntry[],
  opts: { lang: Lang; metrics: MetricsSource | null; now: number },
): Promise<string> {
  const L = text[opts.lang];
  const tz = pack.rotation.handoff.timezone;
  const end = incident.resolvedAt ?? opts.now;
  const mins = Math.round((end - incident.detectedAt) / 60_000);
  const own = incidentEntries(incident, entries, opts.now);
  const actions = own.filter((e) => e.kind === 'action.finished');
  const authors = [...new Set(own.filter((e) => e.actor !== 'guardia').map((e) => e.actor))];
  const date = new Date(incident.detectedAt).toLocaleDateString('sv-SE', { timeZone: tz });
  const durationText = `${L.minutes(mins)} (${hhmm(pack, incident.detectedAt)} - ${incident.resolvedAt ? hhmm(pack, incident.resolvedAt) : L.open})`;
  const failed = await failedRequests(pack, opts.metrics, incident.detectedAt, end);
  const budget = sloBudgetAt(entries, incident.detectedAt, end);
  const offset = (() => {
    const w = wallTime(incident.detectedAt, tz);
    const h = Math.round((Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute) - Math.floor(incident.detectedAt / 60_000) * 60_000) / 3_600_000);
    return `UTC${h >= 0 ? '+' : ''}${h}`;
  })();
  const pct = (v: number) => `${v.toFixed(1)}%`;
  const lines = [
    `# ${L.title}: ${incident.title}`,
    '',
    `**${L.date}**: ${date}`,
    `**${L.authors}**: ${authors.length ? authors.join(', ') : L.fill}`,
    `**${L.status}**: Draft`,
    `**${L.severity}**: ${incident.severity}`,
    '',
    `## ${L.summary}`,
    '',
    L.summaryText(incident, durationText, actions.length),
    '',
    L.fill,
    '',
    `## ${L.timeline}`,
    '',
    `| ${L.time} (${offset}) | ${L.event} |`,
    '|--------------|--------|',
    ...own.map((e) => `| ${hhmm(pack, e.time)} | ${mdCell(`${e.summary}${e.actor !== 'guardia' ? ` (${e.actor})` : ''}`)} |`),
    '',
    `## ${L.impact}`,
    '',
    `- **${L.duration}**: ${durationText}`,
    `- **${L.users}**: ${L.fill}`,
    `- **${L.failed}**: ${failed === null ? L.unknown : `~${failed.toLocaleString('en-US')}`}`,
    ...(budget.length
      ? budget.map((b) => `- **${L.budget}**: ${L.budgetLine(b.id, pct(b.start), pct(b.end))} (${pct(b.start - b.end)})`)
      : [`- **${L.budget}**: ${L.unknown}`]),
    '',
    `## ${L.rootCause}`,
    '',
    L.fill,
    '',
    `**${L.immediate}**:`,
    `- ${L.fill}`,
    '',
    `**${L.underlying}**:`,
    `- ${L.fill}`,
    '',
    `## ${L.detection}`,
    '',
    `**${L.how}**:`,
    `- ${incident.alertName ? `Prometheus alert: ${mdCell(incident.alertName)}` : L.fill}`,
    '',
    `**${L.detectTime}**:`,
    `- ${L.afterStart(Math.max(0, Math.round((incident.declaredAt - incident.detectedAt) / 60_000)))}`,
    '',
    `**${L.improve}**:`,
    `- ${L.fill}`,
    '',
    `## ${L.response}`,
    '',
    `**${L.actions}**:`,
    ...(actions.length ? actions.map((a) => `- ${hhmm(pack, a.time)} ${mdCell(a.summary)}`) : [`- ${L.fill}`]),
    ...(incident.acknowledgedAt ? ['', `**${L.ack}**: ${hhmm(pack, incident.acknowledgedAt)}`] : []),
    '',
    `**${L.good}**:`,
    `- ${L.fill}`,
    '',
    `**${L.bad}**:`,
    `- ${L.fill}`,
    '',
    `## ${L.lessons}`,
    '',
    `### ${L.learned}`,
    `1. ${L.fill}`,
    '',
    `### ${L.wentWell}`,
    `1. ${L.fill}`,
    '',
    `### ${L.wentWrong}`,
    `1. ${L.fill}`,
    '',
    `### ${L.lucky}`,
    `1. ${L.fill}`,
    '',
    `## ${L.items}`,
    '',
    L.itemsHead,
    '|--------|------|-------|----------|--------|',
    `| ${L.fill} | Prevent | ${L.fill} | ${L.fill} | Todo |`,
    '',
    `## ${L.refs}`,
    '',
    `- ${L.channel}: ${incident.warRoom}`,
    '',
  ];
  return lines.join('\n');
}
