import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { GuardiaApi } from '../api/client';
import type { GuardiaState, GuardiaStore } from './store';
import type { SyncActions } from './sync';

type GuardiaContextValue = { store: GuardiaStore; api: GuardiaApi; actions: SyncActions };

const GuardiaContext = createContext<GuardiaContextValue | null>(null);

/** Makes the store, the API and the sync actions available to every view (and lets tests inject fakes). */
export function GuardiaProvider(props: GuardiaContextValue & { children: ReactNode }) {
  const { store, api, actions, children } = props;
  return <GuardiaContext.Provider value={{ store, api, actions }}>{children}</GuardiaContext.Provider>;
}

function useGuardiaContext(): GuardiaContextValue {
  const value = useContext(GuardiaContext);
  if (!value) throw new Error('GuardiaProvider is missing');
  return value;
}

/**
 * Reads from the store. The selector must return a stable value (a field, or `useShallow` for several):
 * zustand 5 re-renders forever on a selector that builds a new array each call.
 */
export function useGuardia<T>(selector: (state: GuardiaState) => T): T {
  return useStore(useGuardiaContext().store, selector);
}

/** The API, for the few views that call it directly (playbook actions, notes). */
export function useApi(): GuardiaApi {
  return useGuardiaContext().api;
}

/** Loads that views may trigger (range change, retry). */
export function useSyncActions(): SyncActions {
  return useGuardiaContext().actions;
}
