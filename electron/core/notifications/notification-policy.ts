import type { Alert, GuardiaNotification } from '../../../shared/domain.js';
import { compareSeverity } from '../alerts/normalize.js';

/** Above this many new alerts in one poll, one summary replaces individual notifications. */
export const stormThreshold = 3;

/**
 * Decides which new alerts deserve a desktop notification: new P1/P2 alerts that nobody silenced.
 * A storm becomes one summary ("37 alerts: 12 HighErrorRate, …") instead of 37 popups.
 */
export function notificationsFor(
  newAlerts: readonly Alert[],
  now: number,
  makeId: () => string,
): GuardiaNotification[] {
  const worthy = newAlerts
    .filter((a) => (a.severity === 'P1' || a.severity === 'P2') && !a.silenced && !a.inhibited)
    .sort((a, b) => compareSeverity(a.severity, b.severity));
  if (worthy.length === 0) return [];
  if (worthy.length > stormThreshold) {
    const counts = new Map<string, number>();
    for (const a of worthy) counts.set(a.name, (counts.get(a.name) ?? 0) + 1);
    const top = [...counts].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([name, n]) => `${n} ${name}`);
    return [
      {
        id: makeId(),
        time: now,
        severity: worthy[0]!.severity,
        title: `${worthy.length} new alerts`,
        body: top.join(', ') + (counts.size > 3 ? ', …' : ''),
        alertFingerprint: null,
      },
    ];
  }
  return worthy.map((a) => ({
    id: makeId(),
    time: now,
    severity: a.severity,
    title: `${a.severity} ${a.name}`,
    body: a.summary,
    alertFingerprint: a.fingerprint,
  }));
}
