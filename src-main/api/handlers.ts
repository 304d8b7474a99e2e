/**
 * The API's handlers: one function per call of ApiCalls, over the store and the run manager.
 * Transports (Electron IPC, HTTP, the CLI) reach these only through `dispatch`, which validates
 * every argument first.
 */
import { ACTIVE_STATUSES, ApiError, MAX_CURVE_REPLY_POINTS, RESUMABLE_STATUSES, type ApiHandlers, type Curve, type RunSummary } from '../../src-shared/api';
import { parseExperimentConfig, type ConfigIssue, type ConfigResult, type ExperimentConfig } from '../../src-shared/config';
import { formatIssues } from '../../src-shared/issues';
import { sampleSetLabel } from '../../src-shared/labels';
import { PRESETS } from '../../src-shared/presets';
import type { EngineHost } from '../engine-process/host';
import { resolveInScope, type FileScope } from '../platform/file-scope';
import type { Store } from '../store/store';
import type { EventHub } from './event-hub';
import { InspectJobs } from './inspect-jobs';
import { exportRunBundle, importRunBundle } from './run-bundle';
import type { RunManager } from './run-manager';
import { defaultSweepConcurrency, type SweepRunner } from './sweep-runner';
import { expandSweep } from '../../src-shared/sweep';

export interface HandlerDeps {
  store: Store;
  runs: RunManager;
  engine: EngineHost;
  /** Where changes that did not come from the run manager (edits, deletes, imports) are announced. */
  events: EventHub;
  /** Where data files named in configs are resolved, and the folders they may be read from. */
  files: FileScope;
  /** The sweeps this process runs. */
  sweeps: SweepRunner;
}

/** Chains sampled at a checkpoint unless the caller says: enough to see the shape, quick to draw (2-D), or a page of images. */
const CHECKPOINT_N_2D = 500;
const CHECKPOINT_N_LARGE = 64;

/** The one answer for a run that another live process queued or trains: only its owner can stop it. */
const ownedElsewhere = (run: RunSummary): ApiError =>
  new ApiError('conflict', `run ${run.id} is ${run.status} in another Scorebench process: cancel or pause it there, or wait for it to end`);

const invalidConfig = (issues: ConfigIssue[]): ApiError =>
  new ApiError('invalid-config', `invalid config: ${formatIssues(issues)}`, issues);

/** Validates a config from a caller, and that the data file it names (if any) lies in the folders data may be read from. */
function checkConfig(input: unknown, files: FileScope): ConfigResult {
  const parsed = parseExperimentConfig(input);
  if (!parsed.ok || parsed.config.data.kind !== 'csv') return parsed;
  const where = resolveInScope(parsed.config.data.path, files);
  return 'error' in where ? { ok: false, issues: [{ field: 'data.path', message: where.error }] } : parsed;
}

/** checkConfig for callers that go on only with a valid config: throws ApiError('invalid-config') naming each field at fault. */
function requireConfig(input: unknown, files: FileScope): ExperimentConfig {
  const checked = checkConfig(input, files);
  if (!checked.ok) throw invalidConfig(checked.issues);
  return checked.config;
}

export function createHandlers({ store, runs, engine, events, files, sweeps }: HandlerDeps): ApiHandlers {
  const requireRun = async (runId: number) => {
    const run = await store.getRun(runId);
    if (!run) throw new ApiError('not-found', `run ${runId} does not exist`);
    return run;
  };
  /**
   * Marks the runs whose owning process is gone as interrupted, and announces them. Called when a
   * call meets a run that another process holds, since that process may have died after this one
   * started (as a killed CLI does while the app runs on).
   */
  const reapAbandoned = async () => {
    for (const runId of await store.markAbandonedRuns()) {
      const run = await store.getRun(runId);
      if (run) events.emit('runUpdated', run);
    }
  };
  /** A live run, or a sweep's run waiting here for a slot, is this process's. */
  const heldElsewhere = (run: RunSummary) => ACTIVE_STATUSES.includes(run.status) && !runs.isLive(run.id) && !sweeps.holds(run.id);
  /** requireRun, with the run's status made true first if another process held it. */
  const requireCurrentRun = async (runId: number) => {
    const run = await requireRun(runId);
    if (!heldElsewhere(run)) return run;
    await reapAbandoned();
    return requireRun(runId);
  };
  /** A run this process is training (only its owner can stop it). */
  const requireLiveRun = async (runId: number) => {
    const run = await requireCurrentRun(runId);
    if (heldElsewhere(run)) throw ownedElsewhere(run);
    if (!runs.isLive(runId)) throw new ApiError('conflict', `run ${runId} is not running (status: ${run.status})`);
    return run;
  };

  const inspect = new InspectJobs(store, engine, events, files.baseDir);
  const requireSweep = async (sweepId: number) => {
    const sweep = await store.getSweep(sweepId);
    if (!sweep) throw new ApiError('not-found', `sweep ${sweepId} does not exist`);
    return sweep;
  };
  /** The sweep's runs in the order of its configs, their statuses made true first if another process held one. */
  const sweepRuns = async (sweepId: number) => {
    let list = await store.listRuns({ sweepId });
    if (list.some(heldElsewhere)) {
      await reapAbandoned();
      list = await store.listRuns({ sweepId });
    }
    return list.reverse();
  };
  /** A run whose model an engine job may load: its data file (if any) must still lie in the folders allowed. */
  const requireInspectable = async (runId: number) => {
    const run = await requireRun(runId);
    requireConfig(run.config, files);
    return run;
  };
  const requireWeightsAt = async (runId: number, step: number) => {
    const steps = await store.listWeightSteps(runId);
    if (!steps.includes(step))
      throw new ApiError(
        'not-found',
        `step: run ${runId} has no weights kept at step ${step} (kept: ${steps.length ? steps.join(', ') : 'none'})`,
      );
  };

  return {
    listPresets: async () => PRESETS,

    validateConfig: async ({ config }) => checkConfig(config, files),

    createExperiment: async ({ name, config }) => store.createExperiment(name, requireConfig(config, files)),

    startRun: async ({ experimentId }) => {
      const experiment = await store.getExperiment(experimentId);
      if (!experiment) throw new ApiError('not-found', `experiment ${experimentId} does not exist`);
      // The folders allowed may have changed since the experiment was created (another launch).
      requireConfig(experiment.config, files);
      return runs.start(experimentId, files.baseDir);
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
      const run = await requireCurrentRun(runId);
      if (runs.isLive(runId)) throw new ApiError('conflict', `run ${runId} is ${run.status}: it is already training`);
      if (heldElsewhere(run)) throw ownedElsewhere(run);
      if (!RESUMABLE_STATUSES.includes(run.status))
        throw new ApiError('conflict', `run ${runId} has completed: there is nothing to resume`);
      const config = requireConfig(
        {
          ...run.config,
          train: { ...run.config.train, ...overrides?.train },
          sampler: { ...run.config.sampler, ...overrides?.sampler },
        },
        files,
      );
      const checkpoint = await store.getCheckpoint(runId);
      if (checkpoint && config.train.steps < checkpoint.step)
        throw invalidConfig([
          { field: 'train.steps', message: `must be ≥ ${checkpoint.step}, the step the run's checkpoint was taken at` },
        ]);
      return runs.resume(runId, config, checkpoint, files.baseDir);
    },

    getCheckpointInfo: async ({ runId }) => {
      await requireRun(runId);
      return store.getCheckpointInfo(runId);
    },

    listRuns: async ({ sweepId }) => {
      const filter = sweepId === undefined ? {} : { sweepId };
      const list = await store.listRuns(filter);
      if (!list.some(heldElsewhere)) return list;
      await reapAbandoned();
      return store.listRuns(filter);
    },

    createSweep: async ({ document, name, concurrency }) => {
      const expanded = expandSweep(document);
      if (!expanded.ok)
        throw invalidConfig(expanded.issues.map((i) => ({ field: i.where, message: i.field ? `${i.field}: ${i.message}` : i.message })));
      const { sweep: spec } = expanded;
      // Every run's data file must lie in the folders data may be read from, before anything is stored.
      const configs = spec.configs.map((config) => requireConfig(config, files));
      const created = await store.createSweep(name ?? spec.document.name, spec.document, configs.map((config, i) => ({ name: spec.names[i], config })));
      for (const run of created.runs) events.emit('runUpdated', run);
      sweeps.run(created.sweep.id, created.sweep.runIds, concurrency ?? defaultSweepConcurrency(), files.baseDir);
      return created;
    },

    listSweeps: async () => store.listSweeps(),

    getSweep: async ({ sweepId }) => requireSweep(sweepId),

    cancelSweep: async ({ sweepId }) => {
      await requireSweep(sweepId);
      await sweeps.stop(sweepId, 'cancelled');
      return sweepRuns(sweepId);
    },

    pauseSweep: async ({ sweepId }) => {
      await requireSweep(sweepId);
      await sweeps.stop(sweepId, 'paused');
      return sweepRuns(sweepId);
    },

    resumeSweep: async ({ sweepId, concurrency }) => {
      await requireSweep(sweepId);
      const list = await sweepRuns(sweepId);
      const owned = list.filter(heldElsewhere);
      if (owned.length > 0) throw ownedElsewhere(owned[0]);
      // Paused and interrupted runs go on; cancelled and failed ones were ended on purpose or by an error (resumeRun takes them one by one).
      const stopped = list.filter((r) => (r.status === 'paused' || r.status === 'interrupted') && !runs.isLive(r.id));
      await sweeps.resume(sweepId, stopped, concurrency ?? defaultSweepConcurrency(), files.baseDir);
      return sweepRuns(sweepId);
    },

    getRun: async ({ runId }) => requireCurrentRun(runId),

    getCurves: async ({ runIds, keys, maxPoints, fromStep, toStep }, { signal }) => {
      for (const runId of runIds) await requireRun(runId);
      const curves: Curve[] = [];
      let points = 0;
      for (const runId of runIds)
        for (const key of keys) {
          // A caller that has gone reads no reply: the queries left would only load the store.
          signal?.throwIfAborted();
          const curve = { runId, key, points: await store.getCurve(runId, key, maxPoints, { fromStep, toStep }) };
          points += curve.points.length;
          if (points > MAX_CURVE_REPLY_POINTS)
            throw new ApiError(
              'invalid-argument',
              `getCurves: the reply would hold more than ${MAX_CURVE_REPLY_POINTS} points (${runIds.length} runs × ${keys.length} keys, up to ${maxPoints} points each); ask for fewer runIds or keys, or a lower maxPoints`,
            );
          curves.push(curve);
        }
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
      return store.getSampleSet(runId, sampleSetLabel.final);
    },

    getTrainingData: async ({ runId, maxPoints }) => {
      await requireRun(runId);
      const data = await store.getTrainingData(runId);
      if (!data) return { n: 0, dim: 0, points: [] };
      return subsample(data, maxPoints);
    },

    // Runs only: on-demand jobs (negative ids) are no run's.
    getEngineInfo: async () => ({ backend: engine.backend, running: engine.runningJobs.filter((id) => id > 0) }),

    listSampleSets: async ({ runId }) => {
      await requireRun(runId);
      return store.listSampleSetInfos(runId);
    },

    getSampleSet: async ({ runId, label }) => {
      await requireRun(runId);
      return store.getSampleSet(runId, label);
    },

    listCheckpointSteps: async ({ runId }) => {
      await requireRun(runId);
      return store.listWeightSteps(runId);
    },

    sampleCheckpoint: async ({ runId, step, n }) => {
      const run = await requireInspectable(runId);
      await requireWeightsAt(runId, step);
      const dim = (await store.getTrainingData(runId))?.dim ?? 2;
      return inspect.sampleAt(run, step, n ?? Math.min(run.config.sampler.n, dim > 16 ? CHECKPOINT_N_LARGE : CHECKPOINT_N_2D));
    },

    getScoreField: async ({ runId, step, level, grid }) => {
      const run = await requireInspectable(runId);
      const at = step ?? (await store.listWeightSteps(runId)).at(-1);
      if (at === undefined) throw new ApiError('not-found', `run ${runId} has no weights kept yet`);
      if (step !== undefined) await requireWeightsAt(runId, step);
      const dim = (await store.getTrainingData(runId))?.dim;
      if (dim !== undefined && dim !== 2)
        throw new ApiError('invalid-argument', `getScoreField: runId: the score field is drawn for 2-D data; run ${runId}'s data have dimension ${dim}`, [
          { field: 'runId', message: `the score field is drawn for 2-D data; this run's data have dimension ${dim}` },
        ]);
      const levels = (await store.getSchedule(runId)).length;
      if (levels > 0 && level >= levels)
        throw new ApiError('invalid-argument', `getScoreField: level: must be below ${levels}, run ${runId}'s number of noise levels`, [
          { field: 'level', message: `must be below ${levels}` },
        ]);
      return inspect.scoreField(run, at, level, grid);
    },

    updateRunMeta: async ({ runId, ...meta }) => {
      await requireRun(runId);
      await store.updateRun(runId, meta);
      const run = await requireRun(runId);
      events.emit('runUpdated', run);
      return run;
    },

    deleteRun: async ({ runId }) => {
      const run = await requireCurrentRun(runId);
      // Also when another process (the CLI) runs it: its writes would fail on a deleted row.
      if (heldElsewhere(run)) throw ownedElsewhere(run);
      if (runs.isLive(runId)) throw new ApiError('conflict', `run ${runId} is ${run.status}: cancel it before deleting it`);
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
