import type { Alert } from '../../../shared/domain.js';
import type { SeverityId } from '../../../shared/pack.js';
import { worstSeverity } from '../alerts/normalize.js';

/** What the tray icon shows; the Electron shell only maps `icon` to an image. */
export interface TrayState {
  icon: 'ok' | 'p1' | 'p2' | 'p3' | 'p4' | 'stale';
  severity: SeverityId | null;
  count: number;
  tooltip: string;
}

/** Tray state from the active alerts: the worst open severity and how many need attention. */
export function trayState(alerts: readonly Alert[], stale: boolean, label = 'Guardia'): TrayState {
  const open = alerts.filter((a) => a.state === 'firing' && !a.silenced && !a.inhibited);
  const severity = worstSeverity(open);
  if (stale) return { icon: 'stale', severity, count: open.length, tooltip: `${label}: data is stale` };
  if (!severity) return { icon: 'ok', severity: null, count: 0, tooltip: `${label}: no active alerts` };
  const worst = open.filter((a) => a.severity === severity).length;
  return {
    icon: severity.toLowerCase() as TrayState['icon'],
    severity,
    count: open.length,
    tooltip: `${label}: ${open.length} active alert${open.length === 1 ? '' : 's'} (${worst} ${severity})`,
  };
}

/** One entry of the tray menu; the Electron shell maps `id` to a core call. */
export interface TrayMenuItem {
  id: 'open' | 'ackAllMine' | 'snooze' | 'unsnooze' | 'oncall' | 'quit';
  label: string;
  enabled: boolean;
}

/** What the tray menu shows besides the alerts: snooze, what waits for my ack, who is on call. */
export interface TrayContext {
  snoozedUntil: number | null;
  snoozeMinutes: number;
  pendingAcks: number;
  onCallNow: string | null;
  onCallNext: string | null;
  /** Formats a time for "snoozed until 10:45". */
  formatTime: (t: number) => string;
  t: (key: TrayLabel, params?: Record<string, string | number>) => string;
}

/** Message keys the tray uses (shared/i18n/messages.ts). */
export type TrayLabel =
  | 'tray.open'
  | 'tray.ackAllMine'
  | 'tray.snooze'
  | 'tray.unsnooze'
  | 'tray.onCall'
  | 'tray.onCallUnknown'
  | 'tray.quit';

/**
 * The tray menu, computed here so the shell stays glue: open Guardia, ack all mine (disabled when
 * nothing waits), snooze or end the snooze, and who is on call now and next (informational).
 */
export function trayMenu(ctx: TrayContext, now: number): TrayMenuItem[] {
  const snoozed = ctx.snoozedUntil !== null && ctx.snoozedUntil > now;
  return [
    { id: 'open', label: ctx.t('tray.open'), enabled: true },
    { id: 'ackAllMine', label: ctx.t('tray.ackAllMine', { count: ctx.pendingAcks }), enabled: ctx.pendingAcks > 0 },
    snoozed
      ? { id: 'unsnooze', label: ctx.t('tray.unsnooze', { time: ctx.formatTime(ctx.snoozedUntil!) }), enabled: true }
      : { id: 'snooze', label: ctx.t('tray.snooze', { minutes: ctx.snoozeMinutes }), enabled: true },
    {
      id: 'oncall',
      label: ctx.onCallNow ? ctx.t('tray.onCall', { now: ctx.onCallNow, next: ctx.onCallNext ?? '—' }) : ctx.t('tray.onCallUnknown'),
      enabled: false,
    },
    { id: 'quit', label: ctx.t('tray.quit'), enabled: true },
  ];
}
