import type { EventPayload, InvokeResponse } from '../../../../shared/contract';
import type { PagingIncident, PagingUser } from '../../../../shared/paging';
import type { ErrorInfo } from '../../../../shared/result';
import type { GuardiaApi } from '../../api/client';
import type { SliceCreator, GuardiaStore } from '../../store/store';

/** What `paging.getOnCall` answers: on call now and next, my shift, reassignment targets. */
export type OnCallInfo = InvokeResponse<'paging.getOnCall'>;

/**
 * PagerDuty's open incidents (triggered and acknowledged), loaded once and kept current by
 * `paging.changed` deltas; who is on call. `pagingStatus` is `off` when no PagerDuty is configured.
 */
export type IncidentsSlice = {
  pagingIncidents: Record<string, PagingIncident>;
  pagingMe: PagingUser | null;
  pagingStatus: 'idle' | 'ready' | 'off' | 'error';
  pagingError: ErrorInfo | null;
  pagingUpdatedAt: number | null;
  onCall: OnCallInfo | null;
  selectedIncident: string | null;
  setPagingIncidents(incidents: readonly PagingIncident[], me: PagingUser | null, updatedAt: number | null): void;
  applyPagingChanged(payload: EventPayload<'paging.changed'>): void;
  pagingFailed(error: ErrorInfo): void;
  setOnCall(onCall: OnCallInfo): void;
  openIncident(id: string | null): void;
};

export const createIncidentsSlice: SliceCreator<IncidentsSlice> = (set) => ({
  pagingIncidents: {},
  pagingMe: null,
  pagingStatus: 'idle',
  pagingError: null,
  pagingUpdatedAt: null,
  onCall: null,
  selectedIncident: null,
  setPagingIncidents: (incidents, me, updatedAt) =>
    set({
      pagingIncidents: Object.fromEntries(incidents.map((i) => [i.id, i])),
      pagingMe: me,
      pagingUpdatedAt: updatedAt,
      pagingStatus: 'ready',
      pagingError: null,
    }),
  applyPagingChanged: (p) =>
    set((s) => {
      const next = { ...s.pagingIncidents };
      for (const i of [...p.added, ...p.updated]) next[i.id] = i;
      for (const id of p.removed) delete next[id];
      return { pagingIncidents: next, pagingUpdatedAt: p.updatedAt, pagingStatus: s.pagingStatus === 'off' ? 'off' : 'ready' };
    }),
  pagingFailed: (error) => set({ pagingStatus: error.code === 'paging.not-configured' ? 'off' : 'error', pagingError: error }),
  setOnCall: (onCall) => set({ onCall }),
  openIncident: (selectedIncident) => set(selectedIncident ? { selectedIncident, view: 'incidents' } : { selectedIncident }),
});

/** Loads the open incidents and who is on call (sync's reload calls it; the view's retry too). */
export async function loadPaging(api: GuardiaApi, store: GuardiaStore): Promise<void> {
  const state = store.getState;
  const [list, onCall] = await Promise.all([api.invoke('paging.listIncidents', {}), api.invoke('paging.getOnCall', {})]);
  if (list.ok) state().setPagingIncidents(list.value.incidents, list.value.me, list.value.updatedAt);
  else state().pagingFailed(list.error);
  if (onCall.ok) state().setOnCall(onCall.value);
}
