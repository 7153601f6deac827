import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createGuardiaApi } from './api/client';
import { GuardiaApp } from './app';
import { initialLanguage } from './i18n/language';
import { createGuardiaStore } from './store/store';
import './styles/base.css';
import './styles/layout.css';
import './styles/overview.css';
import './styles/views.css';

/** Entry point: one store, the API of this face (Electron preload or `guardia serve`), one root. */
const store = createGuardiaStore({ lang: initialLanguage() });
const { api } = createGuardiaApi({
  onUnauthorized: () => store.getState().setSessionExpired(),
  onConnection: (state) => store.getState().setConnection(state),
  onReconnected: () => store.getState().requestResync(),
});

const container = document.getElementById('root');
if (!container) throw new Error('#root is missing from index.html');
createRoot(container).render(
  <StrictMode>
    <GuardiaApp api={api} store={store} />
  </StrictMode>,
);
