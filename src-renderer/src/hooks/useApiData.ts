import type { DependencyList } from 'react';
import { useEffect, useRef, useState } from 'react';

export interface ApiData<T> {
  data: T | undefined;
  error: Error | null;
  loading: boolean;
}

/**
 * Runs `load` whenever `deps` change and keeps its last result. A refetch keeps showing the
 * previous data (live charts do not flicker); an answer that arrives after a newer request
 * started is dropped. `load` returning undefined means "nothing to fetch now".
 */
export function useApiData<T>(load: () => Promise<T> | undefined, deps: DependencyList): ApiData<T> {
  const [state, setState] = useState<ApiData<T>>({ data: undefined, error: null, loading: false });
  const generation = useRef(0);
  useEffect(() => {
    const promise = load();
    if (!promise) return;
    const mine = ++generation.current;
    setState((s) => ({ ...s, loading: true }));
    promise.then(
      (data) => {
        if (mine === generation.current) setState({ data, error: null, loading: false });
      },
      (error: unknown) => {
        if (mine === generation.current)
          setState((s) => ({ ...s, error: error instanceof Error ? error : new Error(String(error)), loading: false }));
      },
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller lists what `load` depends on
  }, deps);
  return state;
}
