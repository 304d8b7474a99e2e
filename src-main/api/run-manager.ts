/**
 * Starts runs on the engine and persists what the engine streams back. This is the database's one
 * writer for run data: the engine computes, the run manager stores, in the order messages arrive.
 */
import type { RunPhase, RunProgress, RunSummary } from '../common/api';
import type { EngineHost, JobMessage } from '../engine-process/host';
import type { Store } from '../store/store';
import type { EventHub } from './event-hub';

/** Rate estimate for the ETA: units per second within the current phase. */
interface PhaseClock {
  phase: RunPhase;
  startedAt: number;
  startDone: number;
}

export class RunManager {
  /** Per live run: the chain of pending store writes, so messages are stored in order. */
  private readonly writes = new Map<number, Promise<void>>();
  private readonly clocks = new Map<number, PhaseClock>();
  private readonly settled = new Map<number, () => void>();

  constructor(
    private readonly store: Store,
    private readonly engine: EngineHost,
    private readonly events: EventHub,
  ) {}

  /** Creates a run of the experiment and starts it; resolves once the run is queued. */
  async start(experimentId: number, baseDir: string): Promise<RunSummary> {
    const run = await this.store.createRun(experimentId);
    this.writes.set(run.id, Promise.resolve());
    this.events.emit('runUpdated', run);
    this.engine
      .start(run.id, run.config, baseDir, (message) => this.enqueue(run.id, () => this.handle(run.id, message)))
      .then((backend) =>
        this.enqueue(run.id, async () => {
          await this.store.updateRun(run.id, { status: 'running', startedAt: new Date().toISOString(), backend });
          await this.publish(run.id);
        }),
      )
      .catch((err: Error) => this.enqueue(run.id, () => this.finishWith(run.id, 'failed', err.message)));
    return run;
  }

  async cancel(runId: number): Promise<void> {
    if (this.writes.has(runId)) this.engine.cancel(runId);
  }

  isLive(runId: number): boolean {
    return this.writes.has(runId);
  }

  /** Resolves when the run has finished and everything it streamed is stored. */
  whenSettled(runId: number): Promise<void> {
    if (!this.writes.has(runId)) return Promise.resolve();
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

  private enqueue(runId: number, work: () => Promise<void>): void {
    const previous = this.writes.get(runId) ?? Promise.resolve();
    const next = previous.then(work).catch((err: Error) => {
      // A failed write must not leave the run 'running' forever: record it as the run's error.
      return this.store
        .updateRun(runId, { status: 'failed', error: `store write failed: ${err.message}`, finishedAt: now() })
        .catch(() => {});
    });
    this.writes.set(runId, next);
  }

  private async handle(runId: number, message: JobMessage): Promise<void> {
    switch (message.type) {
      case 'prepared':
        await this.store.saveSchedule(runId, message.schedule);
        await this.store.saveTrainingData(runId, message.trainingData);
        return;
      case 'metrics': {
        await this.store.appendMetrics(runId, message.points);
        const last = message.points.filter((p) => p.key === 'loss').at(-1);
        if (last) await this.store.updateRun(runId, { steps: last.step, finalLoss: last.value });
        return;
      }
      case 'progress':
        this.events.emit('runProgress', this.progress(runId, message.phase, message.done, message.total, message.loss));
        return;
      case 'weights':
        await this.store.saveWeights(runId, message.step, message.tensors);
        return;
      case 'samples':
        await this.store.saveSampleSet({
          runId,
          label: message.label,
          n: message.n,
          dim: message.dim,
          points: Array.from(message.points),
          metrics: message.metrics,
        });
        await this.store.updateRun(runId, { metrics: message.metrics });
        return;
      case 'finished':
        await this.store.updateRun(runId, {
          steps: message.steps,
          trainSeconds: message.trainSeconds,
          sampleSeconds: message.sampleSeconds,
          finalLoss: message.finalLoss,
        });
        return this.finishWith(runId, message.status, null);
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
    this.clocks.delete(runId);
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
