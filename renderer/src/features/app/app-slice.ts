import type { InvokeResponse } from '../../../../shared/contract';
import type { Language } from '../../../../shared/i18n/messages';
import type { ErrorInfo } from '../../../../shared/result';
import type { ConnectionState } from '../../api/client';
import type { SliceCreator } from '../../store/store';

/** What `app.getInfo` returns: environment, pack, refresh interval and dashboards. */
export type AppInfo = InvokeResponse<'app.getInfo'>;

/** The four places of the left nav. */
export type View = 'overview' | 'alerts' | 'incidents' | 'playbooks' | 'shift' | 'azure' | 'settings';

/** App-wide state: who we talk to, in which language, which view, and whether the session still holds. */
export type AppSlice = {
  info: AppInfo | null;
  infoError: ErrorInfo | null;
  lang: Language;
  view: View;
  /** 'expired' after a 401: every view is replaced by the "open the URL from guardia serve" message. */
  session: 'ok' | 'expired';
  connection: ConnectionState;
  /** When this window started; the staleness clock counts from here until the first sample arrives. */
  startedAt: number;
  /** Alert selected in the Alerts view (set when jumping from the Overview). */
  selectedAlert: string | null;
  /** Playbook selected in the Playbooks view (set when jumping from an alert). */
  selectedPlaybook: string | null;
  /** Bumped when the event stream reconnects: missed deltas mean every snapshot must be reloaded. */
  resyncCount: number;
  setInfo(info: AppInfo): void;
  setInfoError(error: ErrorInfo | null): void;
  setLang(lang: Language): void;
  setView(view: View): void;
  setSessionExpired(): void;
  setConnection(state: ConnectionState): void;
  openAlert(fingerprint: string | null): void;
  openPlaybook(id: string | null): void;
  requestResync(): void;
};

export const createAppSlice: SliceCreator<AppSlice> = (set) => ({
  info: null,
  infoError: null,
  lang: 'en',
  view: 'overview',
  session: 'ok',
  connection: 'connecting',
  startedAt: Date.now(),
  selectedAlert: null,
  selectedPlaybook: null,
  resyncCount: 0,
  setInfo: (info) => set({ info, infoError: null }),
  setInfoError: (infoError) => set({ infoError }),
  setLang: (lang) => set({ lang }),
  setView: (view) => set({ view }),
  setSessionExpired: () => set({ session: 'expired', connection: 'unauthorized' }),
  setConnection: (connection) => set({ connection }),
  openAlert: (selectedAlert) => set({ selectedAlert, view: 'alerts' }),
  openPlaybook: (selectedPlaybook) => set({ selectedPlaybook, view: 'playbooks' }),
  requestResync: () => set((s) => ({ resyncCount: s.resyncCount + 1 })),
});
