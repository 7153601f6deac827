import { useMemo, useState } from 'react';
import { PanelCard } from '../../components/panel-card';
import { useFormatters, useI18n } from '../../i18n/use-i18n';
import { useGuardia } from '../../store/guardia-context';
import { sloRowView, sloSummary } from '../slos/slo-selectors';
import { budgetTimeText, burnCellView } from './slo-burn-selectors';
import { SloDetail } from './slo-detail';

/** The runbook's seven SLOs (§4.1) with their live value, status and error budget. */
export function SloTable() {
  const { lang, t } = useI18n();
  const fmt = useFormatters();
  const slos = useGuardia((s) => s.slos);
  const rows = useMemo(
    () => slos.map((slo) => ({ ...sloRowView(slo, lang, fmt), burn: burnCellView(slo.burn, lang, fmt), budgetTime: budgetTimeText(slo, lang, fmt) })),
    [slos, lang, fmt],
  );
  const [openId, setOpenId] = useState<string | null>(null);
  const summary = useMemo(() => sloSummary(slos), [slos]);
  return (
    <PanelCard
      title={t('slo.title')}
      className="slo-card"
      testId="slo-card"
      actions={
        slos.length > 0 ? (
          <span className={`summary-chip ${summary.breached > 0 ? 'tone-bad' : 'tone-ok'}`}>
            {t('slo.summary', { met: summary.met, total: summary.total })}
          </span>
        ) : null
      }
    >
      {rows.length === 0 ? (
        <p className="empty">{t('slo.empty')}</p>
      ) : (
        <div className="table-scroll">
          <table className="slo-table">
            <thead>
              <tr>
                <th scope="col">{t('slo.service')}</th>
                <th scope="col">{t('slo.sli')}</th>
                <th scope="col" className="num">
                  {t('slo.target')}
                </th>
                <th scope="col">{t('slo.window')}</th>
                <th scope="col" className="num">
                  {t('slo.current')}
                </th>
                <th scope="col">{t('slo.budget')}</th>
                <th scope="col">{t('slo.status')}</th>
                <th scope="col">{t('slo.burn')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr
                  key={row.id}
                  data-testid="slo-row"
                  data-slo={row.id}
                  data-status={row.status}
                  className={`tone-${row.tone} slo-row-clickable`}
                  onClick={() => setOpenId(row.id)}
                >
                  <td className="slo-service">
                    <button
                      type="button"
                      className="link-button"
                      aria-label={t('slo.openDetail', { name: `${row.service} ${row.sli}` })}
                      onClick={(e) => {
                        e.stopPropagation();
                        setOpenId(row.id);
                      }}
                    >
                      {row.service}
                    </button>
                  </td>
                  <td className="slo-sli">
                    {row.sli}
                    {row.error ? (
                      <span className="slo-error" role="alert" title={row.error}>
                        {row.error}
                      </span>
                    ) : null}
                  </td>
                  <td className="num mono-num">{row.target}</td>
                  <td className="muted">{row.window}</td>
                  <td className={`num mono-num slo-current tone-text-${row.tone}`} data-testid="slo-current">
                    {row.current}
                  </td>
                  <td className="slo-budget" data-testid="slo-budget" title={[row.budgetMinutes, row.budgetTime].filter(Boolean).join(' · ') || undefined}>
                    {row.budget ? (
                      <span className={`budget tone-${row.budget.tone}`}>
                        <span className="budget-bar" aria-hidden="true">
                          <span className="budget-fill" style={{ width: `${row.budget.fill}%` }} />
                        </span>
                        <span className="budget-text">{row.budget.text}</span>
                      </span>
                    ) : (
                      <span className="muted">{t('slo.noBudget')}</span>
                    )}
                  </td>
                  <td>
                    <span className={`status-pill tone-${row.tone}`} data-testid="slo-status">
                      {row.statusText}
                    </span>
                  </td>
                  <td>
                    {row.burn ? (
                      <span className={`status-pill tone-${row.burn.tone}`} data-testid="slo-burn" data-state={row.burn.state} title={`1h: ${row.burn.rate}`}>
                        {row.burn.text}
                      </span>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {openId ? <SloDetail sloId={openId} onClose={() => setOpenId(null)} /> : null}
    </PanelCard>
  );
}
