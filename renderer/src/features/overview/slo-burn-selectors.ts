import type { BurnState, SloBurn, SloStatus } from '../../../../shared/domain';
import { translate, type Language } from '../../../../shared/i18n/messages';
import type { Formatters } from '../../i18n/format';
import type { Tone } from '../slos/slo-selectors';

/** Colour of each burn state: a page is red, a slow burn amber, recovering amber too (still spending). */
export const burnTone: Record<BurnState, Tone> = {
  critical: 'bad',
  burning: 'warn',
  recovering: 'warn',
  ok: 'ok',
  unknown: 'unknown',
};

/** "14.4×", "0.45×", "—": a burn rate as people say it. */
export function formatBurnRate(rate: number | null, fmt: Formatters): string {
  if (rate === null || !Number.isFinite(rate)) return '—';
  return `${fmt.number(rate, rate >= 10 ? 0 : rate >= 1 ? 1 : 2)}×`;
}

/** Minutes as the biggest sensible unit: "45 min", "6.5 h", "12 d". */
export function formatMinutes(minutes: number, fmt: Formatters): string {
  const m = Math.abs(minutes);
  const sign = minutes < 0 ? '−' : '';
  if (m < 90) return `${sign}${fmt.number(m, m < 10 ? 1 : 0)} min`;
  if (m < 48 * 60) return `${sign}${fmt.number(m / 60, 1)} h`;
  return `${sign}${fmt.number(m / 1440, 0)} d`;
}

/** The burn cell of an SLO row: the state and the fastest window's rate that explains it. */
export type BurnCellView = { state: BurnState; text: string; tone: Tone; rate: string };

export function burnCellView(burn: SloBurn | null | undefined, lang: Language, fmt: Formatters): BurnCellView | null {
  if (!burn) return null;
  const hour = burn.windows.find((w) => w.window === '1h')?.burnRate ?? null;
  return { state: burn.state, text: translate(lang, `burn.state.${burn.state}`), tone: burnTone[burn.state], rate: formatBurnRate(hour, fmt) };
}

/** "Budget left": minutes of downtime left (or over), and when it runs out at the current 1h burn rate. */
export function budgetTimeText(slo: Pick<SloStatus, 'errorBudget' | 'burn'>, lang: Language, fmt: Formatters): string | null {
  const b = slo.errorBudget;
  if (!b || b.remainingMinutes === undefined) return null;
  const left =
    b.remainingMinutes >= 0
      ? translate(lang, 'burn.minutesLeft', { time: formatMinutes(b.remainingMinutes, fmt) })
      : translate(lang, 'burn.minutesOver', { time: formatMinutes(-b.remainingMinutes, fmt) });
  const exhausts = slo.burn?.exhaustsInMinutes;
  if (exhausts === null || exhausts === undefined) return left;
  if (exhausts === 0) return left;
  return `${left} · ${translate(lang, 'burn.exhaustsIn', { time: formatMinutes(exhausts, fmt) })}`;
}
