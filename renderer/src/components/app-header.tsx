import { useMemo } from 'react';
import { activeAlerts, worstSeverity } from '../features/alerts/alerts-selectors';
import { useI18n } from '../i18n/use-i18n';
import { useGuardia } from '../store/guardia-context';
import { LanguageSwitch } from './language-switch';
import { LastUpdated } from './last-updated';
import { SeverityBadge } from './severity-badge';
import { BrowserNotifyButton, OnCallChip, SnoozeControl } from '../features/notifications/header-controls';
import { KubeContextChip } from '../features/kubernetes/kube-context-chip';

/**
 * Top bar: which environment this window acts on (production in red, as k9s colours its contexts),
 * the worst active severity, data freshness and the language switch.
 */
export function AppHeader() {
  const { t } = useI18n();
  const info = useGuardia((s) => s.info);
  const alertsById = useGuardia((s) => s.alertsById);
  const connection = useGuardia((s) => s.connection);
  const setView = useGuardia((s) => s.setView);
  const active = useMemo(() => activeAlerts(alertsById), [alertsById]);
  const worst = useMemo(() => worstSeverity(active), [active]);
  const env = info?.environments.find((e) => e.id === info.activeEnvironment);
  const production = env?.production ?? false;

  return (
    <header className={`app-header ${production ? 'is-production' : ''}`}>
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          G
        </span>
        <span className="brand-name">{t('app.name')}</span>
        {info ? <span className="brand-pack">{info.pack.name}</span> : null}
      </div>
      <div
        className={`env-chip ${production ? 'env-production' : 'env-other'}`}
        data-testid="env-name"
        data-production={production ? 'true' : 'false'}
        title={t('header.environment')}
      >
        <span className="env-name">{env?.name ?? info?.activeEnvironment ?? '…'}</span>
        {production ? <span className="env-tag">{t('header.production')}</span> : null}
        {env?.readOnly ? <span className="env-tag env-ro">{t('header.readOnly')}</span> : null}
      </div>
      {/* Right after the environment: what is on fire is the last thing to wrap off the first row. */}
      <button
        type="button"
        className={`worst ${worst ? `worst-${worst.toLowerCase()}` : 'worst-clear'}`}
        data-testid="worst-severity"
        data-severity={worst ?? 'none'}
        title={t('header.worst')}
        onClick={() => setView('alerts')}
      >
        {worst ? <SeverityBadge severity={worst} /> : <span className="clear-dot" aria-hidden="true" />}
        <span>{worst ? t('header.activeAlerts', { count: active.length }) : t('header.allClear')}</span>
      </button>
      <KubeContextChip />
      <div className="header-spacer" />
      <span className={`conn conn-${connection}`} data-testid="connection" title={t(`connection.${connection}`)}>
        <span className="conn-dot" aria-hidden="true" />
        {/* Live is the normal state: a green dot says it; anything else is spelled out. */}
        <span className={connection === 'open' ? 'visually-hidden' : undefined}>{t(`connection.${connection}`)}</span>
      </span>
      <OnCallChip />
      <SnoozeControl />
      <BrowserNotifyButton />
      <LastUpdated />
      <LanguageSwitch />
    </header>
  );
}
