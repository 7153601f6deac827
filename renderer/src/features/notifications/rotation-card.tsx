import { useI18n, useFormatters } from '../../i18n/use-i18n';
import { useGuardia } from '../../store/guardia-context';
import type { ShiftView } from './notifications-slice';

type Span = NonNullable<ShiftView['current']>;

/** Who is on call now and next (primary / secondary / backup), where it comes from, and my own shift. */
export function RotationCard() {
  const { t } = useI18n();
  const fmt = useFormatters();
  const shift = useGuardia((s) => s.shift);
  if (!shift?.current) return null;
  const me = shift.me?.trim().toLocaleLowerCase() ?? null;
  const who = (name: string | null) => (
    <td className={name && me && name.toLocaleLowerCase() === me ? 'is-me' : undefined}>
      {name ?? '—'}
      {name && me && name.toLocaleLowerCase() === me ? ` (${t('shift.you')})` : ''}
    </td>
  );
  const row = (label: string, span: Span | null, testid: string) =>
    span ? (
      <tr data-testid={testid}>
        <th scope="row">{label}</th>
        <td>
          {fmt.dateTime(span.start)} → {fmt.dateTime(span.end)}
        </td>
        {who(span.primary)}
        {who(span.secondary)}
        {who(span.backup)}
      </tr>
    ) : null;
  return (
    <section className="card rotation-card" data-testid="rotation-card">
      <h2 className="card-title">{t('shift.rotation')}</h2>
      {shift.myRole ? (
        <p data-testid="my-shift">{t('shift.youAreOnCall', { role: t(`shift.role.${shift.myRole}`), time: fmt.dateTime(shift.current.end) })}</p>
      ) : shift.myNextStart ? (
        <p data-testid="my-shift">{t('shift.myNext', { time: fmt.dateTime(shift.myNextStart) })}</p>
      ) : null}
      <table>
        <thead>
          <tr>
            <th />
            <th />
            <th>{t('shift.role.primary')}</th>
            <th>{t('shift.role.secondary')}</th>
            <th>{t('shift.role.backup')}</th>
          </tr>
        </thead>
        <tbody>
          {row(t('shift.now'), shift.current, 'shift-current')}
          {row(t('shift.next'), shift.next, 'shift-next')}
        </tbody>
      </table>
      <p className="muted small">
        {shift.source === 'pagerduty'
          ? t('shift.sourcePagerduty')
          : t('shift.sourcePack', { weekday: shift.handoff.weekday, time: shift.handoff.time, timezone: shift.timezone, date: shift.extendedFrom ?? '' })}
      </p>
    </section>
  );
}
