import { memo, useMemo } from 'react';
import type { RunProgress, RunSummary } from '../../../src-shared/api';
import type { ConnectionState } from '../api';
import { formatNumber, formatTimestamp } from '../lib/format';
import type { Route } from '../hooks/useRoute';
import { navigate } from '../hooks/useRoute';
import type { Theme } from '../hooks/useTheme';
import { StatusBadge } from './StatusBadge';

interface Props {
  runs: RunSummary[];
  progress: ReadonlyMap<number, RunProgress>;
  route: Route;
  selected: ReadonlySet<number>;
  onToggleSelected(runId: number): void;
  connection: ConnectionState;
  loadError: Error | null;
  theme: Theme;
  onToggleTheme(): void;
}

/**
 * Navigation (runs table, compare, new experiment, theme) and a quick list of the runs that are
 * not archived. Rows are memoized: a progress event re-renders only the row of its run.
 */
export function Sidebar({ runs, progress, route, selected, onToggleSelected, connection, loadError, theme, onToggleTheme }: Props) {
  const listed = useMemo(() => runs.filter((r) => !r.archived), [runs]);
  const compareIds = runs.filter((r) => selected.has(r.id)).map((r) => r.id);
  const currentRun = route.view === 'run' ? route.runId : null;
  return (
    <aside className="sidebar">
      <div className="sidebar-head">
        <div className="brand">
          <span className="brand-mark" aria-hidden>
            ∇
          </span>
          Scorebench
          <span className={`conn conn-${connection}`} title={`event stream: ${connection}`} />
          <button
            type="button"
            className="btn btn-icon"
            data-testid="theme-toggle"
            aria-label={`Switch to the ${theme === 'dark' ? 'light' : 'dark'} theme`}
            title={`Switch to the ${theme === 'dark' ? 'light' : 'dark'} theme`}
            onClick={onToggleTheme}
          >
            {theme === 'dark' ? '☀' : '☾'}
          </button>
        </div>
        <button
          className={`btn btn-primary btn-block${route.view === 'new' ? ' is-current' : ''}`}
          data-testid="new-experiment-button"
          onClick={() => navigate({ view: 'new' })}
        >
          + New experiment
        </button>
        <nav className="nav">
          <a href="#/runs" className={`nav-link${route.view === 'runs' ? ' is-current' : ''}`} data-testid="nav-runs">
            Runs table <span className="muted">{runs.length}</span>
          </a>
        </nav>
      </div>

      <div className="sidebar-section-title">
        <span>Runs</span>
        <button
          className="btn btn-small"
          data-testid="compare-button"
          disabled={compareIds.length < 1}
          title={compareIds.length < 1 ? 'Tick runs to compare them' : undefined}
          onClick={() => navigate({ view: 'compare', runIds: [...compareIds].sort((a, b) => a - b) })}
        >
          Compare ({compareIds.length})
        </button>
      </div>

      {loadError && <div className="callout callout-error small">Could not load runs: {loadError.message}</div>}

      <ul className="run-list" data-testid="run-list">
        {listed.length === 0 && !loadError && <li className="run-list-empty">No runs yet.</li>}
        {listed.map((run) => (
          <RunItem
            key={run.id}
            run={run}
            progress={progress.get(run.id)}
            current={currentRun === run.id}
            selected={selected.has(run.id)}
            onToggleSelected={onToggleSelected}
          />
        ))}
      </ul>
    </aside>
  );
}

interface ItemProps {
  run: RunSummary;
  progress: RunProgress | undefined;
  current: boolean;
  selected: boolean;
  onToggleSelected(runId: number): void;
}

const RunItem = memo(function RunItem({ run, progress: p, current, selected, onToggleSelected }: ItemProps) {
  return (
    <li
      className={`run-item${current ? ' is-current' : ''}`}
      data-testid={`run-item-${run.id}`}
      data-status={run.status}
      onClick={() => navigate({ view: 'run', runId: run.id })}
    >
      <input
        type="checkbox"
        className="run-select"
        data-testid={`run-select-${run.id}`}
        aria-label={`Select ${run.name} for comparison`}
        checked={selected}
        onChange={() => onToggleSelected(run.id)}
        onClick={(e) => e.stopPropagation()}
      />
      <div className="run-item-body">
        <div className="run-item-top">
          <a className="run-name" href={`#/run/${run.id}`} title={run.name} onClick={(e) => e.stopPropagation()}>
            {run.name}
          </a>
          <StatusBadge status={run.status} />
        </div>
        <div className="run-item-meta">
          <span>
            #{run.id} · {formatTimestamp(run.createdAt)}
          </span>
          {run.status === 'running' && p ? (
            <span>
              {p.phase} {Math.round((100 * p.done) / Math.max(1, p.total))}%
            </span>
          ) : (
            <span title="final loss · mode-share error">
              {run.finalLoss != null && <>loss {formatNumber(run.finalLoss, 3)}</>}
              {run.metrics?.modeShareError != null && <> · err {formatNumber(run.metrics.modeShareError, 2)}</>}
            </span>
          )}
        </div>
        {run.status === 'running' && p && (
          <div className="mini-progress">
            <div style={{ width: `${(100 * p.done) / Math.max(1, p.total)}%` }} />
          </div>
        )}
      </div>
    </li>
  );
});
