import { useMemo } from 'react';
import { useI18n } from '../../i18n/use-i18n';
import { useGuardia } from '../../store/guardia-context';
import { healthItems } from '../metrics/metrics-selectors';

/** API / DB / cache / queue up-down pills (runbook §2.1 panel 1): UP green, DOWN red, unknown grey. */
export function HealthRow() {
  const { t, pick } = useI18n();
  const health = useGuardia((s) => s.health);
  const panels = useGuardia((s) => s.panels);
  const buffers = useGuardia((s) => s.buffers);
  const version = useGuardia((s) => s.seriesVersion);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- version is the change signal of the mutable buffers
  const items = useMemo(() => healthItems(health, panels, buffers), [health, panels, buffers, version]);
  const panel = panels.find((p) => p.kind === 'health');
  if (items.length === 0 && !panel) return null;
  return (
    <div className="health-row" role="list" aria-label={t('overview.health')} data-testid="health-row">
      <span className="health-title">{panel ? pick(panel.title) : t('overview.health')}</span>
      {items.map((item) => (
        <span
          key={item.id}
          role="listitem"
          className={`health-pill health-${item.status}`}
          data-testid={`health-${item.id}`}
          data-status={item.status}
        >
          <span className="health-dot" aria-hidden="true" />
          <span className="health-label">{pick(item.label)}</span>
          <span className="health-status">{t(`health.${item.status}`)}</span>
        </span>
      ))}
      {panel?.error ? (
        <span className="health-error" role="alert" data-testid="panel-error">
          {t('panel.error')}: {panel.error}
        </span>
      ) : null}
      {panel && panel.warnings.length > 0 ? <span className="health-warning">⚠ {panel.warnings.join(' · ')}</span> : null}
    </div>
  );
}
