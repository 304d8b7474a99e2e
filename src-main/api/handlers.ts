/**
 * The API's handlers: one function per call of ApiCalls, over the store and the run manager.
 * Transports (Electron IPC, HTTP, the CLI) reach these only through `dispatch`, which validates
 * every argument first.
 */
import { ApiError, RESUMABLE_STATUSES, type ApiHandlers } from '../common/api';
import { parseExperimentConfig, type ConfigIssue, type ExperimentConfig } from '../common/config';
import { PRESETS } from '../common/presets';
import type { EngineHost } from '../engine-process/host';
import type { Store } from '../store/store';
import type { EventHub } from './event-hub';
import { exportRunBundle, importRunBundle } from './run-bundle';
import type { RunManager } from './run-manager';

export interface HandlerDeps {
  store: Store;
  runs: RunManager;
  engine: EngineHost;
  /** Where changes that did not come from the run manager (edits, deletes, imports) are announced. */
  events: EventHub;
  /** Folder that relative data paths in configs resolve against. */
  baseDir: string;
}

/** The statuses a run can be resumed from: stopped before it completed. */

const invalidConfig = (issues: ConfigIssue[]): ApiError =>
  new ApiError('invalid-config', `invalid config: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`, issues);

/** Validates a config from a caller; throws ApiError('invalid-config') naming each field at fault. */
function requireConfig(input: unknown): ExperimentConfig {
  const parsed = parseExperimentConfig(input);
  if (!parsed.ok) throw invalidConfig(parsed.issues);
  return parsed.config;
}

export function createHandlers({ store, runs, engine, events, baseDir }: HandlerDeps): ApiHandlers {
  const requireRun = async (runId: number) => {
    const run = await store.getRun(runId);
    if (!run) throw new ApiError('not-found', `run ${runId} does not exist`);
    return run;
  };
  /** A run this process is training (only its owner can stop it). */
  const requireLiveRun = async (runId: number) => {
    const run = await requireRun(runId);
    if (!runs.isLive(runId)) throw new ApiError('conflict', `run ${runId} is not running (status: ${run.status})`);
    return run;
  };

  return {
    listPresets: async () => PRESETS,

    validateConfig: async ({ config }) => parseExperimentConfig(config),

    createExperiment: async ({ name, config }) => store.createExperiment(name, requireConfig(config)),

    startRun: async ({ experimentId }) => {
      const experiment = await store.getExperiment(experimentId);
      if (!experiment) throw new ApiError('not-found', `experiment ${experimentId} does not exist`);
      return runs.start(experimentId, baseDir);
    },

    cancelRun: async ({ runId }) => {
      const run = await requireLiveRun(runId);
      await runs.cancel(runId);
      return run;
    },

    pauseRun: async ({ runId }) => {
      const run = await requireLiveRun(runId);
      await runs.pause(runId);
      return run;
    },

    resumeRun: async ({ runId, overrides }) => {
      const run = await requireRun(runId);
      if (runs.isLive(runId)) throw new ApiError('conflict', `run ${runId} is ${run.status}: it is already training`);
      if (!RESUMABLE_STATUSES.includes(run.status))
        throw new ApiError(
          'conflict',
          run.status === 'completed'
            ? `run ${runId} has completed: there is nothing to resume`
            : `run ${runId} is ${run.status} in another Scorebench process`,
        );
      const config = requireConfig({
        ...run.config,
        train: { ...run.config.train, ...overrides?.train },
        sampler: { ...run.config.sampler, ...overrides?.sampler },
      });
      const checkpoint = await store.getCheckpoint(runId);
      if (checkpoint && config.train.steps < checkpoint.step)
        throw invalidConfig([
          { field: 'train.steps', message: `must be ≥ ${checkpoint.step}, the step the run's checkpoint was taken at` },
        ]);
      return runs.resume(runId, config, checkpoint, baseDir);
    },

    getCheckpointInfo: async ({ runId }) => {
      await requireRun(runId);
      return store.getCheckpointInfo(runId);
    },

    listRuns: async () => store.listRuns(),

    getRun: async ({ runId }) => requireRun(runId),

    getCurves: async ({ runIds, keys, maxPoints, fromStep, toStep }) => {
      for (const runId of runIds) await requireRun(runId);
      const curves = [];
      for (const runId of runIds)
        for (const key of keys)
          curves.push({ runId, key, points: await store.getCurve(runId, key, maxPoints, { fromStep, toStep }) });
      return curves;
    },

    listMetricKeys: async ({ runId }) => {
      await requireRun(runId);
      return store.listMetricKeys(runId);
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

    updateRunMeta: async ({ runId, ...meta }) => {
      await requireRun(runId);
      await store.updateRun(runId, meta);
      const run = await requireRun(runId);
      events.emit('runUpdated', run);
      return run;
    },

    deleteRun: async ({ runId }) => {
      const run = await requireRun(runId);
      // Also when another process (the CLI) runs it: its writes would fail on a deleted row.
      if (runs.isLive(runId) || run.status === 'running' || run.status === 'queued')
        throw new ApiError('conflict', `run ${runId} is ${run.status}: cancel it before deleting it`);
      await store.deleteRun(runId);
      events.emit('runDeleted', { runId });
      return { runId };
    },

    exportRunBundle: async ({ runId }) => exportRunBundle(store, await requireRun(runId)),

    importRunBundle: async ({ bundle }) => {
      const run = await importRunBundle(store, bundle);
      events.emit('runUpdated', run);
      return run;
    },
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
