/**
 * On-demand engine jobs on a run's model: samples at a checkpoint and score fields. Loads the
 * weights snapshot from the store, queues the job on the engine (behind any training run: the
 * engine computes one job at a time), announces its progress as `inspectProgress` events, and
 * keeps a checkpoint's samples as the set `checkpoint/<step>`. Requests for the same result while
 * it is being computed share one job (a slider dragged back and forth asks again and again).
 */
import { ApiError, type RunDetail, type SampleSet, type ScoreField } from '../../src-shared/api';
import { sampleSetLabel } from '../../src-shared/labels';
import type { EngineHost } from '../engine-process/host';
import type { InspectRequest, InspectResult } from '../engine/jobs';
import type { Store } from '../store/store';
import type { EventHub } from './event-hub';

export class InspectJobs {
  private readonly pending = new Map<string, Promise<unknown>>();
  /** Inspect jobs count down from −1, so their ids never meet a run's (positive) id on the engine. */
  private nextJobId = -1;

  constructor(
    private readonly store: Store,
    private readonly engine: EngineHost,
    private readonly events: EventHub,
    private readonly baseDir: string,
  ) {}

  /** Samples `n` chains with the weights of `step` and stores them as `checkpoint/<step>`. */
  sampleAt(run: RunDetail, step: number, n: number): Promise<SampleSet> {
    const label = sampleSetLabel.checkpoint(step);
    return this.once(`${run.id}:${label}:${n}`, async () => {
      const result = await this.submit(run, step, label, (weights) => ({ kind: 'sample', config: run.config, baseDir: this.baseDir, weights, n }));
      if (result.kind !== 'samples') throw new Error(`the engine answered a sampling job with ${result.kind}`);
      const set = { runId: run.id, label, n: result.n, dim: result.dim, metrics: result.metrics };
      await this.store.saveSampleSet({ ...set, points: result.points });
      // The API's answer goes out as JSON (IPC, HTTP): plain numbers from here on.
      return { ...set, points: Array.from(result.points) };
    });
  }

  /** The learned (and, where known, true) score at `level` with the weights of `step`. */
  scoreField(run: RunDetail, step: number, level: number, grid: number): Promise<ScoreField> {
    const job = `score-field/${step}/${level}`;
    return this.once(`${run.id}:${job}:${grid}`, async () => {
      const result = await this.submit(run, step, job, (weights) => ({
        kind: 'score-field',
        config: run.config,
        baseDir: this.baseDir,
        weights,
        level,
        grid,
      }));
      if (result.kind !== 'score-field') throw new Error(`the engine answered a score-field job with ${result.kind}`);
      return { runId: run.id, step, ...result.field };
    });
  }

  private once<T>(key: string, work: () => Promise<T>): Promise<T> {
    const running = this.pending.get(key);
    if (running) return running as Promise<T>;
    const promise = work().finally(() => this.pending.delete(key));
    this.pending.set(key, promise);
    return promise;
  }

  private async submit(
    run: RunDetail,
    step: number,
    job: string,
    request: (weights: InspectRequest['weights']) => InspectRequest,
  ): Promise<InspectResult> {
    const snapshot = await this.store.getWeights(run.id, step);
    if (!snapshot) throw new ApiError('not-found', `run ${run.id} has no weights kept at step ${step}`);
    const jobId = this.nextJobId--;
    const progress = (done: number, total: number) => this.events.emit('inspectProgress', { runId: run.id, job, done, total });
    progress(0, 0);
    const result = await new Promise<InspectResult>((resolve, reject) => {
      const fail = (reason: string) => reject(new ApiError('internal', `${job} of run ${run.id}: ${reason}`));
      this.engine
        .inspect(jobId, request(snapshot.tensors), (message) => {
          if (message.type === 'progress') progress(message.done, message.total);
          else if (message.type === 'inspected') resolve(message.result);
          else if (message.type === 'failed') fail(message.error);
          else if (message.type === 'crashed') fail(message.reason);
        })
        .catch((err: Error) => fail(err.message));
    });
    return result;
  }
}
