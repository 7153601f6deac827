import { useFormatters, useI18n } from '../../i18n/use-i18n';
import { useGuardia } from '../../store/guardia-context';

/**
 * "Stale since HH:MM · reason" in place, over the data a failing source last delivered (panels keep
 * their last good data; the alert list keeps its last alerts). Renders nothing while the source is fresh.
 */
export function StaleNotice({ source, testId }: { source: string; testId?: string }) {
  const { t } = useI18n();
  const fmt = useFormatters();
  const stale = useGuardia((s) => s.staleSources[source]);
  if (!stale) return null;
  return (
    <div className="banner banner-warn stale-notice" role="status" data-testid={testId ?? `stale-${source}`}>
      <strong>{t('updated.staleSince', { time: fmt.time(stale.since) })}</strong> <span className="mono small">{stale.reason}</span>
    </div>
  );
}
