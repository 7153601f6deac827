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
