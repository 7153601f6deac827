import { useEffect, useState } from 'react';
import type { InvokeResponse } from '../../../../shared/contract';
import { useI18n } from '../../i18n/use-i18n';
import { useApi } from '../../store/guardia-context';

type Rules = InvokeResponse<'alerts.listRules'>;

/**
 * Prometheus' alerting and recording rules with their health (`/api/v1/rules`): a rule whose query
 * errors never fires, so a broken rule is an outage of alerting itself and is shown first.
 */
export function RulesPanel({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const api = useApi();
  const [rules, setRules] = useState<Rules | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    void api.invoke('alerts.listRules', {}).then((r) => {
      if (cancelled) return;
      if (r.ok) setRules(r.value);
      else setError(r.error.message);
    });
    return () => {
      cancelled = true;
    };
  }, [api]);

  const broken = rules?.groups.flatMap((g) => g.rules).filter((r) => r.health === 'err').length ?? 0;
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="modal silences-panel" role="dialog" aria-modal="true" aria-labelledby="rules-title" data-testid="rules-panel">
        <div className="slo-detail-head">
          <h2 id="rules-title">{t('rules.title')}</h2>
          {rules ? <span className={`status-pill ${broken ? 'tone-bad' : 'tone-ok'}`}>{broken ? t('rules.broken', { count: broken }) : t('rules.allHealthy')}</span> : null}
          <div className="toolbar-spacer" />
          <button type="button" className="btn btn-small" onClick={onClose}>
            {t('sloDetail.close')}
          </button>
        </div>
        {error ? (
          <div className="banner banner-bad" role="alert">
            {error}
          </div>
        ) : null}
        {rules && !rules.supported ? <p className="muted">{t('rules.unsupported')}</p> : null}
        {rules?.groups.map((g) => (
          <section key={`${g.file}/${g.name}`}>
            <h3 className="muted small">
              {g.name} <span className="mono">({g.file})</span>
            </h3>
            <table className="slo-table">
              <tbody>
                {g.rules.map((r) => (
                  <tr key={r.name} data-testid="rule-row" data-health={r.health}>
                    <td>{r.name}</td>
                    <td>
                      <span className={`status-pill ${r.health === 'ok' ? 'tone-ok' : r.health === 'err' ? 'tone-bad' : ''}`}>{r.health}</span>
                    </td>
                    <td className="muted">{r.state ?? r.type}</td>
                    <td className="mono small">{r.lastError ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ))}
      </div>
    </div>
  );
}
