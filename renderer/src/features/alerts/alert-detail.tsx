import { useState } from 'react';
import type { Alert } from '../../../../shared/domain';
import { ExternalText } from '../../components/external-text';
import { Icon } from '../../components/icons';
import { SeverityBadge } from '../../components/severity-badge';
import { useFormatters, useI18n } from '../../i18n/use-i18n';
import { useGuardia } from '../../store/guardia-context';
import { AlertIncidentLink } from '../incidents/alert-incident-link';
import { AlertRunbook } from './alert-runbook';
import { safeHttpsUrl } from './alerts-selectors';
import { SilenceDialog } from './silence-dialog';

/**
 * Everything about one alert. Labels and annotations come from Prometheus rule authors and
 * templating: they are rendered as text nodes only, and the runbook is a link only for https URLs.
 */
export function AlertDetail({ alert, now }: { alert: Alert; now: number }) {
  const { t } = useI18n();
  const fmt = useFormatters();
  const openPlaybook = useGuardia((s) => s.openPlaybook);
  const runbook = safeHttpsUrl(alert.runbookUrl);
  const annotations = Object.entries(alert.annotations);
  const labels = Object.entries(alert.labels).sort(([a], [b]) => a.localeCompare(b));
  const [silencing, setSilencing] = useState(false);
  const readOnly = useGuardia((s) => s.info?.environments.find((e) => e.id === s.info?.activeEnvironment)?.readOnly ?? false);
  return (
    <article className="alert-detail" data-testid="alert-detail">
      <header className="alert-detail-head">
        <SeverityBadge severity={alert.severity} />
        <h2>
          <ExternalText text={alert.name} limit={200} />
        </h2>
        <span className={`state state-${alert.state}`}>{t(`alerts.state.${alert.state}`)}</span>
        {alert.silenced ? <span className="tag">{t('alerts.silenced')}</span> : null}
        {alert.inhibited ? <span className="tag">{t('alerts.inhibited')}</span> : null}
        <span className="toolbar-spacer" />
        <AlertIncidentLink fingerprint={alert.fingerprint} />
        {alert.state === 'firing' && !alert.silenced ? (
          <button type="button" className="btn btn-small" data-testid="silence-alert" disabled={readOnly} title={readOnly ? t('silence.readOnly') : undefined} onClick={() => setSilencing(true)}>
            {t('silence.open')}
          </button>
        ) : null}
      </header>
      {silencing ? <SilenceDialog alert={alert} onClose={() => setSilencing(false)} /> : null}
      <p className="alert-detail-summary">
        <ExternalText text={alert.summary} testId="alert-detail-summary" />
      </p>
      <dl className="facts">
        <dt>{t('alerts.startedAt')}</dt>
        <dd>
          {fmt.dateTime(alert.startsAt)} · {t('alerts.for', { duration: fmt.duration(now - alert.startsAt) })}
        </dd>
        {alert.sources.length > 0 ? (
          <>
            <dt>{t('alerts.sources')}</dt>
            <dd>{alert.sources.join(', ')}</dd>
          </>
        ) : null}
        {runbook ? (
          <>
            <dt>{t('alerts.runbook')}</dt>
            <dd>
              <a href={runbook} target="_blank" rel="noreferrer" data-testid="runbook-link">
                {t('alerts.openRunbook')} <Icon name="link" size={13} />
              </a>
            </dd>
          </>
        ) : null}
        {alert.playbookId ? (
          <>
            <dt>{t('alerts.playbook')}</dt>
            <dd>
              <button type="button" className="link-button" data-testid="open-playbook" onClick={() => openPlaybook(alert.playbookId)}>
                {t('alerts.openPlaybook', { id: alert.playbookId })}
              </button>
            </dd>
          </>
        ) : null}
      </dl>
      <AlertRunbook alertName={alert.name} />
      {labels.length > 0 ? (
        <section>
          <h3>{t('alerts.labels')}</h3>
          <ul className="label-chips">
            {labels.map(([k, v]) => (
              <li key={k} className="label-chip">
                <span className="label-key">
                  <ExternalText text={k} limit={200} />
                </span>
                <span className="label-value">
                  <ExternalText text={v} limit={500} />
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {annotations.length > 0 ? (
        <section>
          <h3>{t('alerts.annotations')}</h3>
          <dl className="annotations">
            {annotations.map(([k, v]) => (
              <div key={k} className="annotation">
                <dt>
                  <ExternalText text={k} limit={200} />
                </dt>
                <dd>
                  <ExternalText text={v} testId={`annotation-${k}`} />
                </dd>
              </div>
            ))}
          </dl>
        </section>
      ) : null}
    </article>
  );
}
