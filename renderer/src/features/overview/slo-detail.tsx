import { useEffect, useMemo, useRef, useState } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import type { InvokeResponse } from '../../../../shared/contract';
import type { SloStatus } from '../../../../shared/domain';
import { useFormatters, useI18n } from '../../i18n/use-i18n';
import { chartTheme } from '../../lib/theme';
import { useElementWidth } from '../../lib/use-element-width';
import { useApi, useGuardia } from '../../store/guardia-context';
import { formatSloCurrent, formatSloTarget, sloBudgetView } from '../slos/slo-selectors';
import { budgetTimeText, burnCellView, formatBurnRate } from './slo-burn-selectors';

type Detail = InvokeResponse<'slos.getDetail'>;

const chartHeight = 150;

/** A small line chart of one [time, value] series with an optional reference line (0% budget, 1× burn). */
function DetailChart({ points, colour, reference, format }: { points: Array<[number, number | null]>; colour: string; reference: number; format: (v: number) => string }) {
  const ref = useRef<HTMLDivElement>(null);
  const width = useElementWidth(ref);
  const fmt = useFormatters();
  const rows = useMemo(() => points.map(([t, v]) => ({ t, v })), [points]);
  return (
    <div className="chart-box" ref={ref} style={{ height: chartHeight }}>
      {width > 0 && rows.length > 0 ? (
        <LineChart width={width} height={chartHeight} data={rows} margin={{ top: 6, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid stroke={chartTheme.grid} vertical={false} />
          <XAxis dataKey="t" type="number" scale="time" domain={['dataMin', 'dataMax']} tickFormatter={(v: number) => fmt.time(v)} stroke={chartTheme.axis} tick={{ fontSize: 11, fill: chartTheme.axis }} tickLine={false} minTickGap={48} />
          <YAxis width={58} stroke={chartTheme.axis} tick={{ fontSize: 11, fill: chartTheme.axis }} tickLine={false} axisLine={false} tickFormatter={format} />
          <ReferenceLine y={reference} stroke={chartTheme.bad} strokeDasharray="4 4" />
          <Tooltip
            isAnimationActive={false}
            contentStyle={{ background: '#11161f', border: '1px solid #2a3342', fontSize: 12 }}
            labelFormatter={(v) => fmt.timeSeconds(Number(v))}
            separator=""
            formatter={(v) => [format(Number(v)), '']}
          />
          <Line dataKey="v" stroke={colour} dot={false} isAnimationActive={false} strokeWidth={1.5} connectNulls={false} />
        </LineChart>
      ) : null}
    </div>
  );
}

/**
 * An SLO opened from the SLO table: its burn rate per window, the workbook's alert conditions (with the
 * low-traffic guard), the budget as time, and the budget and 1h burn rate over the last 24 hours.
 */
export function SloDetail({ sloId, onClose }: { sloId: string; onClose: () => void }) {
  const { t, lang, pick } = useI18n();
  const fmt = useFormatters();
  const api = useApi();
  const live = useGuardia((s) => s.slos.find((x) => x.id === sloId));
  const [detail, setDetail] = useState<Detail | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    void api.invoke('slos.getDetail', { id: sloId, rangeMinutes: 24 * 60 }).then((r) => {
      if (cancelled) return;
      if (r.ok) setDetail(r.value);
      else setError(r.error.message);
    });
    return () => {
      cancelled = true;
    };
  }, [api, sloId]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  // The live row keeps the numbers fresh; the detail call brings the history.
  const slo: SloStatus | undefined = live ?? detail?.slo;
  if (!slo) return null;
  const burn = slo.burn ?? null;
  const cell = burnCellView(burn, lang, fmt);
  const budget = sloBudgetView(slo.errorBudget, lang, fmt);
  const time = budgetTimeText(slo, lang, fmt);

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="modal slo-detail" role="dialog" aria-modal="true" aria-labelledby="slo-detail-title" data-testid="slo-detail" data-slo={slo.id}>
        <div className="slo-detail-head">
          <h2 id="slo-detail-title">{t('sloDetail.title', { service: pick(slo.service), sli: pick(slo.sli) })}</h2>
          {cell ? (
            <span className={`status-pill tone-${cell.tone}`} data-testid="slo-detail-state" data-state={cell.state}>
              {cell.text}
            </span>
          ) : null}
          <div className="toolbar-spacer" />
          <button type="button" className="btn btn-small" onClick={onClose} data-testid="slo-detail-close">
            {t('sloDetail.close')}
          </button>
        </div>
        <dl className="slo-detail-facts">
          <div>
            <dt>{t('slo.target')}</dt>
            <dd className="mono-num">
              {formatSloTarget(slo.objective, fmt)} · {fmt.window(slo.window)}
            </dd>
          </div>
          <div>
            <dt>{t('slo.current')}</dt>
            <dd className="mono-num">{formatSloCurrent(slo, fmt)}</dd>
          </div>
          <div>
            <dt>{t('slo.budget')}</dt>
            <dd className={budget ? `tone-text-${budget.tone}` : 'muted'} data-testid="slo-detail-budget">
              {budget ? budget.text : t('slo.noBudget')}
              {time ? <span className="muted small slo-detail-time"> {time}</span> : null}
            </dd>
          </div>
          {burn ? (
            <div>
              <dt>{t('sloDetail.allowed')}</dt>
              <dd className="mono-num">{fmt.percent(burn.budgetRatio * 100, 3)}</dd>
            </div>
          ) : null}
        </dl>

        {!burn ? (
          <p className="muted">{t('sloDetail.noBurn')}</p>
        ) : (
          <div className="slo-detail-grid">
            <section>
              <h3>{t('sloDetail.windows')}</h3>
              <table className="slo-table slo-windows" data-testid="slo-detail-windows">
                <thead>
                  <tr>
                    <th scope="col">{t('sloDetail.window')}</th>
                    <th scope="col" className="num">{t('sloDetail.errorRatio')}</th>
                    <th scope="col" className="num">{t('sloDetail.burnRate')}</th>
                    <th scope="col" className="num">{t('sloDetail.events')}</th>
                  </tr>
                </thead>
                <tbody>
                  {burn.windows.map((w) => (
                    <tr key={w.window} data-window={w.window}>
                      <td>{w.window}</td>
                      <td className="num mono-num">{w.errorRatio === null ? '—' : fmt.percent(w.errorRatio * 100, 3)}</td>
                      <td className={`num mono-num ${w.burnRate !== null && w.burnRate >= 14.4 ? 'tone-text-bad' : w.burnRate !== null && w.burnRate >= 1 ? 'tone-text-warn' : ''}`} data-testid="slo-window-burn">
                        {formatBurnRate(w.burnRate, fmt)}
                      </td>
                      <td className="num mono-num muted">{w.events === null ? '—' : fmt.number(w.events, 0)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
            <section>
              <h3>{t('sloDetail.conditions')}</h3>
              <ul className="slo-conditions" data-testid="slo-detail-conditions">
                {burn.conditions.map((c) => (
                  <li key={`${c.long}/${c.short}`} className={c.firing ? 'tone-text-bad' : ''} data-firing={c.firing}>
                    <span className="slo-condition-kind">{t(c.severity === 'page' ? 'sloDetail.page' : 'sloDetail.ticket')}</span>
                    <span className="mono-num">{t('sloDetail.conditionText', { factor: fmt.number(c.factor, 1), long: c.long, short: c.short })}</span>
                    <span className={c.firing ? 'status-pill tone-bad' : 'muted small'}>
                      {c.lowTraffic ? t('sloDetail.lowTraffic') : c.firing ? t('sloDetail.firing') : t('sloDetail.notFiring')}
                    </span>
                  </li>
                ))}
              </ul>
            </section>
          </div>
        )}

        {error ? (
          <div className="banner banner-bad" role="alert">
            {error}
          </div>
        ) : null}
        {burn && !detail && !error ? <p className="muted small">{t('sloDetail.loading')}</p> : null}
        {burn && detail ? (
          <div className="slo-detail-grid">
            <section data-testid="slo-detail-budget-chart">
              <h3>{t('sloDetail.budgetChart')}</h3>
              <DetailChart points={detail.budget} colour={chartTheme.ok} reference={0} format={(v) => fmt.percent(v, 0)} />
            </section>
            <section data-testid="slo-detail-burn-chart">
              <h3>{t('sloDetail.burnChart')}</h3>
              <DetailChart points={detail.burnRate} colour={chartTheme.warn} reference={14.4} format={(v) => formatBurnRate(v, fmt)} />
            </section>
          </div>
        ) : null}
      </div>
    </div>
  );
}
