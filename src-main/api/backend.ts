/**
 * The backend as every host uses it (Electron main, browser-mode server, CLI): the store, the
 * engine process, the run manager, the event hub and the validated handlers, wired once.
 */
import type { ApiCalls, ApiMethod, CallContext } from '../../src-shared/api';
import { dispatch } from '../../src-shared/api';
import { forkNodeEngine, type EngineChannelFactory } from '../engine-process/channel';
import { resolveEngineEntry } from '../platform/paths';
import { EngineHost } from '../engine-process/host';
import { openSqliteStore } from '../store';
import type { Store } from '../store/store';
import { EventHub } from './event-hub';
import { createHandlers } from './handlers';
import { RunManager } from './run-manager';
import { SweepRunner } from './sweep-runner';

export interface BackendOptions {
  dbPath: string;
  /** How to start the engine process; a Node child process unless Electron passes its own. */
  createEngineChannel?: EngineChannelFactory;
  engineEntry?: string;
  /** Where relative data paths in configs resolve (default: the working folder). */
  baseDir?: string;
  /** The folders data files may be read from (default: baseDir alone); see platform/file-scope.ts. */
  dataRoots?: readonly string[];
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
}

export interface Backend {
  store: Store;
  engine: EngineHost;
  runs: RunManager;
  events: EventHub;
  /** Validates the raw arguments and runs the handler; throws ApiError on bad input. */
  call<K extends ApiMethod>(method: K, args: unknown, call?: CallContext): Promise<ApiCalls[K]['result']>;
  /** Ids of runs found 'running' or 'queued' at start and marked interrupted. */
  interruptedAtStart: number[];
  close(): Promise<void>;
}

export async function createBackend(options: BackendOptions): Promise<Backend> {
  const store = await openSqliteStore(options.dbPath);
  // Runs left 'running' by a process that died are interrupted, never running forever; a live
  // process's runs (the app's, while the CLI opens the same file) are left to it. Runs whose owner
  // dies later are found when a call meets them (see handlers.ts).
  const interruptedAtStart = await store.markAbandonedRuns();
  const engine = new EngineHost(
    options.engineEntry ?? resolveEngineEntry(),
    options.createEngineChannel ?? forkNodeEngine,
    options.log,
  );
  const events = new EventHub();
  const runs = new RunManager(store, engine, events);
  const baseDir = options.baseDir ?? process.cwd();
  const files = { baseDir, roots: options.dataRoots ?? [baseDir] };
  const sweeps = new SweepRunner({ store, runs, engine, events }, options.log);
  const handlers = createHandlers({ store, runs, engine, events, files, sweeps });
  return {
    store,
    engine,
    runs,
    events,
    interruptedAtStart,
    call: (method, args, call) => dispatch(handlers, method, args, call),
    close: async () => {
      // A sweep's runs are paused rather than cancelled, so resumeSweep goes on with all of them.
      await sweeps.pauseAll();
      // Cancelled runs keep what they logged: give them a moment to store it and finish.
      const live = engine.runningJobs;
      for (const runId of live) engine.cancel(runId);
      await Promise.race([Promise.all(live.map((id) => runs.whenSettled(id))), new Promise((r) => setTimeout(r, 5000))]);
      await engine.shutdown();
      await runs.drain();
      await store.close();
    },
  };
}
