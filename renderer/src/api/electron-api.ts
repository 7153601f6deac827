import type { EventChannel, InvokeChannel } from '../../../shared/contract';
import type { Result } from '../../../shared/result';
import type { GuardiaApi } from './client';

/** What the preload exposes as `window.guardia` (contextBridge): the same two functions, untyped at runtime. */
export type GuardiaBridge = {
  invoke(channel: string, req: unknown): Promise<unknown>;
  on(event: string, cb: (payload: unknown) => void): () => void;
};

/**
 * Wraps the preload bridge. Core already answers with Result values; a rejected promise (the IPC
 * layer failing, not the call) is turned into one too so callers handle a single shape.
 */
export function createElectronApi(bridge: GuardiaBridge): GuardiaApi {
  return {
    async invoke(channel: InvokeChannel, req: unknown) {
      try {
        return (await bridge.invoke(channel, req)) as Result<never>;
      } catch (error) {
        return { ok: false, error: { code: 'ipc', message: error instanceof Error ? error.message : String(error) } };
      }
    },
    on(event: EventChannel, cb: (payload: never) => void) {
      return bridge.on(event, cb as (payload: unknown) => void);
    },
  } as GuardiaApi;
}
