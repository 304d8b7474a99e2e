/**
 * What a noise level's index means in each compared run. Runs line their per-level charts up by
 * index, but index i is σ_i of that run's own schedule: the same index is the same noise only where
 * the schedules agree. These say, per level, which σ each run has, and where the schedules part.
 */
import type { ScheduleLevel } from '../../../src-shared/api';
import { formatNumber } from './format';

/** A compared run and its schedule (empty while it loads: such runs are left out of every judgement). */
export interface RunLevels {
  id: number;
  label: string;
  levels: readonly ScheduleLevel[];
}

export interface RunSigma {
  id: number;
  label: string;
  /** σ at the level; undefined where the run's schedule has fewer levels. */
  sigma: number | undefined;
}

/**
 * One config builds one schedule bit for bit; the data-driven kinds (adaptive, NCSNv2) may differ
 * in the last bits between hosts, which is no difference a person could see.
 */
const SAME_SIGMA = 1e-9;

const sameSigma = (a: number | undefined, b: number | undefined) =>
  a === b || (a !== undefined && b !== undefined && Math.abs(a - b) <= SAME_SIGMA * Math.max(Math.abs(a), Math.abs(b)));

const known = (runs: readonly RunLevels[]) => runs.filter((r) => r.levels.length > 0);

/** Each run's σ at level index `level` (runs whose schedule has not loaded are left out). */
export function sigmasAt(runs: readonly RunLevels[], level: number): RunSigma[] {
  return known(runs).map((r) => ({ id: r.id, label: r.label, sigma: r.levels[level]?.sigma }));
}

/**
 * The σ a level's title shows: one value when every run has the same σ at that index, else null
 * (the title then lists each run's own).
 */
export function sharedSigma(runs: readonly RunLevels[], level: number): number | null {
  const sigmas = sigmasAt(runs, level);
  if (sigmas.length === 0 || sigmas[0].sigma === undefined) return null;
  return sigmas.every((s) => sameSigma(s.sigma, sigmas[0].sigma)) ? sigmas[0].sigma! : null;
}

/** The first level index at which the runs' schedules differ (in σ, or one has no such level); null when they agree. */
export function firstDifferingLevel(runs: readonly RunLevels[]): number | null {
  const longest = Math.max(0, ...known(runs).map((r) => r.levels.length));
  for (let level = 0; level < longest; level++) if (sharedSigma(runs, level) === null) return level;
  return null;
}

/** "σ = 10 in #1 a, 5 in #2 b, none in #3 c": what one level index means in each run. */
export function describeLevel(sigmas: readonly RunSigma[], digits = 4): string {
  const parts = sigmas.map((s) => `${s.sigma === undefined ? 'no such level' : formatNumber(s.sigma, digits)} in ${s.label}`);
  return `σ = ${parts.join(', ')}`;
}

/**
 * The compare view's warning when level indices mean different noise in different runs, e.g.
 * "Schedules differ: level 0 means σ = 10 in #1 a, 5 in #2 b." (with the level counts when those
 * differ too); null when every loaded schedule agrees.
 */
export function scheduleMismatchNote(runs: readonly RunLevels[]): string | null {
  const level = firstDifferingLevel(runs);
  if (level === null) return null;
  const counts = known(runs).map((r) => r.levels.length);
  const countNote = counts.some((n) => n !== counts[0])
    ? ` They have ${known(runs)
        .map((r) => `${r.levels.length} levels (${r.label})`)
        .join(', ')}.`
    : '';
  return `Schedules differ: level ${level} means ${describeLevel(sigmasAt(runs, level))}.${countNote}`;
}
