import type { OnCall } from '../../../../shared/paging';
import { useI18n } from '../../i18n/use-i18n';
import { useGuardia } from '../../store/guardia-context';

/** "lun 30 nov, 14:00": shifts change on whole minutes, and the weekday is what people plan by. */
function useShortDateTime(): (ms: number) => string {
  const { lang } = useI18n();
  const format = new Intl.DateTimeFormat(lang === 'es' ? 'es-PE' : 'en-GB', { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return (ms) => format.format(ms);
}

function Holders({ list, label, testId, at }: { list: readonly OnCall[]; label: string; testId: string; at: string | null }) {
  const me = useGuardia((s) => s.pagingMe);
  return (
    <div className="oncall-group" data-testid={testId}>
      <span className="oncall-label">{label}</span>
      {list.map((o) => (
        <span key={`${o.escalationPolicy.id}/${o.level}/${o.user.id}`} className={`oncall-holder ${me?.id === o.user.id ? 'is-me' : ''}`} title={o.escalationPolicy.name}>
          <span className="oncall-level mono">L{o.level}</span> {o.user.name}
        </span>
      ))}
      {at ? <span className="muted small">{at}</span> : null}
    </div>
  );
}

/** Who is on call now and next in PagerDuty (or the demo's rotation), and my own shift. */
export function OnCallStrip() {
  const { t } = useI18n();
  const when = useShortDateTime();
  const onCall = useGuardia((s) => s.onCall);
  if (!onCall) return null;
  return (
    <div className="oncall-strip card" data-testid="oncall-strip">
      <Holders list={onCall.now} label={t('paging.onCallNow')} testId="oncall-now" at={onCall.now[0]?.end != null ? t('paging.until', { time: when(onCall.now[0].end) }) : null} />
      <Holders list={onCall.next} label={t('paging.onCallNext')} testId="oncall-next" at={onCall.next[0]?.start != null ? t('paging.from', { time: when(onCall.next[0].start) }) : null} />
      {onCall.me ? (
        <div className="oncall-group">
          <span className="oncall-label">{t('paging.me', { name: onCall.me.name })}</span>
          <span className="muted small" data-testid="oncall-my-shift">
            {onCall.myShift?.start != null && onCall.myShift.end != null
              ? t('paging.myShift', { start: when(onCall.myShift.start), end: when(onCall.myShift.end) })
              : t('paging.noShift')}
          </span>
        </div>
      ) : null}
    </div>
  );
}
