import type { StaleSource } from './sources-slice';

/** A source is considered silent after this many missed refreshes. */
export const staleAfterRefreshes = 3;

export type Staleness = {
  stale: boolean;
  /** Newest sample time, or null before the first one. */
  lastUpdatedAt: number | null;
  /** now − lastUpdatedAt, or null before the first sample. */
  ageMs: number | null;
  /** Since when the data is stale (for "stale since HH:MM"). */
  since: number | null;
  /** 'silent' = no metrics.changed for 3× refreshSeconds; 'source' = core reported a stale source. */
  reason: { kind: 'silent' } | { kind: 'source'; text: string } | null;
};

export type StalenessInput = {
  /** When metrics last arrived (local clock). */
  lastMetricsAt: number | null;
  /** When the window opened: silence is measured from here until the first sample. */
  startedAt: number;
  /** null until app.getInfo answered: no silence verdict without knowing the interval. */
  refreshSeconds: number | null;
  staleSources: Readonly<Record<string, StaleSource>>;
  now: number;
};

/**
 * Whether the numbers on screen can be trusted. An on-call engineer must never read an old value as
 * current, so the header turns stale either when core says a source is stale or when the live stream
 * has been silent for 3 refresh intervals (which core cannot report if it is the one that died).
 */
export function selectStaleness(input: StalenessInput): Staleness {
  const { lastMetricsAt, startedAt, refreshSeconds, staleSources, now } = input;
  const ageMs = lastMetricsAt === null ? null : Math.max(0, now - lastMetricsAt);
  const entries = Object.entries(staleSources).sort(([, a], [, b]) => a.since - b.since);
  if (entries.length > 0) {
    const text = entries.map(([source, s]) => (s.reason ? `${source}: ${s.reason}` : source)).join(' · ');
    return { stale: true, lastUpdatedAt: lastMetricsAt, ageMs, since: entries[0]![1].since, reason: { kind: 'source', text } };
  }
  if (refreshSeconds !== null) {
    const reference = lastMetricsAt ?? startedAt;
    if (now - reference > staleAfterRefreshes * refreshSeconds * 1000) {
      return { stale: true, lastUpdatedAt: lastMetricsAt, ageMs, since: reference, reason: { kind: 'silent' } };
    }
  }
  return { stale: false, lastUpdatedAt: lastMetricsAt, ageMs, since: null, reason: null };
}
