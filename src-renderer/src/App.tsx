import { useCallback, useState } from 'react';
import { Sidebar } from './components/Sidebar';
import { useRoute } from './hooks/useRoute';
import { useWorkbench } from './hooks/useWorkbench';
import { ComparePage } from './pages/ComparePage';
import { NewExperimentPage } from './pages/NewExperimentPage';
import { RunPage } from './pages/RunPage';

/** The workbench: the run list on the left, and the view the URL hash names on the right. */
export function App() {
  const route = useRoute();
  const bench = useWorkbench();
  // A reload of `#/compare/1,2` keeps those runs ticked.
  const [selected, setSelected] = useState<ReadonlySet<number>>(() => new Set(route.view === 'compare' ? route.runIds : []));
  const toggleSelected = useCallback((runId: number) => {
    setSelected((prev) => {
      const next = new Set(prev);
      if (!next.delete(runId)) next.add(runId);
      return next;
    });
  }, []);

  return (
    <div className="app">
      <Sidebar
        runs={bench.runs}
        progress={bench.progress}
        route={route}
        selected={selected}
        onToggleSelected={toggleSelected}
        connection={bench.connection}
        loadError={bench.loadError}
      />
      <main className="main">
        {route.view === 'run' ? (
          <RunPage
            key={route.runId}
            runId={route.runId}
            summary={bench.runs.find((r) => r.id === route.runId)}
            progress={bench.progress.get(route.runId)}
            onRunChanged={bench.upsertRun}
          />
        ) : route.view === 'compare' ? (
          <ComparePage runIds={route.runIds} runs={bench.runs} progress={bench.progress} />
        ) : (
          <NewExperimentPage onStarted={bench.upsertRun} />
        )}
      </main>
    </div>
  );
}
