/** The Redis reads of the runbook's §9.3 ("Redis down"); the real client and the demo implement it. */
export interface RedisPort {
  readonly name: string;
  /** host:port, for "where" (never the password). */
  readonly where: string;
  ping(signal?: AbortSignal): Promise<string>;
  dbsize(signal?: AbortSignal): Promise<number>;
  /** The INFO reply, parsed into section → key → value. */
  info(signal?: AbortSignal): Promise<Record<string, Record<string, string>>>;
  close(): Promise<void>;
}

/** Parses Redis INFO text ("# Section" headers, "key:value" lines). */
export function parseInfo(text: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  let section = 'default';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    if (line.startsWith('#')) {
      section = line.slice(1).trim().toLowerCase();
      out[section] ??= {};
      continue;
    }
    const i = line.indexOf(':');
    if (i < 1) continue;
    (out[section] ??= {})[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}
