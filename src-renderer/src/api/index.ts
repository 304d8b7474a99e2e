import { browserTransport, tokenFromLocation } from './browser';
import type { ScorebenchClient } from './client';
import { createClient } from './client';
import { electronTransport } from './electron';

export type { ScorebenchClient } from './client';
export type { ConnectionState } from './transport';

/** The one client of this window: Electron's bridge when the preload provided it, HTTP otherwise. */
export const api: ScorebenchClient = createClient(
  window.scorebench ? electronTransport(window.scorebench) : browserTransport(tokenFromLocation()),
);
