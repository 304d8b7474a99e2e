/**
 * The API's handlers: one function per call of ApiCalls, over the store and the run manager.
 * Transports (Electron IPC, HTTP, the CLI) reach these only through `dispatch`, which validates
 * every argument first.
 */
import { ApiError, type ApiHandlers } from '../common/api';
import { parseExperimentConfig } from '../common/config';
import { PRESETS } from '../common/presets';
import type { EngineHost } from '../engine-process/host';
import type { Store } from '../store/store';
import type { RunManager } from './run-manager';

export interface HandlerDeps {
  store: Store;
  runs: RunManager;
  engine: EngineHost;
  /** Folder that relative data paths in configs resolve against. */
  baseDir: string;
}

export function createHandlers({ store, runs, engine, baseDir }: HandlerDeps): ApiHandlers {
  const requireRun = async (runId: number) => {
    const run = await store.getRun(runId);
    if (!run) throw new ApiError('not-found', `run ${runId} does not exist`);
    return run;
  };

  return {
    listPresets: async () => PRESETS,

    validateConfig: async ({ config }) => parseExperimentConfig(config),

    createExperiment: async ({ name, config }) => {
      const parsed = parseExperimentConfig(config);
      if (!parsed.ok)
        throw new ApiError(
          'invalid-config',
          `invalid config: ${parsed.issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`,
          parsed.issues,
        );
      return store.createExperiment(name, parsed.config);
    },

    startRun: async ({ experimentId }) => {
      const experiment = await store.getExperiment(experimentId);
      if (!experiment) throw new ApiError('not-found', `experiment ${experimentId} does not exist`);
      return runs.start(experimentId, baseDir);
    },

    cancelRun: async ({ runId }) => {
      const run = await requireRun(runId);
      if (!runs.isLive(runId)) throw new ApiError('conflict', `run ${runId} is not running (status: ${run.status})`);
      await runs.cancel(runId);
      return run;
    },

    listRuns: async () => store.listRuns(),

    getRun: async ({ runId }) => requireRun(runId),

    getCurves: async ({ runIds, keys, maxPoints }) => {
      for (const runId of runIds) await requireRun(runId);
      const curves = [];
      for (const runId of runIds)
        for (const key of keys) curves.push({ runId, key, points: await store.getCurve(runId, key, maxPoints) });
      return curves;
    },

    getSchedule: async ({ runId }) => {
      await requireRun(runId);
      return store.getSchedule(runId);
    },

    getSamples: async ({ runId }) => {
      await requireRun(runId);
      return store.getSampleSet(runId, 'final');
    },

    getTrainingData: async ({ runId, maxPoints }) => {
      await requireRun(runId);
      const data = await store.getTrainingData(runId);
      if (!data) return { n: 0, dim: 0, points: [] };
      return subsample(data, maxPoints);
    },

    getEngineInfo: async () => ({ backend: engine.backend, running: engine.runningJobs }),
  };
}

/** Every k-th point, so a large training set draws quickly and keeps its spread. */
function subsample(data: { n: number; dim: number; points: number[] }, maxPoints: number) {
  if (data.n <= maxPoints) return data;
  const stride = Math.ceil(data.n / maxPoints);
  const points: number[] = [];
  for (let i = 0; i < data.n; i += stride) points.push(...data.points.slice(i * data.dim, (i + 1) * data.dim));
  return { n: points.length / data.dim, dim: data.dim, points };
}
