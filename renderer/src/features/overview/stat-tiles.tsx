import { useMemo } from 'react';
import { useFormatters, useI18n } from '../../i18n/use-i18n';
import { chartTheme, measureColour } from '../../lib/theme';
import { useGuardia } from '../../store/guardia-context';
import { latestValue, statTiles, thresholdTone, type StatTile } from '../metrics/metrics-selectors';
import type { PanelMeta } from '../metrics/metrics-slice';
import { Sparkline } from './sparkline';

const toneColour = { ok: chartTheme.ok, warn: chartTheme.warn, bad: chartTheme.bad, unknown: '#6e7787', neutral: '' } as const;

function Tile({ tile, windowStart }: { tile: StatTile; windowStart: number }) {
  const { t, pick } = useI18n();
  const fmt = useFormatters();
  const buffers = useGuardia((s) => s.buffers);
  useGuardia((s) => s.seriesVersion); // re-render on every tick: buffers are mutated in place
  const value = latestValue(buffers, tile.series.key);
  const points = (buffers[tile.series.key]?.toArray() ?? []).filter(([time]) => time >= windowStart);
  const higherIsWorse = tile.measure !== 'success-rate' && tile.series.unit !== 'bool';
  // a panel's thresholds are written for its "bad" measure (error rate, latency); a success rate
  // sharing that panel is not judged by them
  const thresholds = tile.panel.series.length === 1 || higherIsWorse ? tile.panel.thresholds : undefined;
  const tone = thresholdTone(value, thresholds, higherIsWorse);
  const label = tile.measure
    ? t(`stat.${tile.measure}`)
    : tile.panel.series.length > 1
      ? `${pick(tile.panel.title)} · ${tile.series.legend}`
      : pick(tile.panel.title);
  const colour = (tile.measure && measureColour[tile.measure]) || toneColour[tone] || '#8ab8ff';
  return (
    <div className={`tile tone-${tone}`} data-testid={`tile-${tile.id}`}>
      <div className="tile-label" title={label}>
        {label}
      </div>
      <div className="tile-value" data-testid={`stat-${tile.id}`}>
        {fmt.measure(value, tile.series.unit)}
      </div>
      <Sparkline points={points} colour={tone === 'neutral' || tone === 'ok' ? colour : toneColour[tone]} />
    </div>
  );
}

/**
 * The headline numbers: request rate, success and error rate, p50/p95/p99, then any other stat
 * panels of the dashboard. Each value is the newest sample of its live series.
 */
export function StatTiles({ panels, windowStart }: { panels: readonly PanelMeta[]; windowStart: number }) {
  const { pick } = useI18n();
  const tiles = useMemo(() => statTiles(panels), [panels]);
  const failed = panels.filter((p) => p.kind === 'stat' && p.error);
  if (tiles.length === 0 && failed.length === 0) return null;
  return (
    <div className="tiles" data-testid="stat-tiles">
      {tiles.map((tile) => (
        <Tile key={`${tile.id}|${tile.series.key}`} tile={tile} windowStart={windowStart} />
      ))}
      {failed.map((panel) => (
        <div className="tile tone-bad tile-error" key={panel.id} data-testid="panel-error" role="alert">
          <div className="tile-label">{pick(panel.title)}</div>
          <div className="tile-error-text mono">{panel.error}</div>
        </div>
      ))}
    </div>
  );
}
