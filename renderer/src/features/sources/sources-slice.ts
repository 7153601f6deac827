import type { EventPayload } from '../../../../shared/contract';
import type { SliceCreator } from '../../store/store';

/** Why a source's data is old, as core reported it. */
export type StaleSource = { since: number; reason: string };

/** Which data sources core currently reports as stale (Prometheus down, Alertmanager unreachable…). */
export type SourcesSlice = {
  staleSources: Record<string, StaleSource>;
  applySourceChange(change: EventPayload<'sources.changed'>): void;
  /** Replaces the whole set from a snapshot (`status.get`). */
  setStaleSources(list: readonly { source: string; since: number; reason: string }[]): void;
  /** Sets or clears one source from a response's own `stale` field. */
  setSourceStale(source: string, stale: StaleSource | null): void;
};

export const createSourcesSlice: SliceCreator<SourcesSlice> = (set) => ({
  staleSources: {},
  applySourceChange: (change) =>
    set((s) => {
      const next = { ...s.staleSources };
      if (change.status === 'stale') {
        next[change.source] = { since: change.since ?? Date.now(), reason: change.reason ?? '' };
      } else {
        delete next[change.source];
      }
      return { staleSources: next };
    }),
  setStaleSources: (list) =>
    set({ staleSources: Object.fromEntries(list.map((s) => [s.source, { since: s.since, reason: s.reason }])) }),
  setSourceStale: (source, stale) =>
    set((s) => {
      if (!stale && !(source in s.staleSources)) return {};
      const next = { ...s.staleSources };
      if (stale) next[source] = stale;
      else delete next[source];
      return { staleSources: next };
    }),
});
