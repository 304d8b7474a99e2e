import type { ApiEvent } from '../../../src-shared/api';
import type { CallReply } from '../../../src-shared/transport';
import { API_PREFIX, EVENTS_PATH, TOKEN_HEADER, TOKEN_QUERY } from '../../../src-shared/transport';
import type { ConnectionState, Transport } from './transport';

const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 10_000;

/** The per-launch token from the page URL's `?token=`; the URL is left as is so a reload keeps working. */
export function tokenFromLocation(location: Location = window.location): string {
  return new URLSearchParams(location.search).get(TOKEN_QUERY) ?? '';
}

/**
 * Browser mode: `POST /api/<method>` with the token header, events as server-sent events.
 * One EventSource is shared by every subscriber; it opens with the first and closes with the last.
 */
export function browserTransport(token: string): Transport {
  const listeners = new Set<(event: ApiEvent) => void>();
  const connectionListeners = new Set<(state: ConnectionState) => void>();
  let state: ConnectionState = 'closed';
  let source: EventSource | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let retryMs = RECONNECT_MIN_MS;

  const setState = (next: ConnectionState) => {
    if (next === state) return;
    state = next;
    for (const l of connectionListeners) l(next);
  };

  const connect = () => {
    retryTimer = null;
    setState('connecting');
    const es = new EventSource(`${EVENTS_PATH}?${TOKEN_QUERY}=${encodeURIComponent(token)}`);
    source = es;
    es.onopen = () => {
      retryMs = RECONNECT_MIN_MS;
      setState('open');
    };
    es.onmessage = (msg: MessageEvent<string>) => {
      let event: ApiEvent;
      try {
        event = JSON.parse(msg.data) as ApiEvent;
      } catch {
        return; // a malformed frame is dropped, not fatal
      }
      for (const l of listeners) l(event);
    };
    es.onerror = () => {
      // EventSource retries by itself while CONNECTING; once CLOSED (HTTP error, server gone) it
      // gives up for good, so we reopen it ourselves with a backoff.
      if (es.readyState === EventSource.CLOSED) {
        es.close();
        source = null;
        setState('closed');
        scheduleReconnect();
      } else {
        setState('connecting');
      }
    };
  };

  const scheduleReconnect = () => {
    if (retryTimer || listeners.size === 0) return;
    retryTimer = setTimeout(connect, retryMs);
    retryMs = Math.min(retryMs * 2, RECONNECT_MAX_MS);
  };

  const disconnect = () => {
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = null;
    source?.close();
    source = null;
    setState('closed');
  };

  return {
    kind: 'browser',
    async call(method, args) {
      const response = await fetch(`${API_PREFIX}${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [TOKEN_HEADER]: token },
        body: JSON.stringify(args ?? {}),
      });
      const text = await response.text();
      try {
        const reply = JSON.parse(text) as CallReply;
        if (reply && typeof reply === 'object' && 'ok' in reply) return reply;
      } catch {
        // not a CallReply: reported below with the HTTP status
      }
      return {
        ok: false,
        error: {
          code: 'internal',
          message: `${method}: HTTP ${response.status} ${response.statusText}${text ? ` — ${text.slice(0, 200)}` : ''}`,
        },
      };
    },
    subscribe(listener) {
      listeners.add(listener);
      if (!source && !retryTimer) connect();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) disconnect();
      };
    },
    onConnection(listener) {
      connectionListeners.add(listener);
      listener(state);
      return () => connectionListeners.delete(listener);
    },
  };
}
