/**
 * Starts runs on the engine and persists what the engine streams back. This is the database's one
 * writer for run data: the engine computes, the run manager stores, in the order messages arrive.
 *
 * A write that fails (disk full, database read-only) stops the run: the engine is told to cancel,
 * the run is recorded as failed with the store's error, and nothing more of it is written.
 */
import { ApiError, type RunDetail, type RunPhase, type RunProgress, type RunSummary } from '../common/api';
import type { ExperimentConfig } from '../common/config';
import type { EngineHost, JobMessage } from '../engine-process/host';
import type { MetricPoint, Store, TrainingCheckpoint } from '../store/store';
import type { EventHub } from './event-hub';
import { keepsWeightSnapshot, samplingWeights } from './weight-snapshots';

/** Rate estimate for the ETA: units per second within the current phase. */
interface PhaseClock {
  phase: RunPhase;
  startedAt: number;
  startDone: number;
}

/** The engine messages after which a job sends nothing more. */
const isLast = (message: JobMessage): boolean => message.type === 'finished' || message.type === 'failed' || message.type === 'crashed';

export class RunManager {
  /** Per run: the chain of pending store writes, so messages are stored in order. */
  private readonly writes = new Map<number, Promise<void>>();
  /** Runs started here that have not finished. */
  private readonly live = new Set<number>();
  /** Live runs whose store writes failed: the error, until the engine confirms the job ended. */
  private readonly writeErrors = new Map<number, string>();
  private readonly clocks = new Map<number, PhaseClock>();
  private readonly settled = new Map<number, () => void>();
  /** Live runs asked to pause: their engine job is cancelled (it checkpoints), and they end 'paused'. */
  private readonly pausing = new Set<number>();
  /** Per run: the metric points of the metrics write queued and not started yet (see receive). */
  private readonly queuedMetrics = new Map<number, MetricPoint[]>();

  constructor(
    private readonly store: Store,
    private readonly engine: EngineHost,
    private readonly events: EventHub,
  ) {}

  /** Creates a run of the experiment and starts it; resolves once the run is queued. */
  async start(experimentId: number, baseDir: string): Promise<RunSummary> {
    const run = await this.store.createRun(experimentId, process.pid);
    this.launch(run, run.config, baseDir);
    return run;
  }

  /**
   * Trains a stopped run on from `checkpoint` (from step 0 without one) with `config`, which may
   * differ from the run's in its train and sampler settings; the points it logged after the
   * checkpoint are dropped, and logged again as training goes on. Resolves once it is queued.
   */
  async resume(runId: number, config: ExperimentConfig, checkpoint: TrainingCheckpoint | null, baseDir: string): Promise<RunSummary> {
    if (this.live.has(runId)) throw new ApiError('conflict', `run ${runId} is already training`);
    // Taken at once, so a second resume of the same run, arriving while this one writes, is refused.
    this.live.add(runId);
    let run: RunDetail | null;
    try {
      await this.store.prepareResume(runId, { config, fromStep: checkpoint?.step ?? 0, ownerPid: process.pid });
      run = await this.store.getRun(runId);
      if (!run) throw new Error(`run ${runId} vanished while being resumed`);
    } catch (err) {
      this.live.delete(runId);
      throw err;
    }
    this.launch(run, config, baseDir, checkpoint ?? undefined);
    return run;
  }

  async cancel(runId: number): Promise<void> {
    if (this.live.has(runId)) this.engine.cancel(runId);
  }

  /**
   * Stops a live run to be resumed later. The engine stops it the way it stops a cancelled one —
   * at the next step, with a checkpoint of that step (or, while sampling, keeping the checkpoint
   * at the end of training) — and the run is recorded as 'paused'.
   */
  async pause(runId: number): Promise<void> {
    if (!this.live.has(runId)) return;
    this.pausing.add(runId);
    this.engine.cancel(runId);
  }

  isLive(runId: number): boolean {
    return this.live.has(runId);
  }

  /** Resolves when the run has finished and everything it streamed is stored. */
  whenSettled(runId: number): Promise<void> {
    if (!this.live.has(runId)) return Promise.resolve();
    return new Promise((resolve) => {
      const previous = this.settled.get(runId);
      this.settled.set(runId, () => {
        previous?.();
        resolve();
      });
    });
  }

  /** Waits for every live run's pending writes (used before closing the store). */
  async drain(): Promise<void> {
    await Promise.all([...this.writes.values()]);
  }

  /** Queues the run on the engine; every message it sends back is stored in order. */
  private launch(run: RunDetail, config: ExperimentConfig, baseDir: string, resume?: TrainingCheckpoint): void {
    const runId = run.id;
    this.live.add(runId);
    this.events.emit('runUpdated', run);
    this.engine
      .start(runId, config, baseDir, (message) => this.receive(runId, config, message), resume)
      .then(
        (backend) =>
          this.enqueue(runId, async () => {
            // A resumed run keeps when it first started.
            await this.store.updateRun(runId, { status: 'running', backend, ...(run.startedAt ? {} : { startedAt: now() }) });
            await this.publish(runId);
          }),
        (err: Error) => this.enqueue(runId, () => this.finishWith(runId, 'failed', err.message), true),
      );
  }

  private receive(runId: number, config: ExperimentConfig, message: JobMessage): void {
    if (message.type === 'metrics') {
      // Batches that arrive while a metrics write is still queued join it: one transaction for
      // all of them, as SQLite's cost is mostly per transaction (bench: logging).
      const queued = this.queuedMetrics.get(runId);
      if (queued) {
        for (const point of message.points) queued.push(point);
        return;
      }
      this.queuedMetrics.set(runId, [...message.points]);
    }
    const last = isLast(message);
    this.enqueue(
      runId,
      async () => {
        const writeError = this.writeErrors.get(runId);
        if (writeError === undefined) return this.handle(runId, config, message);
        // The store failed earlier: drop what the job still sends, and end the run once the engine has stopped it.
        if (last) await this.finishWith(runId, 'failed', writeError);
      },
      last,
    );
  }

  /**
   * Chains `work` after the run's pending writes. Work for a run that has already finished is
   * dropped. If it fails, the run stops: the engine cancels the job and the run is recorded as
   * failed with the store's error (if even that write fails, the next start marks it interrupted).
   */
  private enqueue(runId: number, work: () => Promise<void>, last = false): void {
    const previous = this.writes.get(runId) ?? Promise.resolve();
    const next = previous
      .then(() => (this.live.has(runId) ? work() : undefined))
      .catch(async (err: Error) => {
        if (!this.live.has(runId)) return;
        const error = `store write failed: ${err.message}`;
        if (!this.writeErrors.has(runId)) {
          this.writeErrors.set(runId, error);
          this.engine.cancel(runId);
        }
        await this.store.updateRun(runId, { status: 'failed', error, finishedAt: now() }).catch(() => {});
        if (last) this.settle(runId);
        else await this.publish(runId).catch(() => null);
      });
    this.writes.set(runId, next);
  }

  private async handle(runId: number, config: ExperimentConfig, message: JobMessage): Promise<void> {
    switch (message.type) {
      case 'prepared':
        await this.store.saveSchedule(runId, message.schedule);
        await this.store.saveTrainingData(runId, message.trainingData);
        return;
      case 'metrics': {
        const points = this.queuedMetrics.get(runId) ?? message.points;
        this.queuedMetrics.delete(runId);
        await this.store.appendMetrics(runId, points);
        const last = points.filter((p) => p.key === 'loss').at(-1);
        if (last) await this.store.updateRun(runId, { steps: last.step, finalLoss: last.value });
        return;
      }
      case 'progress':
        this.events.emit('runProgress', { ...this.progress(runId, message.phase, message.done, message.total, message.loss), ...(message.stats && { stats: message.stats }) });
        return;
      case 'weights':
        await this.store.saveWeights(runId, message.step, message.tensors);
        return;
      case 'checkpoint':
        await this.store.saveCheckpoint(runId, message.checkpoint);
        if (keepsWeightSnapshot(config.train, message.checkpoint.step))
          await this.store.saveWeights(runId, message.checkpoint.step, samplingWeights(message.checkpoint));
        return;
      case 'samples':
        await this.store.saveSampleSet({
          runId,
          label: message.label,
          n: message.n,
          dim: message.dim,
          points: Array.from(message.points),
          metrics: message.metrics,
          ...(message.frame ? { frame: message.frame } : {}),
        });
        // The run's summary (the runs table, the CLI) shows the sampler's output, never a frame on its way there.
        if (message.label === 'final') await this.store.updateRun(runId, { metrics: message.metrics });
        return;
      case 'finished':
        await this.store.updateRun(runId, {
          steps: message.steps,
          trainSeconds: message.trainSeconds,
          sampleSeconds: message.sampleSeconds,
          finalLoss: message.finalLoss,
        });
        return this.finishWith(runId, message.status === 'cancelled' && this.pausing.has(runId) ? 'paused' : message.status, null);
      case 'failed':
        return this.finishWith(
          runId,
          'failed',
          message.step === null ? message.error : `step ${message.step}: ${message.error}`,
        );
      case 'crashed':
        return this.finishWith(runId, 'interrupted', message.reason);
    }
  }

  private async finishWith(runId: number, status: RunSummary['status'], error: string | null): Promise<void> {
    await this.store.updateRun(runId, { status, error, finishedAt: now() });
    const summary = await this.publish(runId);
    if (summary) {
      this.events.emit('runProgress', {
        runId,
        phase: 'done',
        done: summary.steps,
        total: summary.totalSteps,
        loss: summary.finalLoss,
        etaSeconds: 0,
      });
    }
    this.settle(runId);
  }

  /** The run is over here: forget it and wake whoever waits for it. */
  private settle(runId: number): void {
    this.live.delete(runId);
    this.pausing.delete(runId);
    this.queuedMetrics.delete(runId);
    this.writeErrors.delete(runId);
    this.clocks.delete(runId);
    this.writes.delete(runId);
    this.settled.get(runId)?.();
    this.settled.delete(runId);
  }

  private async publish(runId: number): Promise<RunSummary | null> {
    const run = await this.store.getRun(runId);
    if (run) this.events.emit('runUpdated', run);
    return run;
  }

  /** ETA from the rate within the current phase; sampling's length is unknown until it starts. */
  private progress(runId: number, phase: RunPhase, done: number, total: number, loss: number | null): RunProgress {
    const t = Date.now();
    let clock = this.clocks.get(runId);
    if (!clock || clock.phase !== phase) {
      clock = { phase, startedAt: t, startDone: done };
      this.clocks.set(runId, clock);
    }
    const elapsed = (t - clock.startedAt) / 1000;
    const rate = elapsed > 0.5 ? (done - clock.startDone) / elapsed : 0;
    const etaSeconds = rate > 0 ? (total - done) / rate : null;
    return { runId, phase, done, total, loss, etaSeconds };
  }
}

function now(): string {
  return new Date().toISOString();
}
