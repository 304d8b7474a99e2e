/**
 * Runs a sweep's runs, up to its concurrency at a time, each in its own engine process (the engine
 * host spawns up to that many). The runs are created 'queued' with the sweep (the store), so a
 * run waiting for a slot is a queued run like any other: if this process dies, the next start
 * finds it abandoned and marks it interrupted, and resumeSweep picks it up with the ones that
 * were training (from their checkpoints). Each live sweep is one LiveSweep, kept until its last
 * run has settled.
 */
import { availableParallelism } from 'node:os';
import type { RunDetail, RunStatus, RunSummary } from '../../src-shared/api';
import type { EngineHost } from '../engine-process/host';
import type { Store } from '../store/store';
import type { EventHub } from './event-hub';
import type { RunManager } from './run-manager';

/**
 * Runs side by side by default: half the cores (at most 8), since each engine process computes on
 * more than one thread where it can (wasm's XNNPACK pool), and one core is left for the host.
 */
export function defaultSweepConcurrency(cores = availableParallelism()): number {
  return Math.max(1, Math.min(8, Math.floor(cores / 2)));
}

interface SweepRunnerDeps {
  store: Store;
  runs: RunManager;
  engine: EngineHost;
  events: EventHub;
}

/** One sweep while this process runs it: the runs waiting for a slot, and those in one. */
class LiveSweep {
  readonly waiting: number[] = [];
  readonly active = new Set<number>();

  constructor(
    readonly id: number,
    readonly concurrency: number,
    readonly baseDir: string,
  ) {}

  get over(): boolean {
    return this.waiting.length === 0 && this.active.size === 0;
  }
}

export class SweepRunner {
  private readonly live = new Map<number, LiveSweep>();

  constructor(
    private readonly deps: SweepRunnerDeps,
    private readonly log: (level: 'warn', message: string) => void = () => {},
  ) {}

  /** Whether a run is one of a sweep's here, waiting for a slot or training. */
  holds(runId: number): boolean {
    for (const sweep of this.live.values()) if (sweep.waiting.includes(runId) || sweep.active.has(runId)) return true;
    return false;
  }

  /**
   * Runs `runIds` (queued, or stopped and resumable) of the sweep, in order, `concurrency` at a
   * time; runs already waiting or training here are not added twice.
   */
  run(sweepId: number, runIds: readonly number[], concurrency: number, baseDir: string): void {
    const sweep = this.live.get(sweepId) ?? new LiveSweep(sweepId, concurrency, baseDir);
    this.live.set(sweepId, sweep);
    for (const id of runIds) if (!sweep.active.has(id) && !sweep.waiting.includes(id)) sweep.waiting.push(id);
    this.deps.engine.allowProcesses(sweep.concurrency);
    this.fill(sweep);
  }

  /**
   * Runs stopped runs of the sweep again: each is queued under this process at once (from its
   * checkpoint's step, or 0), so it reads 'queued' while it waits for a slot, and then trains on.
   */
  async resume(sweepId: number, stopped: readonly RunSummary[], concurrency: number, baseDir: string): Promise<void> {
    const { store, events } = this.deps;
    for (const run of stopped) {
      await store.prepareResume(run.id, { config: run.config, fromStep: (await store.getCheckpointInfo(run.id))?.step ?? 0 });
      const queued = await store.getRun(run.id);
      if (queued) events.emit('runUpdated', queued);
    }
    this.run(sweepId, stopped.map((r) => r.id), concurrency, baseDir);
  }

  /**
   * Stops the sweep here: runs waiting for a slot end with `status` at once (never started: a
   * paused one resumes from step 0), and each training run is cancelled or paused by its LiveRun.
   */
  async stop(sweepId: number, status: Extract<RunStatus, 'cancelled' | 'paused'>): Promise<void> {
    const sweep = this.live.get(sweepId);
    if (!sweep) return;
    const { store, runs, events } = this.deps;
    for (const runId of sweep.waiting.splice(0)) {
      await store.updateRun(runId, { status, finishedAt: new Date().toISOString() });
      const run = await store.getRun(runId);
      if (run) events.emit('runUpdated', run);
    }
    for (const runId of sweep.active) await (status === 'paused' ? runs.pause(runId) : runs.cancel(runId));
    if (sweep.over) this.live.delete(sweepId);
  }

  /** Pauses every sweep running here (the host is closing): each resumes with resumeSweep. */
  async pauseAll(): Promise<void> {
    for (const sweepId of [...this.live.keys()]) await this.stop(sweepId, 'paused');
  }

  /** Starts waiting runs while the sweep has free slots. */
  private fill(sweep: LiveSweep): void {
    while (sweep.active.size < sweep.concurrency && sweep.waiting.length > 0) {
      const runId = sweep.waiting.shift()!;
      sweep.active.add(runId);
      void this.launch(sweep, runId)
        .catch((err: Error) => this.failToStart(runId, err))
        .then(() => this.deps.runs.whenSettled(runId))
        .then(() => {
          sweep.active.delete(runId);
          if (sweep.over) this.live.delete(sweep.id);
          else this.fill(sweep);
        });
    }
  }

  /** A run that could not be handed to the engine ends failed with the reason, never 'queued' forever. */
  private async failToStart(runId: number, err: Error): Promise<void> {
    this.log('warn', `run ${runId} could not start: ${err.message}`);
    if (this.deps.runs.isLive(runId)) return;
    await this.deps.store.updateRun(runId, { status: 'failed', error: `could not start: ${err.message}`, finishedAt: new Date().toISOString() }).catch(() => {});
    const run = await this.deps.store.getRun(runId).catch(() => null);
    if (run) this.deps.events.emit('runUpdated', run);
  }

  /** A run that never began starts; one that was stopped trains on from its checkpoint. */
  private async launch(sweep: LiveSweep, runId: number): Promise<void> {
    const { store, runs } = this.deps;
    const run = await store.getRun(runId);
    if (!run || runs.isLive(runId)) return;
    if (isUnstarted(run)) runs.launchQueued(run, sweep.baseDir);
    else await runs.resume(runId, run.config, await store.getCheckpoint(runId), sweep.baseDir);
  }
}

/** A queued run this process created and has not handed to the engine yet. */
function isUnstarted(run: RunDetail | RunSummary): boolean {
  return run.status === 'queued' && run.startedAt === null;
}
