import { useCallback, useEffect, useRef, useState } from 'react';
import type { RunProgress, RunSummary } from '../../../src-main/common/api';
import type { ConnectionState } from '../api';
import { api } from '../api';

export interface Workbench {
  /** Every run, newest first. */
  runs: RunSummary[];
  /** The latest progress event of each run, while it runs. */
  progress: ReadonlyMap<number, RunProgress>;
  connection: ConnectionState;
  loadError: Error | null;
  /** Puts a run the UI just got from a call (e.g. startRun) into the list before its event arrives. */
  upsertRun(run: RunSummary): void;
  /** Takes a deleted run out of the list before its event arrives. */
  removeRun(runId: number): void;
  refresh(): void;
}

const byNewest = (a: RunSummary, b: RunSummary) => b.id - a.id;

/** The map without `key`; the same map when it had none, so React skips the update. */
function withoutKey<K, V>(map: ReadonlyMap<K, V>, key: K): ReadonlyMap<K, V> {
  if (!map.has(key)) return map;
  const next = new Map(map);
  next.delete(key);
  return next;
}

/** The run list and live progress, kept current from runUpdated / runProgress events. */
export function useWorkbench(): Workbench {
  const [runs, setRuns] = useState<RunSummary[]>([]);
  const [progress, setProgress] = useState<ReadonlyMap<number, RunProgress>>(new Map());
  const [connection, setConnection] = useState<ConnectionState>('connecting');
  const [loadError, setLoadError] = useState<Error | null>(null);
  const known = useRef(new Set<number>());

  const upsertRun = useCallback((run: RunSummary) => {
    known.current.add(run.id);
    setRuns((prev) => {
      const i = prev.findIndex((r) => r.id === run.id);
      const next = i < 0 ? [...prev, run] : prev.map((r) => (r.id === run.id ? run : r));
      return next.sort(byNewest);
    });
    if (run.status !== 'running' && run.status !== 'queued') setProgress((prev) => withoutKey(prev, run.id));
  }, []);

  const removeRun = useCallback((runId: number) => {
    known.current.delete(runId);
    setRuns((prev) => (prev.some((r) => r.id === runId) ? prev.filter((r) => r.id !== runId) : prev));
    setProgress((prev) => withoutKey(prev, runId));
  }, []);

  const refresh = useCallback(() => {
    api.listRuns({}).then(
      (list) => {
        known.current = new Set(list.map((r) => r.id));
        setRuns([...list].sort(byNewest));
        setLoadError(null);
      },
      (error: unknown) => setLoadError(error instanceof Error ? error : new Error(String(error))),
    );
  }, []);

  useEffect(() => {
    refresh();
    const offEvent = api.onEvent((event) => {
      if (event.name === 'runUpdated') upsertRun(event.payload);
      else if (event.name === 'runDeleted') removeRun(event.payload.runId);
      else if (event.name === 'runProgress') {
        const p = event.payload;
        setProgress((prev) => new Map(prev).set(p.runId, p));
        // A run started elsewhere (another window, the CLI): fetch the list to learn its row.
        if (!known.current.has(p.runId)) {
          known.current.add(p.runId);
          refresh();
        }
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
  }, [refresh, upsertRun, removeRun]);

  return { runs, progress, connection, loadError, upsertRun, removeRun, refresh };
}
