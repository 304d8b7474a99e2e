/**
 * The host side of the engine process: starts it on first use, waits for its backend report,
 * routes each job's messages to that job's listener, and turns a crash of the process into a
 * 'failed' message for every job it was running, so no run waits forever.
 */
import type { BackendInfo } from '../common/api';
import type { ExperimentConfig } from '../common/config';
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
}

export class EngineHost {
  private engine: LiveEngine | null = null;
  private readonly jobs = new Map<number, JobListener>();
  private lastBackend: BackendInfo | null = null;

  constructor(
    private readonly entry: string,
    private readonly createChannel: EngineChannelFactory,
    private readonly log: (level: 'info' | 'warn' | 'error', message: string) => void = () => {},
  ) {}

  /** The backend the engine reported, once it has started. */
  get backend(): BackendInfo | null {
    return this.lastBackend;
  }

  get runningJobs(): number[] {
    return [...this.jobs.keys()];
  }

  /** The engine process's id while one is running (for diagnostics, and for tests that kill it). */
  get pid(): number | undefined {
    return this.engine?.channel.pid;
  }

  /** Starts the engine process if needed and resolves with its backend. */
  ensureStarted(): Promise<BackendInfo> {
    return (this.engine ??= this.spawn()).ready;
  }

  /** Queues a job on the engine; with `resume`, it trains on from that checkpoint. */
  async start(
    jobId: number,
    config: ExperimentConfig,
    baseDir: string,
    listener: JobListener,
    resume?: TrainingCheckpoint,
  ): Promise<BackendInfo> {
    if (this.jobs.has(jobId)) throw new Error(`job ${jobId} is already running`);
    this.jobs.set(jobId, listener);
    try {
      const backend = await this.ensureStarted();
      this.engine?.channel.send({ type: 'start', jobId, config, baseDir, ...(resume ? { resume } : {}) });
      return backend;
    } catch (err) {
      this.jobs.delete(jobId);
      throw err;
    }
  }

  /** Queues an on-demand job on a run's model; it ends with 'inspected' or 'failed'. */
  async inspect(jobId: number, request: InspectRequest, listener: JobListener): Promise<void> {
    if (this.jobs.has(jobId)) throw new Error(`job ${jobId} is already running`);
    this.jobs.set(jobId, listener);
    try {
      await this.ensureStarted();
      this.engine?.channel.send({ type: 'inspect', jobId, request });
    } catch (err) {
      this.jobs.delete(jobId);
      throw err;
    }
  }

  cancel(jobId: number): void {
    this.engine?.channel.send({ type: 'cancel', jobId });
  }

  async shutdown(): Promise<void> {
    const engine = this.engine;
    this.engine = null;
    if (!engine) return;
    await new Promise<void>((resolve) => {
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
    channel.onMessage((message) => {
      if (message.type === 'ready') {
        this.lastBackend = message.backend;
        resolveReady(message.backend);
      } else if (message.type === 'log') {
        this.log(message.level, message.message);
      } else {
        const listener = this.jobs.get(message.jobId);
        if (message.type === 'finished' || message.type === 'failed' || message.type === 'inspected') this.jobs.delete(message.jobId);
        listener?.(message);
      }
    });
    channel.onExit((_code, reason) => {
      if (this.engine?.channel === channel) this.engine = null;
      rejectReady(new Error(`the engine process stopped before it was ready (${reason})`));
      // Every job it held dies with it; the next start spawns a fresh engine.
      for (const [jobId, listener] of [...this.jobs]) {
        this.jobs.delete(jobId);
        listener({ type: 'crashed', jobId, reason: `the engine process stopped (${reason})` });
      }
    });
    return { channel, ready };
  }
}
