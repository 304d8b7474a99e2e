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
  refresh(): void;
}

const byNewest = (a: RunSummary, b: RunSummary) => b.id - a.id;

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
    if (run.status !== 'running' && run.status !== 'queued')
      setProgress((prev) => {
        if (!prev.has(run.id)) return prev;
        const next = new Map(prev);
        next.delete(run.id);
        return next;
      });
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
  }, [refresh, upsertRun]);

  return { runs, progress, connection, loadError, upsertRun, refresh };
}
