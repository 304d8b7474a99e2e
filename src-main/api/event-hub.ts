/** Fan-out of ApiEvents to every connected client (Electron windows, SSE streams, the CLI). */
import type { ApiEvent, ApiEventName, ApiEvents } from '../../src-shared/api';

export type EventListener = (event: ApiEvent) => void;

export class EventHub {
  private readonly listeners = new Set<EventListener>();

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit<K extends ApiEventName>(name: K, payload: ApiEvents[K]): void {
    const event = { name, payload } as ApiEvent;
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A broken client must not stop the others from hearing about the run.
      }
    }
  }
}
