import type { ApiEvent, ApiMethod } from '../../../src-shared/api';
import type { CallReply } from '../../../src-shared/transport';

/** Whether the event stream is connected; the UI refetches what it shows after a reconnect. */
export type ConnectionState = 'connecting' | 'open' | 'closed';

/**
 * What the client needs from a way of reaching the backend: one call and one event stream.
 * Two small implementations: Electron's preload bridge and the browser-mode HTTP server.
 */
export interface Transport {
  readonly kind: 'electron' | 'browser';
  call(method: ApiMethod, args: unknown): Promise<CallReply>;
  /** Subscribes to every ApiEvent; returns the unsubscribe function. */
  subscribe(listener: (event: ApiEvent) => void): () => void;
  /** Reports connection changes of the event stream; returns the unsubscribe function. */
  onConnection(listener: (state: ConnectionState) => void): () => void;
}
