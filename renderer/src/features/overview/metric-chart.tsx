import { memo, useMemo, useRef, useState } from 'react';
import {
  Area,
  CartesianGrid,
  ComposedChart,
  Line,
  ReferenceLine,
  Tooltip,
  XAxis,
  YAxis,
  type TooltipContentProps,
} from 'recharts';
import type { Unit } from '../../../../shared/pack';
import { PanelCard } from '../../components/panel-card';
import type { Formatters } from '../../i18n/format';
import { useFormatters, useI18n } from '../../i18n/use-i18n';
import { useElementWidth } from '../../lib/use-element-width';
import { chartTheme, measureColour, seriesPalette } from '../../lib/theme';
import { useGuardia } from '../../store/guardia-context';
import { chartRows, classifyMeasure, latestValue, seriesAlias } from '../metrics/metrics-selectors';
import type { PanelMeta } from '../metrics/metrics-slice';

/** Plot height of a chart card, in px. */
const chartHeight = 176;

type SeriesStyle = { key: string; alias: string; legend: string; colour: string };

/** Colours per series: the measure's semantic colour when unambiguous, else the palette in order. */
export function seriesStyles(panel: PanelMeta): SeriesStyle[] {
  const measures = panel.series.map((s) => classifyMeasure(s));
  const distinct = new Set(measures).size === measures.length && !measures.includes(null);
  return panel.series.map((s, i) => ({
    key: s.key,
    alias: seriesAlias(i),
    legend: s.legend,
    colour: (distinct && measures[i] && measureColour[measures[i]]) || seriesPalette[i % seriesPalette.length]!,
  }));
}

function ChartTooltip({
  active,
  payload,
  label,
  unit,
  fmt,
  styles,
}: Partial<TooltipContentProps> & { unit: Unit; fmt: Formatters; styles: SeriesStyle[] }) {
  if (!active || !payload || payload.length === 0 || typeof label !== 'number') return null;
  const byAlias = new Map(styles.map((s) => [s.alias, s]));
  const rows = payload
    .filter((p) => typeof p.value === 'number')
    .map((p) => ({ style: byAlias.get(String(p.dataKey)), value: p.value as number }))
    .filter((r): r is { style: SeriesStyle; value: number } => r.style !== undefined)
    .sort((a, b) => b.value - a.value);
  return (
    <div className="chart-tooltip">
      <div className="chart-tooltip-time">{fmt.timeSeconds(label)}</div>
      {rows.slice(0, 12).map((r) => (
        <div className="chart-tooltip-row" key={r.style.alias}>
          <span className="swatch" style={{ background: r.style.colour }} />
          <span className="chart-tooltip-name">{r.style.legend}</span>
          <span className="chart-tooltip-value">{fmt.measure(r.value, unit)}</span>
        </div>
      ))}
    </div>
  );
}

/**
 * One timeseries panel: recharts with animation and dots off (recharts animates 1.5 s and draws a
 * dot per point by default), stable aliases as dataKeys, a window of [end − range, end], threshold
 * lines, and an HTML legend with the latest value where clicking hides a series.
 */
export const MetricChart = memo(function MetricChart({
  panel,
  windowStart,
  windowEnd,
}: {
  panel: PanelMeta;
  windowStart: number;
  windowEnd: number;
}) {
  const { t, pick } = useI18n();
  const fmt = useFormatters();
  const buffers = useGuardia((s) => s.buffers);
  const version = useGuardia((s) => s.seriesVersion);
  const ref = useRef<HTMLDivElement>(null);
  const width = useElementWidth(ref);
  const [hidden, setHidden] = useState<ReadonlySet<string>>(() => new Set());
  const styles = useMemo(() => seriesStyles(panel), [panel]);
  const keys = useMemo(() => panel.series.map((s) => s.key), [panel]);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- version is the change signal of the mutable buffers
  const rows = useMemo(() => chartRows(buffers, keys, windowStart), [buffers, keys, windowStart, version]);
  const unit: Unit = panel.series[0]?.unit ?? 'count';
  const single = panel.series.length === 1;
  const lowerIsWorse = panel.series.every((s) => classifyMeasure(s) === 'success-rate');
  const gradientId = `grad-${panel.id.replace(/[^a-zA-Z0-9_-]/g, '_')}`;
  const hasData = rows.length > 0;

  const toggle = (alias: string) =>
    setHidden((prev) => {
      const next = new Set(prev);
      if (next.has(alias)) next.delete(alias);
      else next.add(alias);
      return next;
    });

  return (
    <PanelCard title={pick(panel.title)} error={panel.error} warnings={panel.warnings} className="chart-card" testId={`panel-${panel.id}`}>
      <div className="chart-box" ref={ref} style={{ height: chartHeight }}>
        {!hasData ? <div className="chart-empty">{t('panel.noData')}</div> : null}
        {width > 0 && hasData ? (
          <ComposedChart width={width} height={chartHeight} data={rows} margin={{ top: 6, right: 8, bottom: 0, left: 0 }}>
            <defs>
              <linearGradient id={gradientId} x1="0" y1="0" x2="0" y2="1">
                <stop offset="0%" stopColor={styles[0]?.colour} stopOpacity={0.35} />
                <stop offset="100%" stopColor={styles[0]?.colour} stopOpacity={0.02} />
              </linearGradient>
            </defs>
            <CartesianGrid stroke={chartTheme.grid} vertical={false} />
            <XAxis
              dataKey="t"
              type="number"
              scale="time"
              domain={[windowStart, windowEnd]}
              allowDataOverflow
              tickFormatter={(v: number) => fmt.time(v)}
              stroke={chartTheme.axis}
              tick={{ fontSize: 11, fill: chartTheme.axis }}
              tickLine={false}
              minTickGap={48}
            />
            <YAxis
              width={58}
              stroke={chartTheme.axis}
              tick={{ fontSize: 11, fill: chartTheme.axis }}
              tickLine={false}
              axisLine={false}
              domain={lowerIsWorse ? ['auto', 'auto'] : [0, 'auto']}
              tickFormatter={(v: number) => fmt.axis(v, unit)}
            />
            <Tooltip
              isAnimationActive={false}
              cursor={{ stroke: chartTheme.axis, strokeDasharray: '3 3' }}
              content={(props) => <ChartTooltip {...props} unit={unit} fmt={fmt} styles={styles} />}
            />
            {panel.thresholds?.warning !== undefined ? (
              <ReferenceLine y={panel.thresholds.warning} stroke={chartTheme.warning} strokeDasharray="4 4" ifOverflow="hidden" />
            ) : null}
            {panel.thresholds?.critical !== undefined ? (
              <ReferenceLine y={panel.thresholds.critical} stroke={chartTheme.critical} strokeDasharray="4 4" ifOverflow="hidden" />
            ) : null}
            {styles.map((s) =>
              single ? (
                <Area
                  key={s.key}
                  dataKey={s.alias}
                  name={s.legend}
                  type="monotone"
                  stroke={s.colour}
                  strokeWidth={1.6}
                  fill={`url(#${gradientId})`}
                  isAnimationActive={false}
                  dot={false}
                  activeDot={{ r: 3 }}
                  connectNulls={false}
                  hide={hidden.has(s.alias)}
                />
              ) : (
                <Line
                  key={s.key}
                  dataKey={s.alias}
                  name={s.legend}
                  type="monotone"
                  stroke={s.colour}
                  strokeWidth={1.4}
                  isAnimationActive={false}
                  dot={false}
                  activeDot={{ r: 3 }}
                  connectNulls={false}
                  hide={hidden.has(s.alias)}
                />
              ),
            )}
          </ComposedChart>
        ) : null}
      </div>
      <ul className="legend">
        {styles.map((s) => (
          <li key={s.key}>
            <button
              type="button"
              className={`legend-item ${hidden.has(s.alias) ? 'is-hidden' : ''}`}
              onClick={() => toggle(s.alias)}
              aria-pressed={!hidden.has(s.alias)}
            >
              <span className="swatch" style={{ background: s.colour }} />
              <span className="legend-name">{s.legend}</span>
              <span className="legend-value">{fmt.measure(latestValue(buffers, s.key), unit)}</span>
            </button>
          </li>
        ))}
      </ul>
    </PanelCard>
  );
});
