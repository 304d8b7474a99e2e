import type { PreloadBridge } from '../../../src-shared/transport';
import type { Transport } from './transport';

declare global {
  interface Window {
    /** Exposed by the Electron preload (contextBridge); absent in browser mode. */
    scorebench?: PreloadBridge;
  }
}

/** IPC through the preload bridge: the event channel lives as long as the window, so it is always open. */
export function electronTransport(bridge: PreloadBridge): Transport {
  return {
    kind: 'electron',
    call: (method, args) => bridge.invoke(method, args as never),
    subscribe: (listener) => bridge.onEvent(listener),
    onConnection: (listener) => {
      listener('open');
      return () => {};
    },
  };
}
