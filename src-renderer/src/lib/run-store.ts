/**
 * The renderer's one copy of every run, merged from call replies, update events and list reloads
 * so that an older state of a run never replaces a newer one. Replies and events travel apart: a
 * reply is the run as it was when the call was answered (startRun's says 'queued'), and may arrive
 * after the events of what happened next (on a warm engine the run is 'running' by then). Each
 * record carries the store's per-run `version`, bumped on every update; that, not arrival order,
 * decides which record is current.
 *
 * Pure functions over an immutable value: the hook (useWorkbench) holds it, tests drive it directly.
 * `at` arguments are the caller's own counter of what it has learned, in order (see withRunList).
 */
import { ACTIVE_STATUSES, type RunProgress, type RunSummary } from '../../../src-shared/api';

/** The latest progress event of a live run, with what this renderer worked out from the events so far. */
export interface LiveProgress extends RunProgress {
  /** The last training event of this life of the run (since it was started or resumed): kept while it samples; null before one. */
  lastTraining: { done: number; loss: number | null } | null;
  /** Training steps per second over this life's training events; null until training has moved between two of them. */
  stepsPerSecond: number | null;
}

/** What is known of one run: its newest record, and its live progress while it runs. */
interface RunEntry {
  /** Null for a run known only from its progress events (started elsewhere; its record is being fetched). */
  readonly run: RunSummary | null;
  /** When the record was learned (the caller's counter): a list asked for before then cannot drop it. */
  readonly learnedAt: number;
  readonly progress: LiveProgress | null;
  /** The first training event of this life, with its time in ms: where the rate is measured from. */
  readonly rateFrom: { done: number; ms: number } | null;
}

/** A deleted run: when the deletion was learned, and which run it was (ids can be reused by a later run). */
interface Removal {
  readonly at: number;
  readonly createdAt: string | null;
}

export interface RunStore {
  readonly entries: ReadonlyMap<number, RunEntry>;
  readonly removed: ReadonlyMap<number, Removal>;
  /** Every known run, newest first; the same array until a record changes (progress events leave it alone). */
  readonly runs: RunSummary[];
}

export const EMPTY_RUN_STORE: RunStore = { entries: new Map(), removed: new Map(), runs: [] };

/** The current of two records of a run: the higher version; on a tie the later-arriving `incoming` (the same state). */
export function newerRun<T extends RunSummary>(current: T | undefined, incoming: T | undefined): T | undefined {
  if (!current) return incoming;
  if (!incoming) return current;
  return incoming.version >= current.version ? incoming : current;
}

/** A run known only from its progress counts as live: progress comes from live runs. */
const isLive = (run: RunSummary | null): boolean => run === null || ACTIVE_STATUSES.includes(run.status);
const byNewest = (a: RunSummary, b: RunSummary) => b.id - a.id;

function listOf(entries: ReadonlyMap<number, RunEntry>): RunSummary[] {
  const runs: RunSummary[] = [];
  for (const entry of entries.values()) if (entry.run) runs.push(entry.run);
  return runs.sort(byNewest);
}

/** A deleted run's record arriving late (a reply, a list asked for before the deletion) does not bring it back. */
function isRemoved(removal: Removal | undefined, run: RunSummary, listAskedAt?: number): boolean {
  if (!removal) return false;
  return removal.createdAt === run.createdAt || (listAskedAt !== undefined && listAskedAt < removal.at);
}

/** The entry with `incoming` merged in; the same entry when `incoming` is older than what it holds. */
function mergeEntry(entry: RunEntry | undefined, incoming: RunSummary, at: number): RunEntry {
  const current = entry?.run ?? undefined;
  const run = newerRun(current, incoming)!;
  if (entry && run === current) return entry;
  // A run that has ended has no progress; a new life (a resume) measures its own.
  const keepsProgress = isLive(run) && (current === undefined || isLive(current));
  return {
    run,
    learnedAt: at,
    progress: keepsProgress ? (entry?.progress ?? null) : null,
    rateFrom: keepsProgress ? (entry?.rateFrom ?? null) : null,
  };
}

function withEntries(store: RunStore, entries: Map<number, RunEntry>, removed = store.removed): RunStore {
  return { entries, removed, runs: listOf(entries) };
}

/** The store with one run record from an event or a reply, learned at `at`. */
export function withRun(store: RunStore, run: RunSummary, at: number): RunStore {
  if (isRemoved(store.removed.get(run.id), run)) return store;
  const entry = store.entries.get(run.id);
  const merged = mergeEntry(entry, run, at);
  if (merged === entry) return store;
  const removed = store.removed.has(run.id) ? withoutKey(store.removed, run.id) : store.removed;
  return withEntries(store, new Map(store.entries).set(run.id, merged), removed);
}

/** The store without a deleted run, learned at `at`. */
export function withoutRun(store: RunStore, runId: number, at: number): RunStore {
  const entry = store.entries.get(runId);
  const removed = new Map(store.removed).set(runId, { at, createdAt: entry?.run?.createdAt ?? null });
  if (!entry) return { ...store, removed };
  const entries = new Map(store.entries);
  entries.delete(runId);
  return withEntries(store, entries, removed);
}

/**
 * The store with a full list of runs asked for at `askedAt`. Each listed record is merged like any
 * other; a run the list lacks is dropped (it was deleted while no events came) unless it was learned
 * after the list was asked for (it started since).
 */
export function withRunList(store: RunStore, list: readonly RunSummary[], askedAt: number, at: number): RunStore {
  const entries = new Map<number, RunEntry>();
  for (const run of list) {
    if (isRemoved(store.removed.get(run.id), run, askedAt)) continue;
    entries.set(run.id, mergeEntry(store.entries.get(run.id), run, at));
  }
  for (const [id, entry] of store.entries) if (!entries.has(id) && entry.learnedAt > askedAt) entries.set(id, entry);
  return withEntries(store, entries);
}

/**
 * The store with a progress event received at `ms` (a clock in milliseconds). Progress of a run
 * whose newest record has ended is dropped: it belongs to the life that ended (the 'done' event
 * comes after the final record), and so is progress of a deleted run.
 */
export function withProgress(store: RunStore, progress: RunProgress, ms: number, at: number): RunStore {
  const entry = store.entries.get(progress.runId);
  if (entry ? !isLive(entry.run) : store.removed.has(progress.runId)) return store;
  const training = progress.phase === 'training';
  const rateFrom = entry?.rateFrom ?? (training ? { done: progress.done, ms } : null);
  const seconds = rateFrom ? (ms - rateFrom.ms) / 1000 : 0;
  // The rate over this life's training so far (eq.: steps/s = Δdone / Δt); it holds still once training has ended.
  const stepsPerSecond =
    training && rateFrom && seconds > 0 && progress.done > rateFrom.done
      ? (progress.done - rateFrom.done) / seconds
      : (entry?.progress?.stepsPerSecond ?? null);
  const live: LiveProgress = {
    ...progress,
    lastTraining: training ? { done: progress.done, loss: progress.loss } : (entry?.progress?.lastTraining ?? null),
    stepsPerSecond,
  };
  const next: RunEntry = { run: entry?.run ?? null, learnedAt: entry?.learnedAt ?? at, progress: live, rateFrom };
  return { ...store, entries: new Map(store.entries).set(progress.runId, next) };
}

/** The live progress of every run that has some. */
export function progressOf(store: RunStore): ReadonlyMap<number, LiveProgress> {
  const progress = new Map<number, LiveProgress>();
  for (const [id, entry] of store.entries) if (entry.progress) progress.set(id, entry.progress);
  return progress;
}

/** The map without `key`. */
function withoutKey<K, V>(map: ReadonlyMap<K, V>, key: K): ReadonlyMap<K, V> {
  const next = new Map(map);
  next.delete(key);
  return next;
}
