/**
 * One run while this process trains it: its engine job, the ordered chain of its store writes,
 * and how it ends. Everything the run manager knew about a live run by id lives here, and goes
 * away with the object once the run has settled.
 *
 * A write that fails (disk full, database read-only) stops the run: the engine is told to cancel,
 * the run is recorded as failed with the store's error, and nothing more of it is written.
 */
import type { RunDetail, RunPhase, RunProgress, RunStatus, RunSummary } from '../../src-shared/api';
import type { ExperimentConfig } from '../../src-shared/config';
import { metricKey, sampleSetLabel } from '../../src-shared/labels';
import type { EngineHost, JobMessage } from '../engine-process/host';
import type { MetricPoint, TrainingCheckpoint } from '../engine/types';
import type { Store } from '../store/store';
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

export interface LiveRunDeps {
  store: Store;
  engine: EngineHost;
  events: EventHub;
}

export class LiveRun {
  /** The chain of pending store writes, so messages are stored in the order they arrived. */
  private writes: Promise<void> = Promise.resolve();
  /** Set once a store write failed: the error, until the engine confirms the job ended. */
  private writeError: string | null = null;
  private clock: PhaseClock | null = null;
  /** Asked to pause: its engine job is cancelled (it checkpoints), and it ends 'paused'. */
  private pausing = false;
  /** Whether the engine has begun the job (it sent something other than its end). */
  private started = false;
  /** The metric points of the metrics write queued and not started yet (see receive). */
  private queuedMetrics: MetricPoint[] | null = null;
  private over = false;
  private readonly settled: Promise<void>;
  private resolveSettled!: () => void;

  constructor(
    readonly id: number,
    private readonly deps: LiveRunDeps,
    /** Called once when the run is over here, before whoever waits for it wakes. */
    private readonly onSettled: () => void,
  ) {
    this.settled = new Promise((resolve) => (this.resolveSettled = resolve));
  }

  /**
   * Queues the run on the engine; every message it sends back is stored in order. The run stays
   * 'queued' (with its backend once the engine has chosen one) until the engine begins it.
   */
  launch(run: RunDetail, config: ExperimentConfig, baseDir: string, resume?: TrainingCheckpoint): void {
    const { store, engine, events } = this.deps;
    events.emit('runUpdated', run);
    engine.start(this.id, config, baseDir, (message) => this.receive(run, config, message), resume).then(
      (backend) =>
        this.enqueue(async () => {
          await store.updateRun(this.id, { backend });
          await this.publish();
        }),
      (err: Error) => this.enqueue(() => this.finishWith('failed', err.message), true),
    );
  }

  cancel(): void {
    this.deps.engine.cancel(this.id);
  }

  /**
   * Stops the run to be resumed later. The engine stops it the way it stops a cancelled one — at
   * the next step, with a checkpoint of that step (or, while sampling, keeping the checkpoint at
   * the end of training) — and the run is recorded as 'paused'.
   */
  pause(): void {
    this.pausing = true;
    this.deps.engine.cancel(this.id);
  }

  /** Resolves when the run has finished and everything it streamed is stored. */
  whenSettled(): Promise<void> {
    return this.settled;
  }

  /** The run's pending writes. */
  drain(): Promise<void> {
    return this.writes;
  }

  /** The run is over here: whoever waits for it wakes, and nothing more of it is written. */
  settle(): void {
    if (this.over) return;
    this.over = true;
    this.onSettled();
    this.resolveSettled();
  }

  private receive(run: RunDetail, config: ExperimentConfig, message: JobMessage): void {
    const last = isLast(message);
    // The engine takes jobs one at a time: the first message that is not the job's end says it
    // has begun (a job cancelled in the queue sends only its end, and never started).
    if (!last && !this.started) {
      this.started = true;
      this.enqueue(async () => {
        // A resumed run keeps when it first started.
        await this.deps.store.updateRun(this.id, { status: 'running', ...(run.startedAt ? {} : { startedAt: now() }) });
        await this.publish();
      });
    }
    if (message.type === 'metrics') {
      // Batches that arrive while a metrics write is still queued join it: one transaction for
      // all of them, as SQLite's cost is mostly per transaction (bench: logging).
      if (this.queuedMetrics) {
        for (const point of message.points) this.queuedMetrics.push(point);
        return;
      }
      this.queuedMetrics = [...message.points];
    }
    this.enqueue(async () => {
      if (this.writeError === null) return this.handle(config, message);
      // The store failed earlier: drop what the job still sends, and end the run once the engine has stopped it.
      if (last) await this.finishWith('failed', this.writeError);
    }, last);
  }

  /**
   * Chains `work` after the run's pending writes. Work for a run that has already finished is
   * dropped. If it fails, the run stops: the engine cancels the job and the run is recorded as
   * failed with the store's error (if even that write fails, the next start marks it interrupted).
   */
  private enqueue(work: () => Promise<void>, last = false): void {
    const { store, engine } = this.deps;
    this.writes = this.writes
      .then(() => (this.over ? undefined : work()))
      .catch(async (err: Error) => {
        if (this.over) return;
        const error = `store write failed: ${err.message}`;
        if (this.writeError === null) {
          this.writeError = error;
          engine.cancel(this.id);
        }
        await store.updateRun(this.id, { status: 'failed', error, finishedAt: now() }).catch(() => {});
        if (last) this.settle();
        else await this.publish().catch(() => null);
      });
  }

  private async handle(config: ExperimentConfig, message: JobMessage): Promise<void> {
    const { store } = this.deps;
    const runId = this.id;
    switch (message.type) {
      case 'prepared':
        await store.saveSchedule(runId, message.schedule);
        await store.saveTrainingData(runId, message.trainingData);
        return;
      case 'metrics': {
        const points = this.queuedMetrics ?? message.points;
        this.queuedMetrics = null;
        await store.appendMetrics(runId, points);
        const last = points.filter((p) => p.key === metricKey.loss).at(-1);
        if (last) await store.updateRun(runId, { steps: last.step, finalLoss: last.value });
        return;
      }
      case 'progress':
        this.deps.events.emit('runProgress', { ...this.progress(message.phase, message.done, message.total, message.loss), ...(message.stats && { stats: message.stats }) });
        return;
      case 'weights':
        await store.saveWeights(runId, message.step, message.tensors);
        return;
      case 'checkpoint':
        await store.saveCheckpoint(runId, message.checkpoint);
        if (keepsWeightSnapshot(config.train, message.checkpoint.step))
          await store.saveWeights(runId, message.checkpoint.step, samplingWeights(message.checkpoint));
        return;
      case 'samples':
        await store.saveSampleSet({
          runId,
          label: message.label,
          n: message.n,
          dim: message.dim,
          points: message.points,
          metrics: message.metrics,
          ...(message.frame ? { frame: message.frame } : {}),
        });
        // The run's summary (the runs table, the CLI) shows the sampler's output, never a frame on its way there.
        if (message.label === sampleSetLabel.final) await store.updateRun(runId, { metrics: message.metrics });
        return;
      case 'finished':
        await store.updateRun(runId, {
          steps: message.steps,
          trainSeconds: message.trainSeconds,
          sampleSeconds: message.sampleSeconds,
          finalLoss: message.finalLoss,
        });
        return this.finishWith(message.status === 'cancelled' && this.pausing ? 'paused' : message.status, null);
      case 'failed':
        return this.finishWith('failed', message.step === null ? message.error : `step ${message.step}: ${message.error}`);
      case 'crashed':
        return this.finishWith('interrupted', message.reason);
    }
  }

  private async finishWith(status: RunStatus, error: string | null): Promise<void> {
    await this.deps.store.updateRun(this.id, { status, error, finishedAt: now() });
    const summary = await this.publish();
    if (summary) {
      this.deps.events.emit('runProgress', {
        runId: this.id,
        phase: 'done',
        done: summary.steps,
        total: summary.totalSteps,
        loss: summary.finalLoss,
        etaSeconds: 0,
      });
    }
    this.settle();
  }

  private async publish(): Promise<RunSummary | null> {
    const run = await this.deps.store.getRun(this.id);
    if (run) this.deps.events.emit('runUpdated', run);
    return run;
  }

  /** ETA from the rate within the current phase; sampling's length is unknown until it starts. */
  private progress(phase: RunPhase, done: number, total: number, loss: number | null): RunProgress {
    const t = Date.now();
    if (!this.clock || this.clock.phase !== phase) this.clock = { phase, startedAt: t, startDone: done };
    const elapsed = (t - this.clock.startedAt) / 1000;
    const rate = elapsed > 0.5 ? (done - this.clock.startDone) / elapsed : 0;
    const etaSeconds = rate > 0 ? (total - done) / rate : null;
    return { runId: this.id, phase, done, total, loss, etaSeconds };
  }
}

function now(): string {
  return new Date().toISOString();
}
