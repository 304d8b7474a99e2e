/**
 * The host side of the engine process: starts it on first use, waits for its backend report,
 * routes each job's messages to that job's listener, and turns a crash of the process into a
 * 'failed' message for every job it was running, so no run waits forever.
 */
import type { BackendInfo } from '../../src-shared/api';
import type { ExperimentConfig } from '../../src-shared/config';
import type { InspectRequest } from '../engine/jobs';
import type { TrainingCheckpoint } from '../engine/types';
import type { EngineChannel, EngineChannelFactory } from './channel';
import type { EngineToHost } from './protocol';

/** What a job's listener hears: the engine's messages for it, or that the engine process died. */
export type JobMessage =
  | Exclude<EngineToHost, { type: 'ready' } | { type: 'log' }>
  | { type: 'crashed'; jobId: number; reason: string };
export type JobListener = (message: JobMessage) => void;

interface LiveEngine {
  channel: EngineChannel;
  ready: Promise<BackendInfo>;
  /** The jobs queued on or running in this process. */
  jobs: Set<number>;
}

/**
 * An engine process takes its jobs one at a time (engine-process/main.ts), so jobs run side by side
 * only in separate processes: up to `processLimit` of them, started as jobs need them. A job goes
 * to an idle process, else to a new one while under the limit, else waits behind the fewest jobs.
 * With the limit at 1 (the default) every job queues on the one process.
 */
export class EngineHost {
  private readonly engines: LiveEngine[] = [];
  private readonly jobs = new Map<number, { listener: JobListener; engine: LiveEngine }>();
  private lastBackend: BackendInfo | null = null;
  private processLimit: number;

  constructor(
    private readonly entry: string,
    private readonly createChannel: EngineChannelFactory,
    private readonly log: (level: 'info' | 'warn' | 'error', message: string) => void = () => {},
    processLimit = 1,
  ) {
    this.processLimit = Math.max(1, processLimit);
  }

  /** Lets jobs run in up to `n` engine processes at once (never lowers the limit: running processes stay). */
  allowProcesses(n: number): void {
    this.processLimit = Math.max(this.processLimit, n);
  }

  /** The backend the engine reported, once it has started. */
  get backend(): BackendInfo | null {
    return this.lastBackend;
  }

  get runningJobs(): number[] {
    return [...this.jobs.keys()];
  }

  /** The first engine process's id while one is running (for diagnostics, and for tests that kill it). */
  get pid(): number | undefined {
    return this.engines[0]?.channel.pid;
  }

  /** Every running engine process's id. */
  get pids(): number[] {
    return this.engines.map((e) => e.channel.pid).filter((pid): pid is number => pid !== undefined);
  }

  /** Starts an engine process if none runs and resolves with its backend. */
  ensureStarted(): Promise<BackendInfo> {
    return (this.engines[0] ?? this.spawn()).ready;
  }

  /** Queues a job on an engine process; with `resume`, it trains on from that checkpoint. */
  async start(
    jobId: number,
    config: ExperimentConfig,
    baseDir: string,
    listener: JobListener,
    resume?: TrainingCheckpoint,
  ): Promise<BackendInfo> {
    const engine = this.assign(jobId, listener);
    try {
      const backend = await engine.ready;
      engine.channel.send({ type: 'start', jobId, config, baseDir, ...(resume ? { resume } : {}) });
      return backend;
    } catch (err) {
      this.release(jobId);
      throw err;
    }
  }

  /** Queues an on-demand job on a run's model; it ends with 'inspected' or 'failed'. */
  async inspect(jobId: number, request: InspectRequest, listener: JobListener): Promise<void> {
    const engine = this.assign(jobId, listener);
    try {
      await engine.ready;
      engine.channel.send({ type: 'inspect', jobId, request });
    } catch (err) {
      this.release(jobId);
      throw err;
    }
  }

  cancel(jobId: number): void {
    this.jobs.get(jobId)?.engine.channel.send({ type: 'cancel', jobId });
  }

  async shutdown(): Promise<void> {
    const engines = this.engines.splice(0);
    await Promise.all(engines.map((engine) => this.stop(engine)));
  }

  /** The process a new job goes to (see the class comment), with the job recorded on it. */
  private assign(jobId: number, listener: JobListener): LiveEngine {
    if (this.jobs.has(jobId)) throw new Error(`job ${jobId} is already running`);
    const least = this.engines.reduce<LiveEngine | undefined>((best, e) => (!best || e.jobs.size < best.jobs.size ? e : best), undefined);
    const engine = least && (least.jobs.size === 0 || this.engines.length >= this.processLimit) ? least : this.spawn();
    engine.jobs.add(jobId);
    this.jobs.set(jobId, { listener, engine });
    return engine;
  }

  private release(jobId: number): void {
    this.jobs.get(jobId)?.engine.jobs.delete(jobId);
    this.jobs.delete(jobId);
  }

  private stop(engine: LiveEngine): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        engine.channel.kill();
        resolve();
      }, 3000);
      engine.channel.onExit(() => {
        clearTimeout(timer);
        resolve();
      });
      engine.channel.send({ type: 'shutdown' });
    });
  }

  private spawn(): LiveEngine {
    const channel = this.createChannel(this.entry);
    let resolveReady!: (b: BackendInfo) => void;
    let rejectReady!: (e: Error) => void;
    const ready = new Promise<BackendInfo>((res, rej) => {
      resolveReady = res;
      rejectReady = rej;
    });
    // Whoever awaits it hears the rejection; one nobody awaits (no job yet) must not be unhandled.
    ready.catch(() => {});
    const engine: LiveEngine = { channel, ready, jobs: new Set() };
    this.engines.push(engine);
    channel.onMessage((message) => {
      if (message.type === 'ready') {
        this.lastBackend = message.backend;
        resolveReady(message.backend);
      } else if (message.type === 'log') {
        this.log(message.level, message.message);
      } else {
        const listener = this.jobs.get(message.jobId)?.listener;
        if (message.type === 'finished' || message.type === 'failed' || message.type === 'inspected') this.release(message.jobId);
        listener?.(message);
      }
    });
    channel.onExit((_code, reason) => {
      const index = this.engines.indexOf(engine);
      if (index >= 0) this.engines.splice(index, 1);
      rejectReady(new Error(`the engine process stopped before it was ready (${reason})`));
      // Every job it held dies with it (the other processes' go on); the next start spawns a fresh engine.
      for (const jobId of [...engine.jobs]) {
        const listener = this.jobs.get(jobId)?.listener;
        this.release(jobId);
        listener?.({ type: 'crashed', jobId, reason: `the engine process stopped (${reason})` });
      }
    });
    return engine;
  }
}
