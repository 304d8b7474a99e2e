/**
 * Starts runs on the engine and persists what the engine streams back. This is the database's one
 * writer for run data: the engine computes, the run manager stores, in the order messages arrive.
 * Each run this process trains is one LiveRun (live-run.ts), kept here by id until it settles.
 */
import { ApiError, type RunDetail, type RunSummary } from '../../src-shared/api';
import type { ExperimentConfig } from '../../src-shared/config';
import type { EngineHost } from '../engine-process/host';
import type { TrainingCheckpoint } from '../engine/types';
import type { Store } from '../store/store';
import type { EventHub } from './event-hub';
import { LiveRun } from './live-run';

export class RunManager {
  /** The runs started here that have not settled. */
  private readonly live = new Map<number, LiveRun>();

  constructor(
    private readonly store: Store,
    private readonly engine: EngineHost,
    private readonly events: EventHub,
  ) {}

  /** Creates a run of the experiment and starts it; resolves once the run is queued. */
  async start(experimentId: number, baseDir: string): Promise<RunSummary> {
    const run = await this.store.createRun(experimentId);
    this.launchQueued(run, baseDir);
    return run;
  }

  /** Starts a run created 'queued' and not started yet (a sweep's, when its slot comes). */
  launchQueued(run: RunDetail, baseDir: string): void {
    if (this.live.has(run.id)) throw new ApiError('conflict', `run ${run.id} is already training`);
    this.take(run.id).launch(run, run.config, baseDir);
  }

  /**
   * Trains a stopped run on from `checkpoint` (from step 0 without one) with `config`, which may
   * differ from the run's in its train and sampler settings; the points it logged after the
   * checkpoint are dropped, and logged again as training goes on. Resolves once it is queued.
   */
  async resume(runId: number, config: ExperimentConfig, checkpoint: TrainingCheckpoint | null, baseDir: string): Promise<RunSummary> {
    if (this.live.has(runId)) throw new ApiError('conflict', `run ${runId} is already training`);
    // Taken at once, so a second resume of the same run, arriving while this one writes, is refused.
    const live = this.take(runId);
    let run: RunDetail | null;
    try {
      await this.store.prepareResume(runId, { config, fromStep: checkpoint?.step ?? 0 });
      run = await this.store.getRun(runId);
      if (!run) throw new Error(`run ${runId} vanished while being resumed`);
    } catch (err) {
      live.settle();
      throw err;
    }
    live.launch(run, config, baseDir, checkpoint ?? undefined);
    return run;
  }

  async cancel(runId: number): Promise<void> {
    this.live.get(runId)?.cancel();
  }

  /** Stops a live run to be resumed later (see LiveRun.pause). */
  async pause(runId: number): Promise<void> {
    this.live.get(runId)?.pause();
  }

  isLive(runId: number): boolean {
    return this.live.has(runId);
  }

  /** Resolves when the run has finished and everything it streamed is stored. */
  whenSettled(runId: number): Promise<void> {
    return this.live.get(runId)?.whenSettled() ?? Promise.resolve();
  }

  /** Waits for every live run's pending writes (used before closing the store). */
  async drain(): Promise<void> {
    await Promise.all([...this.live.values()].map((run) => run.drain()));
  }

  /** A new LiveRun for `runId`, kept until it settles. */
  private take(runId: number): LiveRun {
    const run = new LiveRun(runId, { store: this.store, engine: this.engine, events: this.events }, () => this.live.delete(runId));
    this.live.set(runId, run);
    return run;
  }
}
