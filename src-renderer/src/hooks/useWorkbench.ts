import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { RunSummary } from '../../../src-shared/api';
import type { ConnectionState } from '../api';
import { api } from '../api';
import {
  EMPTY_RUN_STORE,
  progressOf,
  withProgress,
  withRun,
  withRunList,
  withoutRun,
  type LiveProgress,
  type RunStore,
} from '../lib/run-store';

export interface Workbench {
  /** Every run, newest first: per run the newest record seen (lib/run-store). */
  runs: RunSummary[];
  /** The latest progress of each run, while it runs. */
  progress: ReadonlyMap<number, LiveProgress>;
  connection: ConnectionState;
  loadError: Error | null;
  /** Merges a run the UI got from a call (e.g. startRun) into the store; an older record than the one held is ignored. */
  upsertRun(run: RunSummary): void;
  /** Takes a deleted run out of the list before its event arrives. */
  removeRun(runId: number): void;
  refresh(): void;
}

/** The run list and live progress, kept current from replies, list reloads and runUpdated / runProgress events. */
export function useWorkbench(): Workbench {
  // Held in a ref, so a handler sees what the handler before it applied; the state only re-renders.
  const store = useRef<RunStore>(EMPTY_RUN_STORE);
  const [snapshot, setSnapshot] = useState<RunStore>(EMPTY_RUN_STORE);
  /** Counts what the store learns, in order: a list reply knows what was learned before it was asked for. */
  const learned = useRef(0);
  const [connection, setConnection] = useState<ConnectionState>('connecting');
  const [loadError, setLoadError] = useState<Error | null>(null);

  const apply = useCallback((change: (current: RunStore, at: number) => RunStore) => {
    const next = change(store.current, ++learned.current);
    if (next === store.current) return;
    store.current = next;
    setSnapshot(next);
  }, []);

  const upsertRun = useCallback((run: RunSummary) => apply((s, at) => withRun(s, run, at)), [apply]);
  const removeRun = useCallback((runId: number) => apply((s, at) => withoutRun(s, runId, at)), [apply]);

  const refresh = useCallback(() => {
    const askedAt = learned.current;
    api.listRuns({}).then(
      (list) => {
        apply((s, at) => withRunList(s, list, askedAt, at));
        setLoadError(null);
      },
      (error: unknown) => setLoadError(error instanceof Error ? error : new Error(String(error))),
    );
  }, [apply]);

  useEffect(() => {
    refresh();
    const offEvent = api.onEvent((event) => {
      if (event.name === 'runUpdated') upsertRun(event.payload);
      else if (event.name === 'runDeleted') removeRun(event.payload.runId);
      else if (event.name === 'runProgress') {
        const p = event.payload;
        const unknown = !store.current.entries.has(p.runId);
        apply((s, at) => withProgress(s, p, performance.now(), at));
        // A run started elsewhere (another window, the CLI): fetch the list to learn its row, once.
        if (unknown && store.current.entries.has(p.runId)) refresh();
      }
    });
    const offConnection = api.onConnection((state) => {
      setConnection(state);
      // Events may have been missed before the stream (re)opened.
      if (state === 'open') refresh();
    });
    return () => {
      offEvent();
      offConnection();
    };
  }, [apply, refresh, upsertRun, removeRun]);

  const progress = useMemo(() => progressOf(snapshot), [snapshot]);
  return { runs: snapshot.runs, progress, connection, loadError, upsertRun, removeRun, refresh };
}
