import { selectStaleness } from '../features/sources/staleness';
import { useFormatters, useI18n } from '../i18n/use-i18n';
import { useNow } from '../lib/use-now';
import { useGuardia } from '../store/guardia-context';

/**
 * "updated 4s ago", turning amber/red with "stale since HH:MM · reason" when core reports a stale
 * source or no metrics arrived for 3× refreshSeconds. `data-stale` is what e2e tests read.
 */
export function LastUpdated() {
  const { t } = useI18n();
  const fmt = useFormatters();
  const now = useNow(1000);
  const lastMetricsAt = useGuardia((s) => s.metricsReceivedAt);
  const startedAt = useGuardia((s) => s.startedAt);
  const refreshSeconds = useGuardia((s) => s.info?.refreshSeconds ?? null);
  const staleSources = useGuardia((s) => s.staleSources);
  const staleness = selectStaleness({ lastMetricsAt, startedAt, refreshSeconds, staleSources, now });

  const ago =
    staleness.ageMs === null
      ? t('updated.never')
      : staleness.ageMs < 1000
        ? t('updated.justNow')
        : t('updated.ago', { ago: fmt.duration(staleness.ageMs) });
  let detail: string | null = null;
  if (staleness.stale && staleness.since !== null) {
    const reason =
      staleness.reason?.kind === 'source'
        ? staleness.reason.text
        : t('updated.silent', { ago: fmt.duration(now - staleness.since) });
    detail = `${t('updated.staleSince', { time: fmt.time(staleness.since) })} · ${reason}`;
  }
  const severe = staleness.stale && staleness.since !== null && now - staleness.since > 5 * 60_000;
  return (
    <div
      className={`last-updated ${staleness.stale ? (severe ? 'is-stale is-severe' : 'is-stale') : ''}`}
      data-testid="last-updated"
      data-stale={staleness.stale ? 'true' : 'false'}
      title={staleness.lastUpdatedAt !== null ? `${t('updated.title')}: ${fmt.dateTime(staleness.lastUpdatedAt)}` : t('updated.title')}
      role="status"
    >
      <span className="pulse" aria-hidden="true" />
      <span className="last-updated-text">{staleness.stale && detail ? detail : ago}</span>
    </div>
  );
}
