import type { Unit } from '../../../shared/pack';
import { translate, type Language } from '../../../shared/i18n/messages';
import { resolveLocale } from './language';

/**
 * Locale-aware formatting of everything the UI shows as a number or a time. Times are always in the
 * viewer's local time zone (the contract carries epoch ms). Intl formatters are cached: charts format
 * hundreds of ticks and tooltips per second.
 */
export type Formatters = {
  lang: Language;
  locale: string;
  number(value: number, maxFractionDigits?: number): string;
  /** A percentage given in 0..100. */
  percent(value: number, maxFractionDigits?: number): string;
  /** A value in a pack unit, e.g. 0.32 seconds → "320 ms", 0.0012 ratio → "0.12%". */
  measure(value: number | null | undefined, unit: Unit): string;
  /** Short axis label for a value in a unit. */
  axis(value: number, unit: Unit): string;
  /** HH:MM local, 24-hour. */
  time(ms: number): string;
  /** HH:MM:SS local. */
  timeSeconds(ms: number): string;
  dateTime(ms: number): string;
  /** Compact elapsed time: "45s", "12m", "3h 12m", "2d 4h". */
  duration(ms: number): string;
  /** A Prometheus duration ("30d") in words ("30 days"); anything else unchanged. */
  window(duration: string): string;
};

const cache = new Map<string, Formatters>();
const numberFormats = new Map<string, Intl.NumberFormat>();

function nf(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, options);
    numberFormats.set(key, format);
  }
  return format;
}

const dash = '—';

/** Fraction digits that keep the digits an on-call engineer compares (99.95 vs 99.9, 0.012 vs 0.1). */
export function percentDigits(value: number): number {
  const abs = Math.abs(value);
  if (abs === 0) return 0;
  if (abs >= 99 && abs < 100) return 3;
  if (abs < 1) return 3;
  if (abs < 10) return 2;
  return 1;
}

function magnitudeDigits(value: number): number {
  const abs = Math.abs(value);
  if (abs >= 100) return 0;
  if (abs >= 10) return 1;
  return 2;
}

const windowUnits: Record<string, Intl.NumberFormatOptions['unit']> = {
  ms: 'millisecond',
  s: 'second',
  m: 'minute',
  h: 'hour',
  d: 'day',
  w: 'week',
  y: 'year',
};

/** Formatters for a UI language, cached per language and locale. */
export function getFormatters(lang: Language, preferred?: readonly string[]): Formatters {
  const locale = resolveLocale(lang, preferred);
  const key = `${lang}|${locale}`;
  const cached = cache.get(key);
  if (cached) return cached;

  // 24-hour clock in both languages: on-call timelines and Grafana use it, and "03:00" is never ambiguous
  const timeFormat = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const timeSecondsFormat = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
  const dateTimeFormat = new Intl.DateTimeFormat(locale, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });
  const unitPart = (value: number, unit: Intl.NumberFormatOptions['unit'], display: 'narrow' | 'short' | 'long' = 'narrow') =>
    nf(locale, { style: 'unit', unit, unitDisplay: display, maximumFractionDigits: 0 }).format(value);

  const number = (value: number, maxFractionDigits = magnitudeDigits(value)) =>
    nf(locale, { maximumFractionDigits: maxFractionDigits }).format(value);
  const percent = (value: number, maxFractionDigits = percentDigits(value)) =>
    nf(locale, { style: 'percent', maximumFractionDigits: maxFractionDigits }).format(value / 100);
  const compact = (value: number) =>
    Math.abs(value) >= 10_000
      ? nf(locale, { notation: 'compact', maximumFractionDigits: 1 }).format(value)
      : number(value);
  const seconds = (value: number, short = false) => {
    const abs = Math.abs(value);
    if (abs < 1) {
      const ms = value * 1000;
      return nf(locale, {
        style: 'unit',
        unit: 'millisecond',
        unitDisplay: 'short',
        maximumFractionDigits: short || Math.abs(ms) >= 10 ? 0 : 1,
      }).format(ms);
    }
    return nf(locale, { style: 'unit', unit: 'second', unitDisplay: 'narrow', maximumFractionDigits: short ? 1 : 2 }).format(value);
  };
  const bytes = (value: number) => {
    const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;
    let v = value;
    let i = 0;
    while (Math.abs(v) >= 1024 && i < units.length - 1) {
      v /= 1024;
      i += 1;
    }
    return nf(locale, { style: 'unit', unit: units[i], unitDisplay: 'short', maximumFractionDigits: i === 0 ? 0 : 1 }).format(v);
  };

  const measure = (value: number | null | undefined, unit: Unit): string => {
    if (value === null || value === undefined || !Number.isFinite(value)) return dash;
    switch (unit) {
      case 'ratio':
        return percent(value * 100);
      case 'percent':
        return percent(value);
      case 'seconds':
        return seconds(value);
      case 'rps':
        return `${compact(value)} req/s`;
      case 'per-minute':
        return `${compact(value)}/min`;
      case 'count':
        return compact(value);
      case 'bytes':
        return bytes(value);
      case 'pen':
        return nf(locale, {
          style: 'currency',
          currency: 'PEN',
          notation: Math.abs(value) >= 100_000 ? 'compact' : 'standard',
          maximumFractionDigits: Math.abs(value) >= 1000 ? 0 : 2,
        }).format(value);
      case 'bool':
        return translate(lang, value >= 0.5 ? 'health.up' : 'health.down');
      default:
        return number(value);
    }
  };

  const axis = (value: number, unit: Unit): string => {
    switch (unit) {
      case 'ratio':
        return nf(locale, { style: 'percent', maximumFractionDigits: value !== 0 && Math.abs(value) < 0.01 ? 2 : 1 }).format(value);
      case 'percent':
        return nf(locale, { style: 'percent', maximumFractionDigits: value !== 0 && Math.abs(value) < 1 ? 2 : 1 }).format(value / 100);
      case 'seconds':
        return seconds(value, true);
      case 'rps':
      case 'per-minute':
      case 'count':
      case 'pen':
        return nf(locale, { notation: 'compact', maximumFractionDigits: 1 }).format(value);
      case 'bytes':
        return bytes(value);
      default:
        return measure(value, unit);
    }
  };

  const duration = (ms: number): string => {
    const total = Math.max(0, Math.floor(ms / 1000));
    if (total < 60) return unitPart(total, 'second');
    const minutes = Math.floor(total / 60);
    if (minutes < 60) return unitPart(minutes, 'minute');
    const hours = Math.floor(minutes / 60);
    if (hours < 24) {
      const rest = minutes % 60;
      return rest ? `${unitPart(hours, 'hour')} ${unitPart(rest, 'minute')}` : unitPart(hours, 'hour');
    }
    const days = Math.floor(hours / 24);
    const rest = hours % 24;
    return rest ? `${unitPart(days, 'day')} ${unitPart(rest, 'hour')}` : unitPart(days, 'day');
  };

  const windowText = (text: string): string => {
    const match = /^(\d+)(ms|s|m|h|d|w|y)$/.exec(text);
    if (!match) return text;
    return unitPart(Number(match[1]), windowUnits[match[2]!], 'long');
  };

  const formatters: Formatters = {
    lang,
    locale,
    number,
    percent,
    measure,
    axis,
    time: (ms) => timeFormat.format(ms),
    timeSeconds: (ms) => timeSecondsFormat.format(ms),
    dateTime: (ms) => dateTimeFormat.format(ms),
    duration,
    window: windowText,
  };
  cache.set(key, formatters);
  return formatters;
}
