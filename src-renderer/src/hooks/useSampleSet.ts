import { useEffect, useState } from 'react';
import type { InspectProgress, SampleSet } from '../../../src-shared/api';
import { api } from '../api';

/**
 * Sets already fetched this session, by run, label and version, so scrubbing back to a position
 * is instant. A label is written again only when a run is resumed (its frames, the checkpoints
 * after the one it resumed from); the caller's `version` (the run's finish time) changes then.
 */
const cache = new Map<string, SampleSet>();
const cacheKey = (runId: number, label: string, version: string) => `${runId}:${label}:${version}`;

export interface SampleSetState {
  /** The set of `label`; while the next one loads, the previous set stays (no flicker while scrubbing). */
  set: SampleSet | null;
  /** The label `set` has; differs from the one asked for while that one loads. */
  shown: string | null;
  loading: boolean;
  /** While the engine samples the set on demand: its progress (0 / 0 while queued). */
  sampling: { done: number; total: number } | null;
  error: Error | null;
}

/**
 * The run's sample set `label`, fetched from the store; when it is missing and `sampleStep` is
 * given, sampled on demand at that checkpoint (`sampleCheckpoint`), with its progress events.
 */
export function useSampleSet(runId: number, label: string | null, sampleStep?: number, version = ''): SampleSetState {
  const [state, setState] = useState<SampleSetState>({ set: null, shown: null, loading: false, sampling: null, error: null });
  useEffect(() => {
    if (label === null) {
      setState({ set: null, shown: null, loading: false, sampling: null, error: null });
      return;
    }
    const cached = cache.get(cacheKey(runId, label, version));
    if (cached) {
      setState({ set: cached, shown: label, loading: false, sampling: null, error: null });
      return;
    }
    let alive = true;
    const show = (set: SampleSet | null) => {
      if (set) cache.set(cacheKey(runId, label, version), set);
      if (alive) setState({ set, shown: label, loading: false, sampling: null, error: null });
    };
    const fail = (error: unknown) => {
      if (alive) setState((s) => ({ ...s, loading: false, sampling: null, error: error instanceof Error ? error : new Error(String(error)) }));
    };
    setState((s) => ({ ...s, loading: true, error: null }));
    let stopListening = () => {};
    api
      .getSampleSet({ runId, label })
      .then((stored) => {
        if (stored || sampleStep === undefined || !alive) return show(stored);
        setState((s) => ({ ...s, sampling: { done: 0, total: 0 } }));
        stopListening = api.onEvent((event) => {
          if (event.name !== 'inspectProgress') return;
          const p: InspectProgress = event.payload;
          if (alive && p.runId === runId && p.job === label) setState((s) => ({ ...s, sampling: { done: p.done, total: p.total } }));
        });
        return api.sampleCheckpoint({ runId, step: sampleStep }).then(show);
      })
      .catch(fail)
      .finally(() => stopListening());
    return () => {
      alive = false;
      stopListening();
    };
  }, [runId, label, sampleStep, version]);
  return state;
}
