import { memo, useMemo, useRef } from 'react';
import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { AzureQueryResult } from '../../../../shared/azure';
import { useFormatters, useI18n } from '../../i18n/use-i18n';
import { useElementWidth } from '../../lib/use-element-width';
import { chartTheme, seriesPalette } from '../../lib/theme';
import { cellText, chartRowsOf } from './kql-rows';

const chartHeight = 190;

/**
 * A KQL or Azure Monitor result: a partial-results banner when Log Analytics returned PartialFailure,
 * a line chart when the data is a time series, and the table. Every cell is text, never markup.
 */
export const KqlResult = memo(function KqlResult({ result }: { result: AzureQueryResult }) {
  const { t } = useI18n();
  const fmt = useFormatters();
  const ref = useRef<HTMLDivElement>(null);
  const width = useElementWidth(ref);
  const rows = useMemo(() => chartRowsOf(result.series), [result.series]);
  const table = result.tables[0];
  return (
    <div className="kql-result" data-testid="kql-result">
      {result.status === 'partial' ? (
        <div className="banner banner-warn" role="status" data-testid="kql-partial">
          {t('azure.partial', { error: result.partialError ?? '' })}
        </div>
      ) : null}
      {result.series.length > 0 ? (
        <div className="kql-chart" ref={ref} style={{ height: chartHeight }} data-testid="kql-chart">
          {width > 0 ? (
            <LineChart width={width} height={chartHeight} data={rows} margin={{ top: 6, right: 8, bottom: 0, left: 0 }}>
              <CartesianGrid stroke={chartTheme.grid} vertical={false} />
              <XAxis
                dataKey="t"
                type="number"
                scale="time"
                domain={['dataMin', 'dataMax']}
                tickFormatter={(v: number) => fmt.time(v)}
                stroke={chartTheme.axis}
                tick={{ fontSize: 11, fill: chartTheme.axis }}
                tickLine={false}
                minTickGap={48}
              />
              <YAxis width={52} stroke={chartTheme.axis} tick={{ fontSize: 11, fill: chartTheme.axis }} tickLine={false} axisLine={false} />
              <Tooltip
                contentStyle={{ background: '#12161e', border: '1px solid #2d3646', fontSize: 12 }}
                labelFormatter={(v) => (typeof v === 'number' ? fmt.timeSeconds(v) : String(v))}
                isAnimationActive={false}
              />
              {result.series.map((s, i) => (
                <Line
                  key={`s${i}`}
                  dataKey={`s${i}`}
                  name={s.unit ? `${s.name} (${s.unit})` : s.name}
                  stroke={seriesPalette[i % seriesPalette.length]}
                  dot={false}
                  strokeWidth={1.6}
                  isAnimationActive={false}
                  connectNulls={false}
                />
              ))}
            </LineChart>
          ) : null}
          <ul className="kql-legend">
            {result.series.map((s, i) => (
              <li key={`s${i}`}>
                <span className="swatch" style={{ background: seriesPalette[i % seriesPalette.length] }} />
                {s.name}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {table && table.rows.length > 0 ? (
        <div className="table-scroll kql-table-wrap">
          <table className="kql-table" data-testid="kql-table">
            <thead>
              <tr>
                {table.columns.map((c) => (
                  <th key={c.name} className={c.type === 'long' || c.type === 'real' || c.type === 'int' ? 'num' : undefined} title={c.type}>
                    {c.name}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {table.rows.map((row, r) => (
                <tr key={r}>
                  {row.map((cell, c) => (
                    <td key={c} className={typeof cell === 'number' ? 'num' : undefined}>
                      {cellText(cell, table.columns[c]?.type ?? 'string', fmt)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="empty">{t('azure.noRows')}</p>
      )}
      <p className="muted small kql-foot">
        {table ? t('azure.rows', { count: table.rows.length }) : null} · {t('azure.ranAt', { time: fmt.timeSeconds(result.ranAt), timespan: result.timespan })}
        {result.truncated ? ` · ${t('azure.truncated')}` : ''}
      </p>
    </div>
  );
});
