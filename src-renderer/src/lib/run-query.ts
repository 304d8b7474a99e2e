/**
 * The runs table's query: free-text search over names, tags, notes and config values, facet
 * filters, archived runs hidden unless asked for, and a sort on any column. Pure functions over
 * RunSummary, so they are tested without a browser and memoized by the table.
 */
import type { RunStatus, RunSummary } from '../../../src-shared/api';
import { flattenConfig } from './config-diff';

export type SortKey =
  | 'name'
  | 'status'
  | 'dataKind'
  | 'objectiveKind'
  | 'scheduleKind'
  | 'samplerKind'
  | 'method'
  | 'steps'
  | 'finalLoss'
  | 'modeShareError'
  | 'mmd2'
  | 'duration'
  | 'backend'
  | 'createdAt';

export type FacetKey = 'status' | 'dataKind' | 'objectiveKind' | 'scheduleKind' | 'samplerKind';

export interface RunQuery {
  search: string;
  /** '' means any. */
  facets: Record<FacetKey, string>;
  tag: string;
  showArchived: boolean;
  sort: { key: SortKey; descending: boolean };
}

export const DEFAULT_QUERY: RunQuery = {
  search: '',
  facets: { status: '', dataKind: '', objectiveKind: '', scheduleKind: '', samplerKind: '' },
  tag: '',
  showArchived: false,
  sort: { key: 'createdAt', descending: true },
};

/** Wall-clock seconds from start to finish; the recorded train + sample time when either end is missing. */
export function runDuration(run: RunSummary): number | null {
  if (run.startedAt && run.finishedAt) {
    const seconds = (Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000;
    if (Number.isFinite(seconds)) return seconds;
  }
  if (run.trainSeconds == null && run.sampleSeconds == null) return null;
  return (run.trainSeconds ?? 0) + (run.sampleSeconds ?? 0);
}

/** Objective, schedule and sampler in one label: the table's "Method" column. */
export const methodLabel = (run: RunSummary): string => `${run.objectiveKind} · ${run.scheduleKind} · ${run.samplerKind}`;

const finiteOrNull = (v: number | null | undefined): number | null => (v != null && Number.isFinite(v) ? v : null);

export function sortValue(run: RunSummary, key: SortKey): string | number | null {
  switch (key) {
    case 'steps':
      return run.steps;
    case 'finalLoss':
      return finiteOrNull(run.finalLoss);
    case 'modeShareError':
      return finiteOrNull(run.metrics?.modeShareError);
    case 'mmd2':
      return finiteOrNull(run.metrics?.distances?.mmd2);
    case 'duration':
      return runDuration(run);
    case 'backend':
      return run.backend ? `${run.backend.name}${run.backend.gpu ? ' gpu' : ''}` : null;
    case 'createdAt':
      return run.createdAt;
    case 'method':
      return methodLabel(run);
    default:
      return run[key];
  }
}

const TEXT_ORDER = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** Sorted by `key`; runs without a value last in either direction; ties newest first. */
export function sortRuns(runs: readonly RunSummary[], key: SortKey, descending: boolean): RunSummary[] {
  const keyed = runs.map((run) => ({ run, value: sortValue(run, key) }));
  keyed.sort((a, b) => {
    if (a.value === null || b.value === null) {
      if (a.value === b.value) return b.run.id - a.run.id;
      return a.value === null ? 1 : -1;
    }
    const order =
      typeof a.value === 'number' && typeof b.value === 'number' ? a.value - b.value : TEXT_ORDER.compare(String(a.value), String(b.value));
    return (descending ? -order : order) || b.run.id - a.run.id;
  });
  return keyed.map((k) => k.run);
}

interface SearchIndex {
  /** Lower-case text every plain term is looked for in. */
  text: string;
  /** Config leaves as [path, value], both lower-case, strings without their quotes. */
  fields: [string, string][];
}

// Per run object: a run's row is replaced (not mutated) when it changes, so entries never go stale.
const indexCache = new WeakMap<RunSummary, SearchIndex>();

function searchIndex(run: RunSummary): SearchIndex {
  let index = indexCache.get(run);
  if (!index) {
    const fields = [...flattenConfig(run.config)].map(([path, value]): [string, string] => [
      path.toLowerCase(),
      (value.startsWith('"') ? (JSON.parse(value) as string) : value).toLowerCase(),
    ]);
    const text = [
      `#${run.id}`,
      run.name,
      run.status,
      run.tags.join(' '),
      run.notes,
      run.dataKind,
      run.objectiveKind,
      run.scheduleKind,
      run.samplerKind,
      run.backend?.name ?? '',
      ...fields.map(([p, v]) => `${p}=${v}`),
    ]
      .join('\n')
      .toLowerCase();
    index = { text, fields };
    indexCache.set(run, index);
  }
  return index;
}

const sameValue = (stored: string, wanted: string): boolean =>
  stored === wanted || (wanted.trim() !== '' && stored.trim() !== '' && Number(stored) === Number(wanted));

/**
 * A predicate for a search text. Terms are separated by spaces and must all match. `path=value`
 * matches a config field whose dotted path ends with `path` and whose value is `value` (numbers
 * compare as numbers: lr=1e-3 finds 0.001); any other term is a case-insensitive substring of the
 * run's id (#12), name, status, tags, notes, kinds, backend or config.
 */
export function compileSearch(search: string): (run: RunSummary) => boolean {
  const terms = search.toLowerCase().split(/\s+/).filter(Boolean);
  if (terms.length === 0) return () => true;
  const tests = terms.map((term) => {
    const eq = term.indexOf('=');
    if (eq > 0 && eq < term.length - 1) {
      const path = term.slice(0, eq);
      const value = term.slice(eq + 1);
      return (index: SearchIndex) =>
        index.fields.some(([p, v]) => (p === path || p.endsWith(`.${path}`)) && sameValue(v, value));
    }
    return (index: SearchIndex) => index.text.includes(term);
  });
  return (run) => {
    const index = searchIndex(run);
    return tests.every((t) => t(index));
  };
}

/** The rows the table shows, in its order. */
export function queryRuns(runs: readonly RunSummary[], query: RunQuery): RunSummary[] {
  const matches = compileSearch(query.search);
  const facets = Object.entries(query.facets).filter(([, v]) => v !== '') as [FacetKey, string][];
  const kept = runs.filter(
    (run) =>
      (query.showArchived || !run.archived) &&
      facets.every(([key, value]) => run[key] === value) &&
      (query.tag === '' || run.tags.includes(query.tag)) &&
      matches(run),
  );
  return sortRuns(kept, query.sort.key, query.sort.descending);
}

/** The values a facet takes over the runs, sorted: the options of its filter. */
export function facetValues(runs: readonly RunSummary[], key: FacetKey | 'tag'): string[] {
  const values = new Set<string>();
  for (const run of runs) {
    if (key === 'tag') for (const tag of run.tags) values.add(tag);
    else values.add(run[key] as string | RunStatus);
  }
  return [...values].sort(TEXT_ORDER.compare);
}
