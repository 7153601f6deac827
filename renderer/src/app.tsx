import { useEffect, useMemo } from 'react';
import type { GuardiaApi } from './api/client';
import { AppHeader } from './components/app-header';
import { SessionExpired } from './components/session-expired';
import { SideNav } from './components/side-nav';
import { Toasts } from './components/toasts';
import { AlertsView } from './features/alerts/alerts-view';
import { AzureView } from './features/azure/azure-view';
import { IncidentsView } from './features/incidents/incidents-view';
import { OverviewView } from './features/overview/overview-view';
import { PlaybooksView } from './features/playbooks/playbooks-view';
import { ShiftView } from './features/shift/shift-view';
import { NoteShortcut } from './features/journal/note-shortcut';
import { BrowserNotificationBridge } from './features/notifications/header-controls';
import { ConnectionsView } from './features/settings/connections-view';
import { applyDocumentLanguage } from './i18n/language';
import { useI18n } from './i18n/use-i18n';
import { GuardiaProvider, useGuardia, useSyncActions } from './store/guardia-context';
import type { GuardiaStore } from './store/store';
import { createSync } from './store/sync';

function CurrentView() {
  const view = useGuardia((s) => s.view);
  switch (view) {
    case 'overview':
      return <OverviewView />;
    case 'alerts':
      return <AlertsView />;
    case 'playbooks':
      return <PlaybooksView />;
    case 'shift':
      return <ShiftView />;
    case 'azure':
      return <AzureView />;
    case 'settings':
      return <ConnectionsView />;
    case 'incidents':
      return <IncidentsView />;
  }
}

function LoadError() {
  const { t } = useI18n();
  const error = useGuardia((s) => s.infoError);
  const { reload } = useSyncActions();
  if (!error) return null;
  return (
    <div className="banner banner-bad" role="alert" data-testid="load-error">
      <strong>{t('app.loadFailed')}</strong> {t('error.withCode', { message: error.message, code: error.code })}
      <button type="button" className="btn btn-small" onClick={() => void reload()}>
        {t('app.retry')}
      </button>
    </div>
  );
}

function Shell() {
  const lang = useGuardia((s) => s.lang);
  const session = useGuardia((s) => s.session);
  const production = useGuardia((s) => s.info?.environments.find((e) => e.id === s.info?.activeEnvironment)?.production ?? false);
  useEffect(() => applyDocumentLanguage(lang), [lang]);
  if (session === 'expired') return <SessionExpired />;
  return (
    <div className={`app ${production ? 'env-is-production' : ''}`}>
      <AppHeader />
      <div className="app-body">
        <SideNav />
        <main className="app-main">
          <LoadError />
          <CurrentView />
        </main>
      </div>
      <Toasts />
      <NoteShortcut />
      <BrowserNotificationBridge />
    </div>
  );
}

/**
 * The whole renderer for one API and one store: starts the sync (events + snapshots), reloads
 * snapshots when the event stream reconnects, and renders the shell. Tests mount it with a fake API.
 */
export function GuardiaApp({ api, store }: { api: GuardiaApi; store: GuardiaStore }) {
  const sync = useMemo(() => createSync(api, store), [api, store]);
  useEffect(() => {
    const stop = sync.start();
    let seen = store.getState().resyncCount;
    const off = store.subscribe((state) => {
      if (state.resyncCount !== seen) {
        seen = state.resyncCount;
        void sync.reload();
      }
    });
    return () => {
      off();
      stop();
    };
  }, [sync, store]);
  return (
    <GuardiaProvider store={store} api={api} actions={sync}>
      <Shell />
    </GuardiaProvider>
  );
}
