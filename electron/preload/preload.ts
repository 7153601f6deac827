import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { eventChannelNames, invokeChannelNames, ipcPrefix } from '../../shared/contract.js';

const invokable = new Set<string>(invokeChannelNames);
const listenable = new Set<string>(eventChannelNames);

/**
 * The renderer's only door to core: named contract channels, nothing else. `ipcRenderer` itself is
 * never exposed, and Electron's event object (which carries the sender) is stripped before callbacks.
 */
contextBridge.exposeInMainWorld('guardia', {
  invoke(channel: string, request: unknown): Promise<unknown> {
    if (!invokable.has(channel)) {
      return Promise.resolve({ ok: false, error: { code: 'contract.unknown-channel', message: `Unknown channel "${channel}"` } });
    }
    return ipcRenderer.invoke(ipcPrefix + channel, request);
  },
  on(channel: string, callback: (payload: unknown) => void): () => void {
    if (!listenable.has(channel)) throw new Error(`Unknown event "${channel}"`);
    const listener = (_event: IpcRendererEvent, payload: unknown) => callback(payload);
    ipcRenderer.on(ipcPrefix + channel, listener);
    return () => ipcRenderer.removeListener(ipcPrefix + channel, listener);
  },
});
