/**
 * The engine process entry: owns TensorFlow.js and runs jobs one at a time. It runs as an Electron
 * utilityProcess (messages through `process.parentPort`) or as a Node child process forked with
 * structured-clone serialization (messages through `process.send`); it never imports electron.
 */
import { initBackend } from '../engine/backend';
import { runExperiment } from '../engine/run-experiment';
import type { EngineToHost, HostToEngine } from './protocol';

interface ParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;

function send(message: EngineToHost): void {
  if (parentPort) parentPort.postMessage(message);
  else process.send?.(message);
}

function onMessage(listener: (message: HostToEngine) => void): void {
  if (parentPort) parentPort.on('message', (event) => listener(event.data as HostToEngine));
  else process.on('message', (message) => listener(message as HostToEngine));
}

type StartJob = Extract<HostToEngine, { type: 'start' }>;

const queue: StartJob[] = [];
const cancelled = new Set<number>();
let busy = false;

async function drainQueue(): Promise<void> {
  if (busy) return;
  busy = true;
  try {
    for (let job = queue.shift(); job; job = queue.shift()) {
      const { jobId, config, baseDir } = job;
      await runExperiment(config, {
        baseDir,
        isCancelled: () => cancelled.has(jobId),
        emit: (event) => send({ ...event, jobId } as EngineToHost),
      });
      cancelled.delete(jobId);
    }
  } finally {
    busy = false;
  }
}

async function main(): Promise<void> {
  const backend = await initBackend();
  onMessage((message) => {
    switch (message.type) {
      case 'start':
        queue.push(message);
        void drainQueue();
        return;
      case 'cancel': {
        // A queued job that never started finishes at once as cancelled.
        const index = queue.findIndex((j) => j.jobId === message.jobId);
        if (index >= 0) {
          queue.splice(index, 1);
          send({ type: 'finished', jobId: message.jobId, status: 'cancelled', steps: 0, trainSeconds: 0, sampleSeconds: 0, finalLoss: null });
        } else cancelled.add(message.jobId);
        return;
      }
      case 'shutdown':
        process.exit(0);
    }
  });
  send({ type: 'ready', backend });
}

// The engine lives only as long as its host: a Node child exits when the IPC channel closes.
if (!parentPort) process.on('disconnect', () => process.exit(0));

main().catch((err: Error) => {
  send({ type: 'log', level: 'error', message: `engine failed to start: ${err.stack ?? err.message}` });
  process.exit(1);
});
