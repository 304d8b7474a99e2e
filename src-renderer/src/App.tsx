import { useCallback, useState } from 'react';
import { Sidebar } from './components/Sidebar';
import { useRoute } from './hooks/useRoute';
import { ThemeContext, useTheme } from './hooks/useTheme';
import { useWorkbench } from './hooks/useWorkbench';
import { ComparePage } from './pages/ComparePage';
import { NewExperimentPage } from './pages/NewExperimentPage';
import { RunPage } from './pages/RunPage';
import { RunsPage } from './pages/RunsPage';

/** The workbench: navigation and a run list on the left, the view the URL hash names on the right. */
export function App() {
  const route = useRoute();
  const bench = useWorkbench();
  const { theme, toggle: toggleTheme } = useTheme();
  // A reload of `#/compare/1,2` keeps those runs ticked.
  const [selected, setSelected] = useState<ReadonlySet<number>>(() => new Set(route.view === 'compare' ? route.runIds : []));
  const toggleSelected = useCallback((runId: number) => {
    setSelected((prev) => {
      const next = new Set(prev);
      if (!next.delete(runId)) next.add(runId);
      return next;
    });
  }, []);
  const { removeRun } = bench;
  const runRemoved = useCallback(
    (runId: number) => {
      removeRun(runId);
      setSelected((prev) => {
        if (!prev.has(runId)) return prev;
        const next = new Set(prev);
        next.delete(runId);
        return next;
      });
    },
    [removeRun],
  );

  return (
    <ThemeContext.Provider value={theme}>
      <div className="app">
        <Sidebar
          runs={bench.runs}
          progress={bench.progress}
          route={route}
          selected={selected}
          onToggleSelected={toggleSelected}
          connection={bench.connection}
          loadError={bench.loadError}
          theme={theme}
          onToggleTheme={toggleTheme}
        />
        <main className="main">
          {route.view === 'run' ? (
            <RunPage
              key={route.runId}
              runId={route.runId}
              summary={bench.runs.find((r) => r.id === route.runId)}
              progress={bench.progress.get(route.runId)}
              onRunChanged={bench.upsertRun}
              onRunRemoved={runRemoved}
            />
          ) : route.view === 'compare' ? (
            <ComparePage runIds={route.runIds} runs={bench.runs} progress={bench.progress} />
          ) : route.view === 'new' ? (
            <NewExperimentPage key={route.cloneFrom ?? 'new'} cloneFrom={route.cloneFrom} onStarted={bench.upsertRun} />
          ) : (
            <RunsPage
              runs={bench.runs}
              progress={bench.progress}
              selected={selected}
              onSelect={setSelected}
              onToggleSelected={toggleSelected}
              onRunChanged={bench.upsertRun}
              onRunRemoved={runRemoved}
            />
          )}
        </main>
      </div>
    </ThemeContext.Provider>
  );
}
