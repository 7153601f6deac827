import type { EventPayload } from '../../../../shared/contract';
import type { DashboardData, HealthItem, PanelData, Series } from '../../../../shared/domain';
import type { Localized } from '../../../../shared/pack';
import type { ErrorInfo } from '../../../../shared/result';
import { appendSample, RingBuffer } from '../../lib/ring-buffer';
import type { SliceCreator } from '../../store/store';

/** Points kept per live series: enough for a smooth chart, constant memory over a 12 h shift. */
export const defaultSeriesCapacity = 240;
/** Upper bound when the loaded history is denser (a 24 h range at 1 min steps). */
export const maxSeriesCapacity = 1440;

/** A series without its points: the points live in the ring buffer under the same key. */
export type SeriesMeta = Omit<Series, 'points'>;
/** A panel as the Overview lays it out; values come from `buffers`. */
export type PanelMeta = Omit<PanelData, 'series'> & { series: SeriesMeta[] };

/** Live dashboard data: panel layout, one ring buffer per series key, and the health row. */
export type MetricsSlice = {
  dashboardId: string | null;
  dashboardTitle: Localized | null;
  rangeMinutes: number;
  panels: PanelMeta[];
  /**
   * Series key → samples. Buffers are mutated in place by live ticks (no copy of 240×N points per
   * tick); `seriesVersion` is the change signal components depend on.
   */
  buffers: Record<string, RingBuffer>;
  seriesVersion: number;
  /** Keep live samples at least this far apart so the buffer spans the whole selected range. */
  minStepMs: number;
  /** Time of the newest metrics sample (core's clock, epoch ms): the right edge of the charts. */
  lastMetricsAt: number | null;
  /**
   * When metrics last arrived, on this machine's clock: what freshness is judged by ("no
   * metrics.changed arrived for 3× refreshSeconds"), immune to a core clock that runs ahead (demo speed).
   */
  metricsReceivedAt: number | null;
  dashboardStatus: 'idle' | 'loading' | 'ready' | 'error';
  dashboardError: ErrorInfo | null;
  health: HealthItem[];
  dashboardLoading(id: string, rangeMinutes: number): void;
  dashboardLoaded(data: DashboardData, rangeMinutes: number): void;
  dashboardFailed(error: ErrorInfo): void;
  /** Applies one or more `metrics.changed` ticks (coalesced), bumping the version once. */
  applyMetrics(ticks: readonly EventPayload<'metrics.changed'>[]): void;
  setHealth(health: HealthItem[]): void;
  noteMetricsTime(time: number | null): void;
};

/** Capacity for a series whose loaded history has `historyPoints` points. */
export function capacityFor(historyPoints: number): number {
  return Math.min(maxSeriesCapacity, Math.max(defaultSeriesCapacity, historyPoints));
}

/**
 * Freshness after a snapshot: data core says is from `updatedAt` counts as received then, but never
 * later than now (a core clock ahead of ours must not make the data look fresher than it is).
 */
export function receivedFromSnapshot(previous: number | null, updatedAt: number | null, now = Date.now()): number | null {
  if (updatedAt === null) return previous;
  return Math.max(previous ?? 0, Math.min(now, updatedAt));
}

export const createMetricsSlice: SliceCreator<MetricsSlice> = (set, get) => ({
  dashboardId: null,
  dashboardTitle: null,
  rangeMinutes: 15,
  panels: [],
  buffers: {},
  seriesVersion: 0,
  minStepMs: 0,
  lastMetricsAt: null,
  metricsReceivedAt: null,
  dashboardStatus: 'idle',
  dashboardError: null,
  health: [],
  dashboardLoading: (dashboardId, rangeMinutes) =>
    set((s) => ({
      dashboardId,
      rangeMinutes,
      dashboardStatus: 'loading',
      dashboardError: null,
      // keep the old panels visible while a new range loads, unless the dashboard itself changed
      ...(s.dashboardId !== dashboardId ? { panels: [], buffers: {}, dashboardTitle: null } : {}),
    })),
  dashboardLoaded: (data, rangeMinutes) => {
    const longest = Math.max(0, ...data.panels.flatMap((p) => p.series.map((s) => s.points.length)));
    const capacity = capacityFor(longest);
    const buffers: Record<string, RingBuffer> = {};
    for (const panel of data.panels) {
      for (const series of panel.series) {
        if (!buffers[series.key]) buffers[series.key] = RingBuffer.from(series.points, capacity);
      }
    }
    const panels: PanelMeta[] = data.panels.map((panel) => ({
      ...panel,
      series: panel.series.map(({ points: _points, ...meta }) => meta),
    }));
    const prev = get().lastMetricsAt;
    const received = receivedFromSnapshot(get().metricsReceivedAt, data.updatedAt);
    set((s) => ({
      dashboardId: data.id,
      dashboardTitle: data.title,
      rangeMinutes,
      panels,
      buffers,
      minStepMs: (rangeMinutes * 60_000) / capacity,
      seriesVersion: s.seriesVersion + 1,
      dashboardStatus: 'ready',
      dashboardError: null,
      lastMetricsAt: data.updatedAt === null ? prev : Math.max(prev ?? 0, data.updatedAt),
      metricsReceivedAt: received,
    }));
  },
  dashboardFailed: (dashboardError) => set({ dashboardStatus: 'error', dashboardError }),
  applyMetrics: (ticks) => {
    if (ticks.length === 0) return;
    const { buffers, minStepMs } = get();
    let latest = get().lastMetricsAt ?? 0;
    let health: HealthItem[] | null = null;
    for (const tick of ticks) {
      for (const [key, value] of Object.entries(tick.values)) {
        const buffer = buffers[key];
        if (buffer) appendSample(buffer, tick.time, value, minStepMs);
      }
      if (tick.health.length > 0) health = tick.health;
      latest = Math.max(latest, tick.time);
    }
    set((s) => ({
      seriesVersion: s.seriesVersion + 1,
      lastMetricsAt: latest,
      metricsReceivedAt: Date.now(),
      ...(health ? { health } : {}),
    }));
  },
  setHealth: (health) => set({ health }),
  noteMetricsTime: (time) => {
    if (time === null) return;
    set((s) => ({
      lastMetricsAt: Math.max(s.lastMetricsAt ?? 0, time),
      metricsReceivedAt: receivedFromSnapshot(s.metricsReceivedAt, time),
    }));
  },
});
