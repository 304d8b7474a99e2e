import { useCallback, useMemo, useState } from 'react';
import type { ApiCalls, RunSummary } from '../../../src-shared/api';
import { BUNDLE_FILE_SUFFIX } from '../../../src-shared/bundle';
import { api } from '../api';
import { downloadText, fileSafe } from '../lib/download';

export type RunMeta = Omit<ApiCalls['updateRunMeta']['args'], 'runId'>;

export interface RunEdits {
  busy: boolean;
  error: unknown;
  clearError(): void;
  /**
   * Renames, tags, annotates or (un)archives runs; each changed row goes to onChanged. A function
   * gives each run its own change (null: leave it), looked up in `runs`.
   */
  update(runIds: readonly number[], meta: RunMeta | ((run: RunSummary) => RunMeta | null), runs?: readonly RunSummary[]): Promise<boolean>;
  /** Deletes runs for good; each id goes to onRemoved. */
  remove(runIds: readonly number[]): Promise<boolean>;
  /** Downloads the run as a bundle file another Scorebench imports. */
  exportBundle(run: RunSummary): Promise<boolean>;
  /** Imports a bundle file as a new run; resolves to it, or null when refused (see error). */
  importBundle(file: File): Promise<RunSummary | null>;
}

/**
 * What the runs table and the run page change about runs, with one busy flag and one error
 * (an ApiError names the field at fault, e.g. of a refused bundle). The functions keep their
 * identity across renders, so memoized rows can take them as props.
 */
export function useRunEdits(onChanged: (run: RunSummary) => void, onRemoved: (runId: number) => void): RunEdits {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const attempt = useCallback(async <T,>(work: () => Promise<T>, failed: T): Promise<T> => {
    setBusy(true);
    setError(null);
    try {
      return await work();
    } catch (e) {
      setError(e);
      return failed;
    } finally {
      setBusy(false);
    }
  }, []);

  const actions = useMemo(
    () => ({
      update: (runIds: readonly number[], meta: RunMeta | ((run: RunSummary) => RunMeta | null), runs: readonly RunSummary[] = []) =>
        attempt(async () => {
          for (const runId of runIds) {
            const run = runs.find((r) => r.id === runId);
            const patch = typeof meta === 'function' ? (run ? meta(run) : null) : meta;
            if (patch) onChanged(await api.updateRunMeta({ runId, ...patch }));
          }
          return true;
        }, false),
      remove: (runIds: readonly number[]) =>
        attempt(async () => {
          for (const runId of runIds) {
            await api.deleteRun({ runId });
            onRemoved(runId);
          }
          return true;
        }, false),
      exportBundle: (run: RunSummary) =>
        attempt(async () => {
          const bundle = await api.exportRunBundle({ runId: run.id });
          downloadText(JSON.stringify(bundle), `${fileSafe(run.name)}${BUNDLE_FILE_SUFFIX}`, 'application/json');
          return true;
        }, false),
      importBundle: (file: File) =>
        attempt(async (): Promise<RunSummary | null> => {
          const run = await api.importRunBundle({ bundle: await file.text() });
          onChanged(run);
          return run;
        }, null),
    }),
    [attempt, onChanged, onRemoved],
  );
  const clearError = useCallback(() => setError(null), []);
  return { busy, error, clearError, ...actions };
}
