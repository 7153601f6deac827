import { useMemo } from 'react';
import { PanelCard } from '../../components/panel-card';
import { SeverityBadge } from '../../components/severity-badge';
import { useFormatters, useI18n } from '../../i18n/use-i18n';
import { useCoreNow } from '../../lib/use-now';
import { useGuardia } from '../../store/guardia-context';
import { activeAlerts } from '../alerts/alerts-selectors';
import { clipText } from '../../components/external-text';

/** Alerts shown on the Overview before "+N more". */
const overviewAlertLimit = 8;

/** Active alerts on the Overview, worst first, with how long each has been firing. */
export function ActiveAlertsCard() {
  const { t } = useI18n();
  const fmt = useFormatters();
  const now = useCoreNow(5000);
  const alertsById = useGuardia((s) => s.alertsById);
  const openAlert = useGuardia((s) => s.openAlert);
  const setView = useGuardia((s) => s.setView);
  const alerts = useMemo(() => activeAlerts(alertsById), [alertsById]);
  const shown = alerts.slice(0, overviewAlertLimit);
  return (
    <PanelCard
      title={t('alerts.title')}
      className="alerts-card"
      testId="active-alerts"
      actions={<span className="count-chip">{alerts.length}</span>}
    >
      {alerts.length === 0 ? (
        <p className="empty all-clear">{t('alerts.none')}</p>
      ) : (
        <ul className="alert-list">
          {shown.map((alert) => {
            const description = alert.annotations.description;
            return (
              <li key={alert.fingerprint}>
                <button
                  type="button"
                  className={`alert-item sev-edge-${alert.severity.toLowerCase()} ${alert.silenced || alert.inhibited ? 'is-muted' : ''}`}
                  data-testid="alert-item"
                  data-fingerprint={alert.fingerprint}
                  onClick={() => openAlert(alert.fingerprint)}
                >
                  <SeverityBadge severity={alert.severity} />
                  <span className="alert-main">
                    <span className="alert-name">
                      {alert.name}
                      {alert.state === 'pending' ? <span className="tag">{t('alerts.state.pending')}</span> : null}
                      {alert.silenced ? <span className="tag">{t('alerts.silenced')}</span> : null}
                    </span>
                    <span className="alert-summary">{clipText(alert.summary, 300)}</span>
                    {description && description !== alert.summary ? (
                      <span className="alert-description">{description}</span>
                    ) : null}
                  </span>
                  <span className="alert-age" title={fmt.dateTime(alert.startsAt)}>
                    {t('alerts.for', { duration: fmt.duration(now - alert.startsAt) })}
                  </span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
      {alerts.length > overviewAlertLimit ? (
        <button type="button" className="link-button" onClick={() => setView('alerts')}>
          {t('alerts.more', { count: alerts.length - overviewAlertLimit })} · {t('alerts.viewAll')}
        </button>
      ) : null}
    </PanelCard>
  );
}
