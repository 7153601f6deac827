import type { Alert, HealthItem, PlaybookSummary, SloStatus } from '../../shared/domain.js';
import type { CoreEvent } from '../core/events/event-bus.js';

/** The 1h burn rate of an SLO, the figure the fast page condition reads. */
function burnOf1h(slo: SloStatus): number | null {
  return slo.burn?.windows.find((w) => w.window === '1h')?.burnRate ?? null;
}

/** Formats an SLO's objective the way the runbook writes it (≥ 99.9%, < 500 ms). */
export function formatObjective(slo: SloStatus): string {
  const o = slo.objective;
  if (o.kind === 'ratio') return `≥ ${o.target}%`;
  const op = o.comparator === 'lt' ? '<' : '≤';
  return `${op} ${formatValue(o.threshold, o.unit)}`;
}

export function formatValue(value: number | null, unit: 'percent' | 'seconds'): string {
  if (value === null) return '—';
  if (unit === 'percent') return `${trim(value.toFixed(value < 1 ? 3 : 2))}%`;
  return value < 1 ? `${Math.round(value * 1000)} ms` : `${trim(value.toFixed(2))} s`;
}

/** 0.100 → 0.1, 2.00 → 2: thresholds read as the runbook writes them. */
function trim(fixed: string): string {
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => pad(c, widths[i]!)).join('  ').trimEnd()).join('\n');
}

function age(since: number, now: number): string {
  const s = Math.max(0, Math.round((now - since) / 1000));
  if (s < 90) return `${s}s`;
  if (s < 5400) return `${Math.round(s / 60)}m`;
  return `${(s / 3600).toFixed(1)}h`;
}

export function formatAlerts(alerts: Alert[], now = Date.now()): string {
  if (alerts.length === 0) return 'No active alerts.';
  return table([
    ['SEV', 'ALERT', 'FOR', 'STATE', 'SUMMARY'],
    ...alerts.map((a) => [
      a.severity,
      a.name,
      age(a.startsAt, now),
      a.silenced ? 'silenced' : a.inhibited ? 'inhibited' : a.state,
      oneLine(a.summary),
    ]),
  ]);
}

/** Outside text can hold control characters: the terminal gets them escaped, never interpreted. */
function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex -- escaping control characters is the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function formatStatus(
  status: { environment: string; updatedAt: number | null; health: HealthItem[]; slos: SloStatus[]; alerts: Alert[]; stale: Array<{ source: string; since: number; reason: string }> },
  description: string,
): string {
  const lines = [`Guardia — ${description}`];
  if (status.updatedAt) lines.push(`Data as of ${new Date(status.updatedAt).toISOString()}`);
  for (const s of status.stale) lines.push(`STALE ${s.source} since ${new Date(s.since).toISOString()}: ${s.reason}`);
  if (status.health.length) lines.push('', `Health: ${status.health.map((h) => `${h.label.en} ${h.status.toUpperCase()}`).join('  ')}`);
  lines.push(
    '',
    table([
      ['SLO', 'SERVICE', 'SLI', 'TARGET', 'WINDOW', 'CURRENT', 'STATUS', 'BUDGET LEFT', 'BURN (1h)'],
      ...status.slos.map((s) => [
        s.id,
        s.service.en,
        s.sli.en,
        formatObjective(s),
        s.window,
        formatValue(s.current, s.unit),
        s.met === null ? (s.error ?? (s.current === null ? 'no data' : 'unknown')) : s.met ? 'ok' : 'BREACHED',
        s.errorBudget ? `${s.errorBudget.remainingPercent.toFixed(1)}%` : '—',
        s.burn ? `${s.burn.state}${burnOf1h(s) === null ? '' : ` ${burnOf1h(s)!.toFixed(1)}x`}` : '—',
      ]),
    ]),
    '',
    formatAlerts(status.alerts),
  );
  return lines.join('\n');
}

/** A multi-line runbook command on one line (continuations joined). */
function commandLine(command: string): string {
  return oneLine(command.replace(/\s*\\?\n\s*/g, ' ').trim());
}

export function formatPlaybooks(playbooks: PlaybookSummary[]): string {
  return playbooks
    .map((p) =>
      [
        `${p.id} — ${p.title.en} (runbook ${p.section})`,
        ...p.diagnosis.map((s) => `  diagnose ${s.id}: ${commandLine(s.command)}`),
        ...p.actions.map((a) => {
          const how = a.available
            ? `--confirm ${a.confirmTarget ?? a.choose.map((c) => c.placeholder).join(' ')}${a.choose.map((c) => ` --param ${c.name}=${c.placeholder}`).join('')}`
            : `unavailable: ${a.unavailableReason}`;
          return `  act ${a.id}${a.destructive ? ' (destructive)' : ''}: ${commandLine(a.command)}  [${how}]`;
        }),
      ].join('\n'),
    )
    .join('\n\n');
}

export function formatWatchEvent(event: CoreEvent): string {
  const time = new Date().toISOString().slice(11, 19);
  switch (event.channel) {
    case 'alerts.changed':
      return [
        ...event.payload.firing.map((a) => `${time} FIRING   ${a.severity} ${a.name}: ${oneLine(a.summary)}`),
        ...event.payload.resolved.map((a) => `${time} RESOLVED ${a.severity} ${a.name}`),
        `${time} ${event.payload.active} active alert(s)`,
      ].join('\n');
    case 'notifications.changed':
      return `${time} NOTIFY   ${event.payload.title}: ${oneLine(event.payload.body)}`;
    case 'journal.changed':
      return `${time} JOURNAL  ${event.payload.kind} ${oneLine(event.payload.summary)}`;
    case 'playbooks.changed':
      return event.payload.step
        ? `${time} STEP     ${event.payload.playbookId}/${event.payload.step.stepId} ${event.payload.step.status}: ${oneLine(event.payload.step.summary)}`
        : `${time} STEP     ${event.payload.playbookId} diagnosis finished`;
    case 'sources.changed':
      return `${time} SOURCE   ${event.payload.source} ${event.payload.status}${event.payload.reason ? `: ${event.payload.reason}` : ''}`;
    case 'slos.changed': {
      const breached = event.payload.slos.filter((s) => s.met === false).map((s) => s.id);
      return `${time} SLOS     ${breached.length ? `breached: ${breached.join(', ')}` : 'all met'}`;
    }
    case 'metrics.changed': {
      const down = event.payload.health.filter((h) => h.status !== 'up').map((h) => `${h.id} ${h.status}`);
      return `${time} METRICS  ${Object.keys(event.payload.values).length} series${down.length ? `; ${down.join(', ')}` : ''}`;
    }
    case 'paging.changed':
      return [
        ...event.payload.added.map((i) => `${time} PAGED    #${i.number} ${oneLine(i.title)}`),
        `${time} PAGING   ${event.payload.incidents.length} open incident(s)`,
      ].join('\n');
    default:
      // Domains without a one-line summary still show up, so nothing core emits is invisible here.
      return `${time} EVENT    ${event.channel}`;
  }
}
