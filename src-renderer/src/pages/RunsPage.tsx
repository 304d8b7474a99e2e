import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { RunProgress, RunSummary } from '../../../src-shared/api';
import { BUNDLE_FILE_SUFFIX } from '../../../src-shared/bundle';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ErrorNote } from '../components/ErrorNote';
import { InlineEdit } from '../components/InlineEdit';
import { StatusBadge } from '../components/StatusBadge';
import { TagList } from '../components/TagList';
import { navigate } from '../hooks/useRoute';
import { useRunEdits } from '../hooks/useRunEdits';
import { useVirtualRows } from '../hooks/useVirtualRows';
import { formatInt, formatNumber, formatSeconds, formatTimestamp, METRIC_DIGITS } from '../lib/format';
import {
  DEFAULT_QUERY,
  facetValues,
  methodLabel,
  queryRuns,
  runDuration,
  type FacetKey,
  type RunQuery,
  type SortKey,
} from '../lib/run-query';

interface Props {
  runs: RunSummary[];
  progress: ReadonlyMap<number, RunProgress>;
  selected: ReadonlySet<number>;
  onSelect(ids: ReadonlySet<number>): void;
  onToggleSelected(runId: number): void;
  onRunChanged(run: RunSummary): void;
  onRunRemoved(runId: number): void;
}

const ROW_HEIGHT = 40;

interface Column {
  key: SortKey;
  label: string;
  width: number | string;
  numeric?: boolean;
  title?: string;
}

/** The name column takes the width the others leave. */
const COLUMNS: Column[] = [
  { key: 'name', label: 'Run', width: 'auto' },
  { key: 'status', label: 'Status', width: 100 },
  { key: 'dataKind', label: 'Data', width: 100, title: 'Dataset kind' },
  { key: 'method', label: 'Method', width: 140, title: 'Objective · noise schedule · sampler' },
  { key: 'steps', label: 'Steps', width: 70, numeric: true },
  { key: 'finalLoss', label: 'Final loss', width: 84, numeric: true },
  { key: 'modeShareError', label: 'Mode err', width: 80, numeric: true, title: 'Mode-share error: max over modes of |share − weight|' },
  { key: 'mmd2', label: 'MMD²', width: 80, numeric: true, title: 'MMD² (RBF, median-heuristic bandwidth) between the final samples and held-out data' },
  { key: 'duration', label: 'Duration', width: 80, numeric: true },
  { key: 'backend', label: 'Backend', width: 78 },
  { key: 'createdAt', label: 'Created', width: 88 },
];

const FACETS: { key: FacetKey; label: string }[] = [
  { key: 'status', label: 'Status' },
  { key: 'dataKind', label: 'Data' },
  { key: 'objectiveKind', label: 'Objective' },
  { key: 'scheduleKind', label: 'Schedule' },
  { key: 'samplerKind', label: 'Sampler' },
];

/**
 * The workbench's start page: every run in a table to search, filter, sort, rename, tag, archive,
 * delete and pick for comparison. Filtering and sorting are memoized on the run list (not on
 * progress), rows are memoized and windowed, so a thousand runs scroll and update smoothly.
 */
export function RunsPage({ runs, progress, selected, onSelect, onToggleSelected, onRunChanged, onRunRemoved }: Props) {
  const [query, setQuery] = useState<RunQuery>(DEFAULT_QUERY);
  const [renaming, setRenaming] = useState<number | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [imported, setImported] = useState<RunSummary | null>(null);
  const edits = useRunEdits(onRunChanged, onRunRemoved);
  const searchRef = useRef<HTMLInputElement>(null);

  const rows = useMemo(() => queryRuns(runs, query), [runs, query]);
  const archivedCount = useMemo(() => runs.filter((r) => r.archived).length, [runs]);
  const facetOptions = useMemo(
    () => Object.fromEntries([...FACETS.map((f) => f.key), 'tag' as const].map((k) => [k, facetValues(runs, k)])) as Record<FacetKey | 'tag', string[]>,
    [runs],
  );
  const selectedRuns = useMemo(() => runs.filter((r) => selected.has(r.id)), [runs, selected]);
  const visibleSelected = rows.filter((r) => selected.has(r.id)).length;

  // "/" jumps to the search field from anywhere on the page that is not a text field.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement;
      if (e.key === '/' && !['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)) {
        e.preventDefault();
        searchRef.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  // Stable callbacks, so memoized rows re-render only when their own run changes.
  const { update } = edits;
  const rename = useCallback((runId: number, name: string) => update([runId], { name }), [update]);
  const stopRenaming = useCallback(() => setRenaming(null), []);

  const setFacet = (key: FacetKey, value: string) => setQuery((q) => ({ ...q, facets: { ...q.facets, [key]: value } }));
  const sortBy = (key: SortKey) =>
    setQuery((q) => ({ ...q, sort: { key, descending: q.sort.key === key ? !q.sort.descending : key === 'createdAt' } }));
  const filtered = query.search !== '' || query.tag !== '' || Object.values(query.facets).some((v) => v !== '');

  const importFile = async (file: File | undefined) => {
    if (!file) return;
    setImported(await edits.importBundle(file));
  };

  return (
    <div className="page page-runs">
      <header className="page-header">
        <div>
          <h1>Runs</h1>
          <p className="muted" data-testid="runs-count">
            {rows.length === runs.length ? `${formatInt(runs.length)} runs` : `${formatInt(rows.length)} of ${formatInt(runs.length)} runs`}
            {!query.showArchived && archivedCount > 0 && ` · ${archivedCount} archived hidden`}
          </p>
        </div>
        <div className="header-actions">
          <label className="btn btn-small file-button" title={`Import a run exported from a Scorebench (${BUNDLE_FILE_SUFFIX})`}>
            Import bundle…
            <input
              type="file"
              accept=".json,application/json"
              data-testid="import-bundle"
              onChange={(e) => {
                void importFile(e.target.files?.[0]);
                e.target.value = '';
              }}
            />
          </label>
          <button type="button" className="btn btn-primary btn-small" onClick={() => navigate({ view: 'new' })}>
            + New experiment
          </button>
        </div>
      </header>

      {imported && (
        <div className="callout callout-ok" data-testid="import-done" role="status">
          Imported as <a href={`#/run/${imported.id}`}>#{imported.id} {imported.name}</a>.
        </div>
      )}
      {edits.error != null && <ErrorNote error={edits.error} />}

      <div className="runs-toolbar" role="search">
        <input
          ref={searchRef}
          type="search"
          className="search"
          data-testid="runs-search"
          aria-label="Search runs"
          placeholder="Search names, tags, notes, config (e.g. lr=0.001)"
          title="Press / to search from anywhere on this page; Escape clears"
          value={query.search}
          onChange={(e) => setQuery((q) => ({ ...q, search: e.target.value }))}
          onKeyDown={(e) => e.key === 'Escape' && setQuery((q) => ({ ...q, search: '' }))}
        />
        {FACETS.map((f) => (
          <select
            key={f.key}
            aria-label={`Filter by ${f.label.toLowerCase()}`}
            data-testid={`filter-${f.key}`}
            value={query.facets[f.key]}
            onChange={(e) => setFacet(f.key, e.target.value)}
          >
            <option value="">{f.label}: any</option>
            {facetOptions[f.key].map((v) => (
              <option key={v} value={v}>
                {v}
              </option>
            ))}
          </select>
        ))}
        <select aria-label="Filter by tag" data-testid="filter-tag" value={query.tag} onChange={(e) => setQuery((q) => ({ ...q, tag: e.target.value }))}>
          <option value="">Tag: any</option>
          {facetOptions.tag.map((v) => (
            <option key={v} value={v}>
              {v}
            </option>
          ))}
        </select>
        <label className="toggle">
          <input
            type="checkbox"
            data-testid="show-archived"
            checked={query.showArchived}
            onChange={(e) => setQuery((q) => ({ ...q, showArchived: e.target.checked }))}
          />
          Show archived
        </label>
        {filtered && (
          <button type="button" className="btn btn-link" data-testid="clear-filters" onClick={() => setQuery((q) => ({ ...DEFAULT_QUERY, sort: q.sort, showArchived: q.showArchived }))}>
            Clear filters
          </button>
        )}
      </div>

      <SelectionBar
        selectedRuns={selectedRuns}
        busy={edits.busy}
        onCompare={() => navigate({ view: 'compare', runIds: selectedRuns.map((r) => r.id).sort((a, b) => a - b) })}
        onAddTag={(tag) => edits.update(selectedRuns.map((r) => r.id), (r) => (r.tags.includes(tag) ? null : { tags: [...r.tags, tag] }), selectedRuns)}
        onArchive={(archived) => edits.update(selectedRuns.filter((r) => r.archived !== archived).map((r) => r.id), { archived })}
        onDelete={() => setConfirmDelete(true)}
        onClear={() => onSelect(new Set())}
      />

      <RunsTable
        rows={rows}
        progress={progress}
        selected={selected}
        sort={query.sort}
        renaming={renaming}
        allSelected={rows.length > 0 && visibleSelected === rows.length}
        someSelected={visibleSelected > 0}
        onSelectAll={(all) => {
          const next = new Set(selected);
          for (const r of rows) {
            if (all) next.add(r.id);
            else next.delete(r.id);
          }
          onSelect(next);
        }}
        onSort={sortBy}
        onToggle={onToggleSelected}
        onStartRename={setRenaming}
        onRename={rename}
        onStopRename={stopRenaming}
      />
      {rows.length === 0 && (
        <p className="muted empty-note" data-testid="runs-empty">
          {runs.length === 0 ? 'No runs yet: start one with + New experiment, or import a bundle.' : 'No run matches these filters.'}
        </p>
      )}

      {confirmDelete && (
        <ConfirmDialog
          title={`Delete ${selectedRuns.length === 1 ? `“${selectedRuns[0].name}”` : `${selectedRuns.length} runs`}?`}
          confirmLabel="Delete permanently"
          danger
          busy={edits.busy}
          onCancel={() => setConfirmDelete(false)}
          onConfirm={async () => {
            const ids = selectedRuns.map((r) => r.id);
            await edits.remove(ids);
            onSelect(new Set([...selected].filter((id) => !ids.includes(id))));
            setConfirmDelete(false);
          }}
        >
          {selectedRuns.length === 1 ? 'This run' : `These ${selectedRuns.length} runs`}, with every loss curve, schedule, sample and weight
          logged, are removed from the database. This cannot be undone. Archive instead to only hide them.
        </ConfirmDialog>
      )}
    </div>
  );
}

function SelectionBar({
  selectedRuns,
  busy,
  onCompare,
  onAddTag,
  onArchive,
  onDelete,
  onClear,
}: {
  selectedRuns: RunSummary[];
  busy: boolean;
  onCompare(): void;
  onAddTag(tag: string): void;
  onArchive(archived: boolean): void;
  onDelete(): void;
  onClear(): void;
}) {
  const [tag, setTag] = useState('');
  const n = selectedRuns.length;
  const addTag = () => {
    const t = tag.trim();
    if (t) onAddTag(t);
    setTag('');
  };
  return (
    <div className={`selection-bar${n === 0 ? ' is-empty' : ''}`} data-testid="selection-bar" aria-live="polite">
      <strong>{n === 0 ? 'Tick runs to compare or edit them' : `${n} selected`}</strong>
      <button type="button" className="btn btn-primary btn-small" data-testid="compare-selected" disabled={n === 0} onClick={onCompare}>
        Compare ({n})
      </button>
      <span className="tag-adder">
        <input
          type="text"
          aria-label="Tag to add to the selected runs"
          placeholder="tag"
          maxLength={60}
          data-testid="bulk-tag-input"
          value={tag}
          disabled={n === 0}
          onChange={(e) => setTag(e.target.value)}
          onKeyDown={(e) => e.key === 'Enter' && addTag()}
        />
        <button type="button" className="btn btn-small" data-testid="bulk-tag" disabled={n === 0 || busy || !tag.trim()} onClick={addTag}>
          Add tag
        </button>
      </span>
      <button type="button" className="btn btn-small" data-testid="bulk-archive" disabled={n === 0 || busy} onClick={() => onArchive(true)}>
        Archive
      </button>
      <button type="button" className="btn btn-small" data-testid="bulk-unarchive" disabled={n === 0 || busy} onClick={() => onArchive(false)}>
        Unarchive
      </button>
      <button type="button" className="btn btn-small btn-danger" data-testid="bulk-delete" disabled={n === 0 || busy} onClick={onDelete}>
        Delete…
      </button>
      <button type="button" className="btn btn-link" disabled={n === 0} onClick={onClear}>
        Clear selection
      </button>
    </div>
  );
}

interface TableProps {
  rows: RunSummary[];
  progress: ReadonlyMap<number, RunProgress>;
  selected: ReadonlySet<number>;
  sort: RunQuery['sort'];
  renaming: number | null;
  allSelected: boolean;
  someSelected: boolean;
  onSelectAll(all: boolean): void;
  onSort(key: SortKey): void;
  onToggle(runId: number): void;
  onStartRename(runId: number): void;
  onRename(runId: number, name: string): Promise<unknown>;
  onStopRename(): void;
}

function RunsTable({ rows, progress, selected, sort, renaming, allSelected, someSelected, onSelectAll, onSort, onToggle, onStartRename, onRename, onStopRename }: TableProps) {
  const { ref, start, end, padTop, padBottom } = useVirtualRows(rows.length, ROW_HEIGHT);
  const selectAll = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (selectAll.current) selectAll.current.indeterminate = someSelected && !allSelected;
  }, [someSelected, allSelected]);
  return (
    <div className="runs-scroll" ref={ref} data-testid="runs-table-scroll">
      <table className="data-table runs-table" data-testid="runs-table" aria-rowcount={rows.length + 1}>
        <colgroup>
          <col style={{ width: 38 }} />
          {COLUMNS.map((c) => (
            <col key={c.key} style={{ width: c.width }} />
          ))}
        </colgroup>
        <thead>
          <tr>
            <th>
              <input
                ref={selectAll}
                type="checkbox"
                aria-label="Select every listed run"
                data-testid="select-all"
                checked={allSelected}
                onChange={(e) => onSelectAll(e.target.checked)}
              />
            </th>
            {COLUMNS.map((c) => (
              <th
                key={c.key}
                className={c.numeric ? 'num' : undefined}
                aria-sort={sort.key === c.key ? (sort.descending ? 'descending' : 'ascending') : 'none'}
              >
                <button type="button" className="sort-button" data-testid={`sort-${c.key}`} title={c.title} onClick={() => onSort(c.key)}>
                  {c.label}
                  <span className="sort-mark" aria-hidden>
                    {sort.key === c.key ? (sort.descending ? '▼' : '▲') : ''}
                  </span>
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {padTop > 0 && (
            <tr className="spacer" aria-hidden>
              <td colSpan={COLUMNS.length + 1} style={{ height: padTop }} />
            </tr>
          )}
          {rows.slice(start, end).map((run) => (
            <RunRow
              key={run.id}
              run={run}
              progress={run.status === 'running' ? progress.get(run.id) : undefined}
              selected={selected.has(run.id)}
              renaming={renaming === run.id}
              onToggle={onToggle}
              onStartRename={onStartRename}
              onRename={onRename}
              onStopRename={onStopRename}
            />
          ))}
          {padBottom > 0 && (
            <tr className="spacer" aria-hidden>
              <td colSpan={COLUMNS.length + 1} style={{ height: padBottom }} />
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

interface RowProps {
  run: RunSummary;
  progress: RunProgress | undefined;
  selected: boolean;
  renaming: boolean;
  onToggle(runId: number): void;
  onStartRename(runId: number): void;
  onRename(runId: number, name: string): Promise<unknown>;
  onStopRename(): void;
}

const RunRow = memo(function RunRow({ run, progress: p, selected, renaming, onToggle, onStartRename, onRename, onStopRename }: RowProps) {
  const duration = runDuration(run);
  return (
    <tr className={`run-row${selected ? ' is-selected' : ''}${run.archived ? ' is-archived' : ''}`} data-testid={`run-row-${run.id}`} data-run-id={run.id}>
      <td>
        <input
          type="checkbox"
          aria-label={`Select ${run.name}`}
          data-testid={`row-select-${run.id}`}
          checked={selected}
          onChange={() => onToggle(run.id)}
        />
      </td>
      <td>
        <div className="name-cell">
          {renaming ? (
            <InlineEdit
              value={run.name}
              label={`New name for ${run.name}`}
              testId={`rename-input-${run.id}`}
              onSave={(name) => onRename(run.id, name)}
              onDone={onStopRename}
            />
          ) : (
            <>
              <a href={`#/run/${run.id}`} className="run-link" title={run.name} data-testid={`run-link-${run.id}`}>
                <span className="muted">#{run.id}</span> {run.name}
              </a>
              <button
                type="button"
                className="btn-icon rename-button"
                aria-label={`Rename ${run.name}`}
                title="Rename"
                data-testid={`rename-${run.id}`}
                onClick={() => onStartRename(run.id)}
              >
                ✎
              </button>
              {run.archived && <span className="badge">archived</span>}
              <TagList tags={run.tags} />
            </>
          )}
        </div>
      </td>
      <td>
        <StatusBadge status={run.status} />
      </td>
      <td className="ellipsis">{run.dataKind}</td>
      <td className="ellipsis" title={methodLabel(run)}>
        {methodLabel(run)}
      </td>
      <td className="num" title={p ? `${p.phase}: ${formatInt(p.done)} / ${formatInt(p.total)}` : undefined}>
        {p ? `${Math.round((100 * p.done) / Math.max(1, p.total))}%` : formatInt(run.steps)}
      </td>
      <td className="num" data-testid={`final-loss-${run.id}`}>
        {formatNumber(run.finalLoss, 4)}
      </td>
      <td className="num">{formatNumber(run.metrics?.modeShareError ?? null, 3)}</td>
      <td className="num">{formatNumber(run.metrics?.distances?.mmd2 ?? null, METRIC_DIGITS)}</td>
      <td className="num">{formatSeconds(duration)}</td>
      <td className="ellipsis" title={run.backend?.package}>
        {run.backend ? `${run.backend.name}${run.backend.gpu ? ' (GPU)' : ''}` : '—'}
      </td>
      <td className="ellipsis" title={run.createdAt}>
        {formatTimestamp(run.createdAt)}
      </td>
    </tr>
  );
});
