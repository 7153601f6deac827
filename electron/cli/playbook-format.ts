import type { ActionPreview, StepOutput, StepResult, TableOutput } from '../../shared/diagnosis.js';

const statusMark: Record<StepResult['status'], string> = {
  ok: 'ok',
  error: 'ERROR',
  timeout: 'TIMEOUT',
  unsupported: 'unsupported',
  manual: 'manual',
  'needs-input': 'needs input',
};

function clip(text: string, width: number): string {
  const one = text.replace(/\s+/g, ' ');
  return one.length > width ? `${one.slice(0, width - 1)}…` : one;
}

/** A table as psql/kubectl print it: padded columns, long cells clipped. */
export function formatTable(t: TableOutput, maxRows = 20): string {
  const cells = t.rows.slice(0, maxRows).map((r) => r.map((c) => clip(c === null ? '' : String(c), 60)));
  const widths = t.columns.map((c, i) => Math.max(c.length, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  const out = [line(t.columns), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)];
  if (t.rows.length > maxRows) out.push(`(${t.rows.length - maxRows} more rows)`);
  if (t.rows.length === 0) out.push('(0 rows)');
  if (t.note) out.push(t.note);
  return out.join('\n');
}

function formatOutput(o: StepOutput): string {
  if (o.kind === 'table') return formatTable(o);
  if (o.kind === 'text') return o.text.split('\n').slice(-30).join('\n') || '(no output)';
  return '';
}

/** One diagnosis step: status line, the runbook's command, then its result. */
export function formatStep(s: StepResult): string {
  const command = s.command.split('\n').map((l) => `  $ ${l}`).join('\n');
  const body = formatOutput(s.output);
  return [`[${statusMark[s.status]}] ${s.stepId} (${s.durationMs} ms): ${s.summary}`, command, body && body.split('\n').map((l) => `    ${l}`).join('\n')]
    .filter(Boolean)
    .join('\n');
}

/** What an action will do, shown before the cancel window (stderr). */
export function formatPreview(p: ActionPreview): string {
  const lines = [`Target: ${[p.where.context && `context ${p.where.context}`, p.where.namespace && `namespace ${p.where.namespace}`, p.where.object].filter(Boolean).join(' / ')} (environment ${p.environment}${p.production ? ', PRODUCTION' : ''})`];
  if (p.access) lines.push(`RBAC: ${p.access.allowed ? 'allowed' : 'DENIED'}${p.access.reason ? ` (${p.access.reason})` : ''}`);
  if (p.dryRun) lines.push(`Server dry run: ${p.dryRun.ok ? 'ok' : 'FAILED'}: ${p.dryRun.message}`);
  for (const d of p.diff) lines.push(`  ${d.path}: ${d.before ?? '(unset)'} → ${d.after ?? '(removed)'}`);
  if (p.affected) lines.push('Will touch:', formatTable(p.affected));
  if (p.blocked) lines.push(`Blocked: ${p.blocked}`);
  return lines.join('\n');
}
