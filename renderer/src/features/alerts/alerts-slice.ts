import type { EventPayload } from '../../../../shared/contract';
import type { Alert } from '../../../../shared/domain';
import type { SliceCreator } from '../../store/store';

/**
 * Active alerts keyed by fingerprint: `alerts.changed` carries deltas (firing = new or updated,
 * resolved = gone), so a map makes an alert storm an O(changes) update.
 */
export type AlertsSlice = {
  alertsById: Record<string, Alert>;
  alertsUpdatedAt: number | null;
  setAlerts(alerts: readonly Alert[], updatedAt: number | null): void;
  applyAlertsChanged(change: EventPayload<'alerts.changed'>): void;
};

export const createAlertsSlice: SliceCreator<AlertsSlice> = (set) => ({
  alertsById: {},
  alertsUpdatedAt: null,
  setAlerts: (alerts, alertsUpdatedAt) =>
    set({
      alertsById: Object.fromEntries(alerts.filter((a) => a.state !== 'resolved').map((a) => [a.fingerprint, a])),
      alertsUpdatedAt,
    }),
  applyAlertsChanged: (change) =>
    set((s) => {
      const next = { ...s.alertsById };
      for (const alert of change.firing) {
        if (alert.state === 'resolved') delete next[alert.fingerprint];
        else next[alert.fingerprint] = alert;
      }
      for (const alert of change.updated ?? []) next[alert.fingerprint] = alert;
      for (const alert of change.resolved) delete next[alert.fingerprint];
      return { alertsById: next, alertsUpdatedAt: change.updatedAt };
    }),
});
