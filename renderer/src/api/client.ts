import type {
  EventChannel,
  EventPayload,
  InvokeChannel,
  InvokeRequest,
  InvokeResponse,
} from '../../../shared/contract';
import type { Result } from '../../../shared/result';
import { createElectronApi, type GuardiaBridge } from './electron-api';
import { createHttpApi, type HttpApiOptions } from './http-api';

/**
 * The renderer's only way to reach core, typed from shared/contract.ts. The Electron preload
 * (`window.guardia`) and the loopback HTTP server (`guardia serve`) both implement it, so every view
 * works the same in the desktop window and in a browser tab.
 */
export interface GuardiaApi {
  invoke<C extends InvokeChannel>(channel: C, req: InvokeRequest<C>): Promise<Result<InvokeResponse<C>>>;
  on<E extends EventChannel>(event: E, cb: (payload: EventPayload<E>) => void): () => void;
}

/** Connection health of the live event stream, shown in the header. */
export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'unauthorized';

/** Hooks the HTTP transport uses to tell the UI about the session and the stream. */
export type TransportHooks = Pick<HttpApiOptions, 'onUnauthorized' | 'onConnection' | 'onReconnected'>;

/** Which face we run in: the preload's bridge if present (Electron), else HTTP to the serving origin. */
export function createGuardiaApi(hooks: TransportHooks): { api: GuardiaApi; transport: 'electron' | 'http' } {
  const bridge = (window as unknown as { guardia?: GuardiaBridge }).guardia;
  if (bridge && typeof bridge.invoke === 'function' && typeof bridge.on === 'function') {
    hooks.onConnection?.('open');
    return { api: createElectronApi(bridge), transport: 'electron' };
  }
  return { api: createHttpApi({ ...hooks }), transport: 'http' };
}
