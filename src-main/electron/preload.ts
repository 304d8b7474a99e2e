/**
 * The preload: exposes only the typed API bridge (never ipcRenderer itself). Runs sandboxed with
 * contextIsolation; the main process validates every argument again.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { ApiEvent } from '../../src-shared/api';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, type PreloadBridge } from '../../src-shared/transport';

const bridge: PreloadBridge = {
  invoke: (method, args) => ipcRenderer.invoke(IPC_INVOKE_CHANNEL, method, args),
  onEvent: (listener) => {
    const wrapped = (_event: Electron.IpcRendererEvent, payload: ApiEvent) => listener(payload);
    ipcRenderer.on(IPC_EVENT_CHANNEL, wrapped);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, wrapped);
    };
  },
};

contextBridge.exposeInMainWorld('scorebench', bridge);
