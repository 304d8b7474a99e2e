/**
 * `scorebench sweep`: a sweep file expanded, checked, queued and run (or a stopped sweep resumed),
 * its progress as a whole on stderr, and with --json one summary line on stdout at the end.
 */
import type { Backend } from '../api/backend';
import { ACTIVE_STATUSES, type RunStatus, type RunSummary } from '../../src-shared/api';
import { expandSweep, formatSweepIssues, type ExpandedSweep } from '../../src-shared/sweep';
import { CliError } from './cli-error';
import { readJsoncFile } from './config-file';
import { writeErr, writeOut } from './output';
import { formatDuration } from './progress-bar';

/** Reads and expands a sweep file; any problem ends the command (exit 2) before anything is opened or written. */
export function readSweepFile(file: string): { document: unknown; sweep: ExpandedSweep } {
  const document = readJsoncFile(file, 'sweep');
  const expanded = expandSweep(document);
  if (!expanded.ok) throw new CliError(`sweep ${file} is invalid:\n${formatSweepIssues(expanded.issues).replace(/^/gm, '  ')}`);
  return { document, sweep: expanded.sweep };
}

/** A --concurrency as typed: a whole number from 1 to 64. */
export function parseConcurrency(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = /^\d{1,2}$/.test(text) ? Number(text) : NaN;
  if (!(n >= 1 && n <= 64)) throw new CliError(`--concurrency must be a whole number from 1 to 64, not ${JSON.stringify(text.slice(0, 20))}`);
  return n;
}

/** Creates the sweep and follows it to the end. */
export async function runSweep(backend: Backend, document: unknown, concurrency: number | undefined, json: boolean, dbPath: string): Promise<number> {
  const { sweep, runs } = await backend.call('createSweep', { document, ...(concurrency ? { concurrency } : {}) });
  await writeErr(`sweep ${sweep.id} "${sweep.name}": ${runs.length} runs (${runs[0]?.id ?? '-'}…${runs.at(-1)?.id ?? '-'})\n`);
  return followSweep(backend, sweep.id, json, dbPath);
}

/** Runs a stopped sweep's paused and interrupted runs again, and follows it to the end. */
export async function resumeSweep(backend: Backend, sweepId: number, concurrency: number | undefined, json: boolean, dbPath: string): Promise<number> {
  const runs = await backend.call('resumeSweep', { sweepId, ...(concurrency ? { concurrency } : {}) });
  await writeErr(`sweep ${sweepId}: resuming ${runs.filter((r) => ACTIVE_STATUSES.includes(r.status)).length} of ${runs.length} runs\n`);
  return followSweep(backend, sweepId, json, dbPath);
}

/** Counts of a sweep's runs for the progress line and the summary. */
function tally(runs: readonly RunSummary[]): Record<RunStatus, number> {
  const counts: Record<RunStatus, number> = { queued: 0, running: 0, completed: 0, failed: 0, cancelled: 0, interrupted: 0, paused: 0 };
  for (const run of runs) counts[run.status]++;
  return counts;
}

/**
 * Shows the sweep's progress (runs done, running, failed, ETA) until none of its runs is queued
 * or training here; Ctrl-C pauses the sweep (`scorebench sweep --resume <id>` goes on). The exit
 * code: 0 every run completed, 130 some were paused or cancelled, 1 otherwise.
 */
async function followSweep(backend: Backend, sweepId: number, json: boolean, dbPath: string): Promise<number> {
  const startedAt = Date.now();
  const byId = new Map<number, RunSummary>();
  let doneAtStart: number | null = null;
  let lastLine = '';
  const interactive = Boolean(process.stderr.isTTY);
  let listed = false;
  const show = () => {
    // Until the first list, the runs known are only those that events happened to name.
    if (!listed) return;
    const runs = [...byId.values()];
    const c = tally(runs);
    const finished = runs.length - c.queued - c.running;
    doneAtStart ??= finished;
    // Runs finished in this session per second of it, for the runs left (runs of one sweep are alike in size).
    const rate = (finished - doneAtStart) / ((Date.now() - startedAt) / 1000);
    const eta = finished < runs.length && rate > 0 ? ` ETA ${formatDuration((runs.length - finished) / rate)}` : '';
    const line = `sweep ${sweepId}: ${finished}/${runs.length} done, ${c.running} running, ${c.queued} queued, ${c.failed} failed${eta}`;
    if (line === lastLine) return;
    lastLine = line;
    void writeErr(interactive ? `\r${line}\x1b[K` : `${line}\n`);
  };
  const isOver = () => [...byId.values()].every((r) => !ACTIVE_STATUSES.includes(r.status));
  let unsubscribe = () => {};
  const ended = new Promise<void>((resolveEnded) => {
    unsubscribe = backend.events.subscribe((event) => {
      if (event.name !== 'runUpdated' || event.payload.sweepId !== sweepId) return;
      // Events may arrive out of order: the higher version is the newer copy.
      if (event.payload.version < (byId.get(event.payload.id)?.version ?? 0)) return;
      byId.set(event.payload.id, event.payload);
      show();
      if (isOver()) resolveEnded();
    });
  });
  for (const run of await backend.call('listRuns', { sweepId })) if ((byId.get(run.id)?.version ?? 0) < run.version) byId.set(run.id, run);
  listed = true;
  show();
  const onSignal = () => {
    void writeErr(`\npausing the sweep (each run keeps a checkpoint; \`scorebench sweep --resume ${sweepId}\` goes on)…\n`);
    backend.call('pauseSweep', { sweepId }).catch(() => undefined);
  };
  process.once('SIGINT', onSignal);
  if (!isOver()) await ended;
  process.off('SIGINT', onSignal);
  unsubscribe();
  if (interactive) await writeErr('\n');

  const runs = (await backend.call('listRuns', { sweepId })).reverse();
  const c = tally(runs);
  const summary = {
    sweepId,
    runs: runs.map((r) => r.id),
    completed: c.completed,
    failed: c.failed,
    cancelled: c.cancelled,
    paused: c.paused,
    interrupted: c.interrupted,
    wallSeconds: (Date.now() - startedAt) / 1000,
    db: dbPath,
  };
  if (json) await writeOut(`${JSON.stringify(summary)}\n`);
  else await writeErr(`sweep ${sweepId}: ${c.completed} completed, ${c.failed} failed, ${c.cancelled + c.paused + c.interrupted} stopped in ${formatDuration(summary.wallSeconds)}\n`);
  return c.completed === runs.length ? 0 : c.failed === 0 && c.interrupted === 0 ? 130 : 1;
}
