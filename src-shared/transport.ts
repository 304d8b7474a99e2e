/**
 * The wire contract shared by the two transports of the one API (see api.ts):
 *
 * - Electron: the preload exposes `window.scorebench: PreloadBridge` (contextBridge). `invoke`
 *   goes through ipcRenderer.invoke on channel IPC_INVOKE_CHANNEL; events arrive on
 *   IPC_EVENT_CHANNEL.
 * - Browser mode: `POST {base}/api/<method>` with the JSON arguments as body and the per-launch
 *   token in the TOKEN_HEADER header; events are server-sent events from
 *   `GET {base}/api/events?token=<token>`, each `data:` line one ApiEvent as JSON.
 *
 * Both answer every call with a CallReply, so errors keep their code and field issues.
 */
import type { ApiCalls, ApiErrorShape, ApiEvent, ApiMethod } from './api';

export type CallReply<T = unknown> = { ok: true; result: T } | { ok: false; error: ApiErrorShape };

export interface PreloadBridge {
  invoke<K extends ApiMethod>(method: K, args: ApiCalls[K]['args']): Promise<CallReply<ApiCalls[K]['result']>>;
  /** Subscribes to every ApiEvent; returns the unsubscribe function. */
  onEvent(listener: (event: ApiEvent) => void): () => void;
}

export const IPC_INVOKE_CHANNEL = 'scorebench:invoke';
export const IPC_EVENT_CHANNEL = 'scorebench:event';
export const TOKEN_HEADER = 'x-scorebench-token';
export const TOKEN_QUERY = 'token';
export const API_PREFIX = '/api/';
export const EVENTS_PATH = '/api/events';

/**
 * The renderer's Content-Security-Policy: its own scripts only, its own styles (inline ones for
 * React's style props), images also from data: and blob: URLs (PNG export), calls to its own
 * origin, no plugins, no <base>. CSP_META is what index.html carries (a meta tag cannot say
 * frame-ancestors); the HTTP server and the Electron shell send the whole policy as a header.
 */
export const CSP_META = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'";
export const CONTENT_SECURITY_POLICY = `${CSP_META}; frame-ancestors 'none'`;
