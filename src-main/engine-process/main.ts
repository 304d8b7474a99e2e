/**
 * The engine process: owns TensorFlow.js and runs one experiment at a time for its host.
 *
 * It runs either as an Electron utilityProcess (messages through `process.parentPort`) or as a Node
 * child started with `child_process.fork(file, { serialization: 'advanced' })` (process.send /
 * 'message'); both carry structured clones, so Float32Arrays cross as they are. On start it picks
 * the backend and says 'ready'; then it takes 'start' (queued, run in order), 'cancel' and
 * 'shutdown'. It exits when the host disconnects.
 */
import { requireExperimentConfig } from '../../src-shared/config';
import { initBackend } from '../engine/backend';
import { runInspection } from '../engine/inspect';
import { runExperiment } from '../engine/run/run-experiment';
import type { InspectRequest, RunEvent } from '../engine/jobs';
import type { TrainingCheckpoint } from '../engine/types';
import type { EngineToHost, HostToEngine } from './protocol';

/** The two transports, behind one face. */
interface Channel {
  send(message: EngineToHost): void;
  onMessage(handler: (message: unknown) => void): void;
  onDisconnect(handler: () => void): void;
  /** Resolves once everything sent so far has left the process (before exiting). */
  flush(): Promise<void>;
}

/** What Electron's utilityProcess puts on `process.parentPort` (typed here: no electron import). */
interface ParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

function connect(): Channel {
  const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
  if (parentPort) {
    return {
      send: (message) => parentPort.postMessage(message),
      onMessage: (handler) => parentPort.on('message', (event) => handler(event.data)),
      // Electron ends a utility process together with its parent; there is no event to wait for.
      onDisconnect: () => undefined,
      flush: () => new Promise((resolve) => setImmediate(resolve)),
    };
  }
  const send = process.send?.bind(process);
  if (!send) throw new Error('the engine process must be started as an Electron utilityProcess or with child_process.fork');
  let pending = 0;
  let drained: (() => void)[] = [];
  return {
    send: (message) => {
      if (!process.connected) return;
      pending++;
      send(message, undefined, {}, () => {
        pending--;
        if (pending === 0) drained.splice(0).forEach((resolve) => resolve());
      });
    },
    onMessage: (handler) => process.on('message', handler),
    onDisconnect: (handler) => process.on('disconnect', handler),
    flush: () => (pending === 0 || !process.connected ? Promise.resolve() : new Promise<void>((resolve) => (drained = [...drained, resolve]))),
  };
}

interface Job {
  jobId: number;
  config: unknown;
  baseDir: string;
  resume?: TrainingCheckpoint;
  /** Set on on-demand jobs (samples at a checkpoint, a score field) instead of a training run. */
  inspect?: InspectRequest;
  cancelled: boolean;
}

class Engine {
  private readonly queue: Job[] = [];
  private current: Job | null = null;
  private shuttingDown = false;

  constructor(
    private readonly channel: Channel,
    private readonly backendReady: Promise<unknown>,
  ) {}

  handle(raw: unknown): void {
    const message = raw as Partial<HostToEngine> | null;
    switch (message?.type) {
      case 'start':
        return this.start(message as Extract<HostToEngine, { type: 'start' }>);
      case 'inspect':
        return this.inspect(message as Extract<HostToEngine, { type: 'inspect' }>);
      case 'cancel':
        return this.cancel((message as Extract<HostToEngine, { type: 'cancel' }>).jobId);
      case 'shutdown':
        return void this.shutdown();
      default:
        this.log('warn', `ignored a message the engine does not understand: ${JSON.stringify(raw)?.slice(0, 200)}`);
    }
  }

  private start(message: Extract<HostToEngine, { type: 'start' }>): void {
    if (!Number.isInteger(message.jobId)) return this.log('error', `'start' without an integer jobId: ignored`);
    if (this.shuttingDown) return this.finishUnstarted(message);
    this.queue.push({
      jobId: message.jobId,
      config: message.config,
      baseDir: String(message.baseDir ?? process.cwd()),
      resume: message.resume,
      cancelled: false,
    });
    void this.pump();
  }

  /** Queued with the runs: TensorFlow.js computes on one pool, so jobs take turns. */
  private inspect(message: Extract<HostToEngine, { type: 'inspect' }>): void {
    if (!Number.isInteger(message.jobId)) return this.log('error', `'inspect' without an integer jobId: ignored`);
    if (this.shuttingDown) return this.finishUnstarted({ jobId: message.jobId, inspect: message.request });
    const { config, baseDir } = message.request ?? {};
    this.queue.push({ jobId: message.jobId, config, baseDir: String(baseDir ?? process.cwd()), inspect: message.request, cancelled: false });
    void this.pump();
  }

  private cancel(jobId: number): void {
    if (this.current?.jobId === jobId) {
      this.current.cancelled = true;
      return;
    }
    const index = this.queue.findIndex((job) => job.jobId === jobId);
    if (index >= 0) this.finishUnstarted(this.queue.splice(index, 1)[0]);
  }

  /** Cancels everything, lets the running job end (it still sends its weights), then exits. */
  private async shutdown(): Promise<void> {
    this.shuttingDown = true;
    for (const job of this.queue.splice(0)) this.finishUnstarted(job);
    if (this.current) this.current.cancelled = true;
    else await exit(this.channel, 0);
  }

  /**
   * A run cancelled before it ran ends as 'cancelled' where it stood: at step 0, or at the
   * checkpoint it was to resume. An inspect job has nothing to keep: it fails as cancelled.
   */
  private finishUnstarted({ jobId, resume, inspect }: { jobId: number; resume?: TrainingCheckpoint; inspect?: InspectRequest }): void {
    if (inspect) return this.channel.send({ type: 'failed', jobId, error: 'cancelled before it ran', step: null });
    this.channel.send({
      type: 'finished',
      jobId,
      status: 'cancelled',
      steps: resume?.step ?? 0,
      trainSeconds: resume?.trainSeconds ?? 0,
      sampleSeconds: 0,
      finalLoss: resume?.loss ?? null,
    });
  }

  private async pump(): Promise<void> {
    if (this.current) return;
    await this.backendReady;
    while (this.queue.length > 0 && !this.current) {
      const job = (this.current = this.queue.shift()!);
      await this.run(job);
      this.current = null;
    }
    if (this.shuttingDown) await exit(this.channel, 0);
  }

  private async run(job: Job): Promise<void> {
    const emit = (event: RunEvent) => this.channel.send({ ...event, jobId: job.jobId } as EngineToHost);
    if (job.inspect) return this.runInspect(job, job.inspect);
    try {
      // Validated here too: the message crossed a process boundary.
      const config = requireExperimentConfig(job.config);
      await runExperiment(config, { baseDir: job.baseDir, isCancelled: () => job.cancelled, emit, resume: job.resume });
    } catch (err) {
      // runExperiment reports its own failures; this catches a bad config (or a bug around it).
      emit({ type: 'failed', error: err instanceof Error ? err.message : String(err), step: null });
    }
  }

  private async runInspect(job: Job, request: InspectRequest): Promise<void> {
    try {
      // Validated here too: the message crossed a process boundary.
      const config = requireExperimentConfig(request.config);
      await runInspection(
        { ...request, config },
        { isCancelled: () => job.cancelled, emit: (event) => this.channel.send({ ...event, jobId: job.jobId }) },
      );
    } catch (err) {
      const error = job.cancelled ? 'cancelled' : err instanceof Error ? err.message : String(err);
      this.channel.send({ type: 'failed', jobId: job.jobId, error, step: null });
    }
  }

  private log(level: 'info' | 'warn' | 'error', message: string): void {
    this.channel.send({ type: 'log', level, message });
  }
}

async function exit(channel: Channel, code: number): Promise<never> {
  await channel.flush();
  process.exit(code);
}

function main(): void {
  const channel = connect();
  const backend = initBackend();
  const engine = new Engine(channel, backend);
  // Listen at once: a 'start' sent before 'ready' waits in the queue rather than being lost.
  channel.onMessage((message) => engine.handle(message));
  channel.onDisconnect(() => process.exit(0));
  backend.then(
    (info) => channel.send({ type: 'ready', backend: info }),
    async (err) => {
      channel.send({ type: 'log', level: 'error', message: `no TensorFlow.js backend: ${err instanceof Error ? err.message : String(err)}` });
      await exit(channel, 1);
    },
  );
  process.on('unhandledRejection', (reason) =>
    channel.send({ type: 'log', level: 'error', message: `unhandled rejection in the engine: ${String(reason)}` }),
  );
}

main();
