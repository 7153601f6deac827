import { createStore, type StateCreator, type StoreApi } from 'zustand/vanilla';
import { createAlertsSlice, type AlertsSlice } from '../features/alerts/alerts-slice';
import { createAppSlice, type AppSlice } from '../features/app/app-slice';
import { createIncidentsSlice, type IncidentsSlice } from '../features/incidents/incidents-slice';
import { createJournalSlice, type JournalSlice } from '../features/journal/journal-slice';
import { createMetricsSlice, type MetricsSlice } from '../features/metrics/metrics-slice';
import { createNotificationsSlice, type NotificationsSlice } from '../features/notifications/notifications-slice';
import { createPlaybooksSlice, type PlaybooksSlice } from '../features/playbooks/playbooks-slice';
import { createSlosSlice, type SlosSlice } from '../features/slos/slos-slice';
import { createSourcesSlice, type SourcesSlice } from '../features/sources/sources-slice';

/** The whole renderer state: one store, one slice per domain. Derived values live in selectors, not here. */
export type GuardiaState = AppSlice &
  MetricsSlice &
  SourcesSlice &
  SlosSlice &
  AlertsSlice &
  PlaybooksSlice &
  JournalSlice &
  IncidentsSlice &
  NotificationsSlice;

/** What each `features/<domain>/<domain>-slice.ts` exports: a piece of the combined store. */
export type SliceCreator<T> = StateCreator<GuardiaState, [], [], T>;

export type GuardiaStore = StoreApi<GuardiaState>;

/**
 * Builds a store. A factory rather than a module singleton so each test (and each window) gets its
 * own state; `initial` seeds fields such as the language.
 */
export function createGuardiaStore(initial: Partial<GuardiaState> = {}): GuardiaStore {
  return createStore<GuardiaState>()((...a) => ({
    ...createAppSlice(...a),
    ...createMetricsSlice(...a),
    ...createSourcesSlice(...a),
    ...createSlosSlice(...a),
    ...createAlertsSlice(...a),
    ...createPlaybooksSlice(...a),
    ...createJournalSlice(...a),
    ...createIncidentsSlice(...a),
    ...createNotificationsSlice(...a),
    ...initial,
  }));
}
