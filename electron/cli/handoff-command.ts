import { writeFile } from 'node:fs/promises';
import { GuardiaError } from '../../shared/result.js';
import type { Guardia } from '../core/compose.js';

/** Parses an ISO time (or epoch ms) from a flag, naming the flag when it is not one. */
function timeFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const t = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(t)) throw new GuardiaError('cli.bad-time', `--${name} needs an ISO time such as 2025-11-25T09:00:00-05:00, got "${value}"`);
  return t;
}

/**
 * `guardia handoff [--from ISO] [--to ISO] [--format md|html|json] [--out FILE] [--lang es|en]`:
 * the shift handoff summary from the journal in GUARDIA_HOME (default: the current shift up to now).
 * Journal damage (a line torn by a crash) is part of the summary and also said on stderr.
 */
export async function handoffCommand(
  g: Guardia,
  flags: { from?: string; to?: string; format?: string; out?: string; lang?: string },
  write: (text: string) => void,
  warn: (text: string) => void,
): Promise<void> {
  const format = flags.format ?? 'md';
  if (!['md', 'html', 'json'].includes(format)) throw new GuardiaError('cli.bad-format', `--format must be md, html or json, got "${format}"`);
  const lang = flags.lang ?? g.core.pack.manifest.defaultLocale;
  if (lang !== 'es' && lang !== 'en') throw new GuardiaError('cli.bad-lang', `--lang must be es or en, got "${lang}"`);
  const result = await g.core.invoke('handoff.getSummary', { from: timeFlag('from', flags.from), to: timeFlag('to', flags.to), format, lang });
  if (!result.ok) throw new GuardiaError(result.error.code, result.error.message);
  const { content } = result.value as { content: string };
  const journal = await g.core.invoke('journal.list', { limit: 1 });
  const damage = journal.ok ? ((journal.value as { damage?: unknown[] }).damage ?? []) : [];
  if (damage.length) warn(`warning: the journal has ${damage.length} damaged line(s); the summary lists them`);
  if (flags.out) {
    await writeFile(flags.out, content);
    write(`wrote ${flags.out}`);
  } else {
    write(content.trimEnd());
  }
}
