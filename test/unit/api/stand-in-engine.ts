/** An engine for the run manager's unit tests: warm (its backend known at once), it replays the messages a test sends. */
import type { EngineHost, JobListener, JobMessage } from '../../../src-main/engine-process/host';

export const STAND_IN_BACKEND = { name: 'cpu', package: '@tensorflow/tfjs', gpu: false, fallbacks: [] };

/**
 * `send` delivers a message to the job started last; `onCancel` is how the engine answers a
 * cancel (by default it does not).
 */
export function standInEngine(onCancel: (jobId: number, send: (message: JobMessage) => void) => void = () => {}): {
  engine: EngineHost;
  send: (message: JobMessage) => void;
} {
  let listener: JobListener | null = null;
  const send = (message: JobMessage) => {
    if (!listener) throw new Error('no job has been started on the stand-in engine');
    listener(message);
  };
  const engine = {
    start: async (_id: number, _config: unknown, _dir: string, l: JobListener) => {
      listener = l;
      return STAND_IN_BACKEND;
    },
    cancel: (jobId: number) => onCancel(jobId, send),
  } as unknown as EngineHost;
  return { engine, send };
}
