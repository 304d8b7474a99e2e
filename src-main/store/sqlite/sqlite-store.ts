/**
 * The Store over a migrated SQLite database: rows in, typed objects out. Opening, checking and
 * migrating the file is open.ts's job; this class assumes the schema is current.
 */
import { ApiError } from '../../../src-shared/api';
import type {
  BackendInfo,
  CheckpointInfo,
  CurvePoint,
  ExperimentSummary,
  PointSet,
  RunDetail,
  RunStatus,
  RunSummary,
  SampleMetrics,
  SampleSet,
  SampleSetInfo,
  ScheduleLevel,
  SweepSummary,
  TrajectoryFrame,
} from '../../../src-shared/api';
import type { ExperimentConfig } from '../../../src-shared/config';
import { CHECKPOINT_PREFIX, TRAJECTORY_PREFIX } from '../../../src-shared/labels';
import type { SweepDocument } from '../../../src-shared/sweep';
import type { MetricPoint, NamedTensor, TrainingCheckpoint } from '../../engine/types';
import type { PointsInput, RunFilter, RunPatch, RunRecord, StepRange, Store, SweepCreated, WeightsCheckpoint } from '../store';
import { blobToNumbers, numbersToBlob, packTensors, unpackTensors, type TensorLayout } from './blobs';
import { insertRows } from './bulk-insert';
import type { SqlDatabase, SqlQueries, SqlTransaction, SqlValue } from './database';
import { insertMetrics, queryCurve, queryMetricKeys, truncateMetrics } from './metrics';
import { isOwnerAlive, type OwnerLock } from './owner-lock';

/** The error of runs that were live when the process that owned them died. */
export const ABANDONED_RUN_ERROR = 'the engine stopped before this run finished';

const now = (): string => new Date().toISOString();
const json = (value: unknown): string | null => (value == null ? null : JSON.stringify(value));
const parse = <T>(text: string | null): T | null => (text == null ? null : (JSON.parse(text) as T));

interface ExperimentRow {
  id: number;
  name: string;
  created_at: string;
  config_json: string;
}

interface RunRow {
  id: number;
  experiment_id: number;
  name: string;
  status: RunStatus;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  seed: number;
  backend_json: string | null;
  steps: number;
  total_steps: number;
  train_seconds: number | null;
  sample_seconds: number | null;
  final_loss: number | null;
  metrics_json: string | null;
  error: string | null;
  data_kind: string;
  objective_kind: string;
  schedule_kind: string;
  sampler_kind: string;
  config_json: string;
  tags_json: string;
  notes: string;
  archived: number;
  version: number;
  sweep_id: number | null;
}

interface SweepRow {
  id: number;
  name: string;
  created_at: string;
  document_json: string;
  run_ids: string | null;
}

/** A sweep with its runs' ids, oldest first. */
const SWEEP_SELECT = `
  SELECT s.id, s.name, s.created_at, s.document_json,
    (SELECT json_group_array(r.id) FROM (SELECT id FROM runs WHERE sweep_id = s.id ORDER BY id) AS r) AS run_ids
  FROM sweeps AS s`;

function toSweep(row: SweepRow): SweepSummary {
  return {
    id: row.id,
    name: row.name,
    createdAt: row.created_at,
    document: JSON.parse(row.document_json) as SweepDocument,
    runIds: row.run_ids ? (JSON.parse(row.run_ids) as number[]) : [],
  };
}

async function readSweep(db: SqlQueries, sweepId: number): Promise<SweepSummary | null> {
  const row = await db.get<SweepRow>(`${SWEEP_SELECT} WHERE s.id = ?`, [sweepId]);
  return row ? toSweep(row) : null;
}

// The table's kinds come from the stored config in SQL, so no caller has to know its shape.
const RUN_SUMMARY_COLUMNS = `
  id, experiment_id, name, status, created_at, started_at, finished_at, seed, backend_json, steps,
  total_steps, train_seconds, sample_seconds, final_loss, metrics_json, error, config_json, tags_json,
  notes, archived, version, sweep_id,
  json_extract(config_json, '$.data.kind') AS data_kind,
  json_extract(config_json, '$.objective.kind') AS objective_kind,
  json_extract(config_json, '$.schedule.kind') AS schedule_kind,
  json_extract(config_json, '$.sampler.kind') AS sampler_kind`;

function toExperiment(row: ExperimentRow): ExperimentSummary {
  return { id: row.id, name: row.name, createdAt: row.created_at, config: JSON.parse(row.config_json) as ExperimentConfig };
}

function toRunSummary(row: RunRow): RunSummary {
  return {
    id: row.id,
    experimentId: row.experiment_id,
    name: row.name,
    status: row.status,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    backend: parse<BackendInfo>(row.backend_json),
    seed: row.seed,
    steps: row.steps,
    totalSteps: row.total_steps,
    trainSeconds: row.train_seconds,
    sampleSeconds: row.sample_seconds,
    finalLoss: row.final_loss,
    metrics: parse<SampleMetrics>(row.metrics_json),
    error: row.error,
    dataKind: row.data_kind,
    objectiveKind: row.objective_kind,
    scheduleKind: row.schedule_kind,
    samplerKind: row.sampler_kind,
    config: JSON.parse(row.config_json) as ExperimentConfig,
    tags: JSON.parse(row.tags_json) as string[],
    notes: row.notes,
    archived: row.archived !== 0,
    version: row.version,
    ...(row.sweep_id === null ? {} : { sweepId: row.sweep_id }),
  };
}

/** Each patchable field: its column and how its value is stored. */
const RUN_PATCH_COLUMNS: { [K in keyof RunPatch]-?: (value: Exclude<RunPatch[K], undefined>) => [string, SqlValue] } = {
  status: (v) => ['status', v],
  startedAt: (v) => ['started_at', v],
  finishedAt: (v) => ['finished_at', v],
  backend: (v) => ['backend_json', json(v)],
  steps: (v) => ['steps', v],
  trainSeconds: (v) => ['train_seconds', v],
  sampleSeconds: (v) => ['sample_seconds', v],
  finalLoss: (v) => ['final_loss', v],
  metrics: (v) => ['metrics_json', json(v)],
  error: (v) => ['error', v],
  name: (v) => ['name', v],
  tags: (v) => ['tags_json', JSON.stringify(v)],
  notes: (v) => ['notes', v],
  archived: (v) => ['archived', v ? 1 : 0],
};

function assertShape(what: string, n: number, dim: number, length: number): void {
  if (!Number.isInteger(n) || !Number.isInteger(dim) || n < 0 || dim < 0 || n * dim !== length)
    throw new RangeError(`${what}: ${length} numbers do not make ${n} points of dimension ${dim}`);
}

const notFound = (what: string): ApiError => new ApiError('not-found', `${what} does not exist`);

export class SqliteStore implements Store {
  constructor(
    private readonly db: SqlDatabase,
    /** This process's owner id, held while the store is open: the owner of the runs it creates and resumes. */
    private readonly owner: OwnerLock,
    /** The database file, or null in memory: where the owner locks of other processes are found. */
    private readonly file: string | null,
  ) {}

  async createExperiment(name: string, config: ExperimentConfig): Promise<ExperimentSummary> {
    const createdAt = now();
    const { lastId } = await this.db.run('INSERT INTO experiments (name, created_at, config_json) VALUES (?, ?, ?)', [
      name,
      createdAt,
      JSON.stringify(config),
    ]);
    // Returned through JSON like a later read, so the caller never holds the config object it passed in.
    return { id: lastId, name, createdAt, config: JSON.parse(JSON.stringify(config)) as ExperimentConfig };
  }

  async getExperiment(id: number): Promise<ExperimentSummary | null> {
    const row = await this.db.get<ExperimentRow>('SELECT id, name, created_at, config_json FROM experiments WHERE id = ?', [id]);
    return row ? toExperiment(row) : null;
  }

  createRun(experimentId: number): Promise<RunDetail> {
    // One transaction, so two runs started together cannot both be named "#n".
    return this.db.transaction((tx) => this.insertRun(tx, experimentId, null));
  }

  /** A queued run of the experiment, owned by this store's process, named "<experiment> #n". */
  private async insertRun(tx: SqlTransaction, experimentId: number, sweepId: number | null): Promise<RunDetail> {
    const experiment = await tx.get<ExperimentRow>('SELECT id, name, created_at, config_json FROM experiments WHERE id = ?', [
      experimentId,
    ]);
    if (!experiment) throw notFound(`experiment ${experimentId}`);
    const config = JSON.parse(experiment.config_json) as ExperimentConfig;
    const count = await tx.get<{ n: number }>('SELECT count(*) AS n FROM runs WHERE experiment_id = ?', [experimentId]);
    const { lastId } = await tx.run(
      `INSERT INTO runs (experiment_id, name, status, created_at, config_json, seed, steps, total_steps, owner_id, sweep_id)
       VALUES (?, ?, 'queued', ?, ?, ?, 0, ?, ?, ?)`,
      [
        experimentId,
        `${experiment.name} #${(count?.n ?? 0) + 1}`,
        now(),
        experiment.config_json,
        config.seed,
        config.train.steps,
        this.owner.id,
        sweepId,
      ],
    );
    const run = await readRun(tx, lastId);
    if (!run) throw new Error(`run ${lastId} vanished while being created`);
    return run;
  }

  createSweep(name: string, document: SweepDocument, runs: readonly { name: string; config: ExperimentConfig }[]): Promise<SweepCreated> {
    // All of it or nothing: a sweep is never left with some of its runs.
    return this.db.transaction(async (tx) => {
      const createdAt = now();
      const { lastId: sweepId } = await tx.run('INSERT INTO sweeps (name, created_at, document_json) VALUES (?, ?, ?)', [
        name,
        createdAt,
        JSON.stringify(document),
      ]);
      const created: RunDetail[] = [];
      for (const run of runs) {
        const { lastId: experimentId } = await tx.run('INSERT INTO experiments (name, created_at, config_json) VALUES (?, ?, ?)', [
          run.name,
          createdAt,
          JSON.stringify(run.config),
        ]);
        created.push(await this.insertRun(tx, experimentId, sweepId));
      }
      const sweep = await readSweep(tx, sweepId);
      if (!sweep) throw new Error(`sweep ${sweepId} vanished while being created`);
      return { sweep, runs: created };
    });
  }

  getSweep(sweepId: number): Promise<SweepSummary | null> {
    return readSweep(this.db, sweepId);
  }

  async listSweeps(): Promise<SweepSummary[]> {
    const rows = await this.db.all<SweepRow>(`${SWEEP_SELECT} ORDER BY s.id DESC`);
    return rows.map(toSweep);
  }

  async updateRun(runId: number, patch: RunPatch): Promise<void> {
    const sets: string[] = [];
    const params: SqlValue[] = [];
    for (const [field, value] of Object.entries(patch)) {
      // An explicit undefined means "leave as is", like an absent field; null clears.
      if (value === undefined) continue;
      const column = RUN_PATCH_COLUMNS[field as keyof RunPatch] as ((v: unknown) => [string, SqlValue]) | undefined;
      if (!column) throw new TypeError(`updateRun: unknown field ${field}`);
      const [name, stored] = column(value);
      sets.push(`${name} = ?`);
      params.push(stored);
    }
    // Every change of a run bumps its version, so a reader can tell the newer of two copies.
    const { changes } = sets.length
      ? await this.db.run(`UPDATE runs SET ${sets.join(', ')}, version = version + 1 WHERE id = ?`, [...params, runId])
      : { changes: (await this.db.get('SELECT 1 FROM runs WHERE id = ?', [runId])) ? 1 : 0 };
    if (changes === 0) throw notFound(`run ${runId}`);
  }

  getRun(runId: number): Promise<RunDetail | null> {
    return readRun(this.db, runId);
  }

  async listRuns(filter: RunFilter = {}): Promise<RunSummary[]> {
    // By id rather than created_at: ids never tie, timestamps within a millisecond can.
    const rows =
      filter.sweepId === undefined
        ? await this.db.all<RunRow>(`SELECT ${RUN_SUMMARY_COLUMNS} FROM runs ORDER BY id DESC`)
        : await this.db.all<RunRow>(`SELECT ${RUN_SUMMARY_COLUMNS} FROM runs WHERE sweep_id = ? ORDER BY id DESC`, [filter.sweepId]);
    return rows.map(toRunSummary);
  }

  deleteRun(runId: number): Promise<boolean> {
    // Every table that holds a run's rows references runs ON DELETE CASCADE (foreign_keys is on).
    return this.db.transaction(async (tx) => {
      const run = await tx.get<{ experiment_id: number }>('SELECT experiment_id FROM runs WHERE id = ?', [runId]);
      if (!run) return false;
      await tx.run('DELETE FROM runs WHERE id = ?', [runId]);
      await tx.run('DELETE FROM experiments WHERE id = ? AND NOT EXISTS (SELECT 1 FROM runs WHERE experiment_id = ?)', [
        run.experiment_id,
        run.experiment_id,
      ]);
      return true;
    });
  }

  importRun(record: RunRecord): Promise<RunDetail> {
    return this.db.transaction(async (tx) => {
      const { experiment, run } = record;
      const configJson = JSON.stringify(experiment.config);
      const { lastId: experimentId } = await tx.run('INSERT INTO experiments (name, created_at, config_json) VALUES (?, ?, ?)', [
        experiment.name,
        now(),
        configJson,
      ]);
      const { lastId: runId } = await tx.run(
        `INSERT INTO runs (experiment_id, name, status, created_at, started_at, finished_at, config_json, seed, backend_json,
           steps, total_steps, train_seconds, sample_seconds, final_loss, metrics_json, error, tags_json, notes, archived)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)`,
        [
          experimentId,
          run.name,
          run.status,
          run.createdAt,
          run.startedAt,
          run.finishedAt,
          configJson,
          run.seed,
          json(run.backend),
          run.steps,
          run.totalSteps,
          run.trainSeconds,
          run.sampleSeconds,
          run.finalLoss,
          json(run.metrics),
          run.error,
          JSON.stringify(run.tags),
          run.notes,
        ],
      );
      for (const curve of record.curves)
        await insertMetrics(
          tx,
          runId,
          curve.points.map((p) => ({ key: curve.key, step: p.step, time: p.time, value: p.value })),
        );
      await writeSchedule(tx, runId, record.schedule);
      if (record.trainingData) await writeTrainingData(tx, runId, record.trainingData);
      for (const set of record.sampleSets) await writeSampleSet(tx, { ...set, runId });
      for (const checkpoint of record.weights) await writeWeights(tx, runId, checkpoint.step, checkpoint.tensors);
      const created = await readRun(tx, runId);
      if (!created) throw new Error(`run ${runId} vanished while being imported`);
      return created;
    });
  }

  async markAbandonedRuns(): Promise<number[]> {
    // This store's own runs are alive by definition; every other owner is asked once.
    const active = await this.db.all<{ id: number; owner_id: string | null }>(
      `SELECT id, owner_id FROM runs WHERE status IN ('running', 'queued') AND owner_id IS NOT ? ORDER BY id`,
      [this.owner.id],
    );
    const owners = new Map<string, boolean>();
    const abandoned: { id: number; owner_id: string | null }[] = [];
    for (const run of active) {
      if (run.owner_id !== null && !owners.has(run.owner_id)) owners.set(run.owner_id, await isOwnerAlive(this.file, run.owner_id));
      if (run.owner_id === null || !owners.get(run.owner_id)) abandoned.push(run);
    }
    if (abandoned.length === 0) return [];
    // The owner is matched again in the update: a run another process resumed (and so took over)
    // since it was read keeps its new owner and status.
    return this.db.transaction(async (tx) => {
      const marked: number[] = [];
      for (const run of abandoned) {
        const { changes } = await tx.run(
          `UPDATE runs SET status = 'interrupted', error = ?, finished_at = ?, version = version + 1
           WHERE id = ? AND owner_id IS ? AND status IN ('running', 'queued')`,
          [ABANDONED_RUN_ERROR, now(), run.id, run.owner_id],
        );
        if (changes > 0) marked.push(run.id);
      }
      return marked;
    });
  }

  async appendMetrics(runId: number, points: MetricPoint[]): Promise<void> {
    if (points.length === 0) return;
    await this.db.transaction((tx) => insertMetrics(tx, runId, points));
  }

  getCurve(runId: number, key: string, maxPoints: number, range?: StepRange): Promise<CurvePoint[]> {
    return queryCurve(this.db, runId, key, maxPoints, range);
  }

  listMetricKeys(runId: number): Promise<string[]> {
    return queryMetricKeys(this.db, runId);
  }

  async saveSchedule(runId: number, levels: ScheduleLevel[]): Promise<void> {
    await this.db.transaction((tx) => writeSchedule(tx, runId, levels));
  }

  getSchedule(runId: number): Promise<ScheduleLevel[]> {
    return this.db.all<ScheduleLevel>('SELECT level, sigma, alpha, weight FROM schedule WHERE run_id = ? ORDER BY level', [runId]);
  }

  saveTrainingData(runId: number, data: PointsInput<PointSet>): Promise<void> {
    return writeTrainingData(this.db, runId, data);
  }

  async getTrainingData(runId: number): Promise<PointSet | null> {
    const row = await this.db.get<{ n: number; dim: number; points: Buffer }>(
      'SELECT n, dim, points FROM training_data WHERE run_id = ?',
      [runId],
    );
    return row ? { n: row.n, dim: row.dim, points: blobToNumbers(row.points) } : null;
  }

  saveSampleSet(set: PointsInput<SampleSet>): Promise<void> {
    return writeSampleSet(this.db, set);
  }

  async getSampleSet(runId: number, label: string): Promise<SampleSet | null> {
    const row = await this.db.get<SampleSetRow>(
      'SELECT label, n, dim, points, metrics_json, frame_json FROM sample_sets WHERE run_id = ? AND label = ? ORDER BY id DESC LIMIT 1',
      [runId, label],
    );
    return row ? toSampleSet(runId, row) : null;
  }

  async listSampleSets(runId: number): Promise<SampleSet[]> {
    const rows = await this.db.all<SampleSetRow>(
      'SELECT label, n, dim, points, metrics_json, frame_json FROM sample_sets WHERE run_id = ? ORDER BY id',
      [runId],
    );
    return rows.map((row) => toSampleSet(runId, row));
  }

  async listSampleSetInfos(runId: number): Promise<SampleSetInfo[]> {
    // The newest row per label (a resumed or re-sampled run may have written a label again).
    const rows = await this.db.all<Omit<SampleSetRow, 'points'> & { created_at: string }>(
      `SELECT label, n, dim, metrics_json, frame_json, created_at FROM sample_sets
       WHERE id IN (SELECT max(id) FROM sample_sets WHERE run_id = ? GROUP BY label)
       ORDER BY id`,
      [runId],
    );
    return rows.map((row) => ({ ...sampleSetFields(runId, row), createdAt: row.created_at }));
  }

  saveWeights(runId: number, step: number, tensors: NamedTensor[]): Promise<void> {
    return writeWeights(this.db, runId, step, tensors);
  }

  async getWeights(runId: number, step?: number): Promise<WeightsCheckpoint | null> {
    const row =
      step === undefined
        ? await this.db.get<WeightsRow>('SELECT step, tensors_json, data FROM weights WHERE run_id = ? ORDER BY step DESC LIMIT 1', [runId])
        : await this.db.get<WeightsRow>('SELECT step, tensors_json, data FROM weights WHERE run_id = ? AND step = ?', [runId, step]);
    return row ? toWeights(row) : null;
  }

  async listWeightSteps(runId: number): Promise<number[]> {
    const rows = await this.db.all<{ step: number }>('SELECT step FROM weights WHERE run_id = ? ORDER BY step', [runId]);
    return rows.map((r) => r.step);
  }

  async listWeights(runId: number): Promise<WeightsCheckpoint[]> {
    const rows = await this.db.all<WeightsRow>('SELECT step, tensors_json, data FROM weights WHERE run_id = ? ORDER BY step', [runId]);
    return rows.map(toWeights);
  }

  async saveCheckpoint(runId: number, checkpoint: TrainingCheckpoint): Promise<void> {
    const weights = packTensors(checkpoint.weights);
    const optimizer = packTensors(checkpoint.optimizer);
    await this.db.run(
      `INSERT OR REPLACE INTO checkpoints
         (run_id, step, train_seconds, loss, rng_json, weights_json, weights, optimizer_json, optimizer, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        runId,
        checkpoint.step,
        checkpoint.trainSeconds,
        checkpoint.loss,
        JSON.stringify(checkpoint.rng),
        JSON.stringify(weights.layout),
        weights.blob,
        JSON.stringify(optimizer.layout),
        optimizer.blob,
        now(),
      ],
    );
  }

  async getCheckpoint(runId: number): Promise<TrainingCheckpoint | null> {
    const row = await this.db.get<CheckpointRow>(
      `SELECT step, train_seconds, loss, rng_json, weights_json, weights, optimizer_json, optimizer
       FROM checkpoints WHERE run_id = ?`,
      [runId],
    );
    if (!row) return null;
    return {
      step: row.step,
      trainSeconds: row.train_seconds,
      loss: row.loss,
      weights: unpackTensors(JSON.parse(row.weights_json) as TensorLayout[], row.weights),
      optimizer: unpackTensors(JSON.parse(row.optimizer_json) as TensorLayout[], row.optimizer),
      rng: JSON.parse(row.rng_json) as TrainingCheckpoint['rng'],
    };
  }

  async getCheckpointInfo(runId: number): Promise<CheckpointInfo | null> {
    const row = await this.db.get<{ step: number; train_seconds: number; loss: number | null }>(
      'SELECT step, train_seconds, loss FROM checkpoints WHERE run_id = ?',
      [runId],
    );
    return row ? { step: row.step, trainSeconds: row.train_seconds, loss: row.loss } : null;
  }

  prepareResume(runId: number, resume: { config: ExperimentConfig; fromStep: number }): Promise<void> {
    return this.db.transaction(async (tx) => {
      await truncateMetrics(tx, runId, resume.fromStep);
      // Weights kept after the checkpoint, and samples drawn with them or by the stopped sampler,
      // belong to the attempt being replaced: the resumed run writes its own.
      await tx.run('DELETE FROM weights WHERE run_id = ? AND step > ?', [runId, resume.fromStep]);
      await tx.run(
        `DELETE FROM sample_sets WHERE run_id = ? AND (label LIKE ? || '%'
           OR (label LIKE ? || '%' AND CAST(substr(label, ?) AS INTEGER) > ?))`,
        // The prefixes hold no LIKE wildcard ('%', '_'); substr counts from 1, so the step starts one past the prefix.
        [runId, TRAJECTORY_PREFIX, CHECKPOINT_PREFIX, CHECKPOINT_PREFIX.length + 1, resume.fromStep],
      );
      const { changes } = await tx.run(
        `UPDATE runs SET status = 'queued', config_json = ?, total_steps = ?, steps = ?, owner_id = ?,
           finished_at = NULL, error = NULL, train_seconds = NULL, sample_seconds = NULL, metrics_json = NULL,
           version = version + 1
         WHERE id = ?`,
        [JSON.stringify(resume.config), resume.config.train.steps, resume.fromStep, this.owner.id, runId],
      );
      if (changes === 0) throw notFound(`run ${runId}`);
    });
  }

  async close(): Promise<void> {
    await this.db.close();
    await this.owner.release();
  }
}

interface CheckpointRow {
  step: number;
  train_seconds: number;
  loss: number | null;
  rng_json: string;
  weights_json: string;
  weights: Buffer;
  optimizer_json: string;
  optimizer: Buffer;
}

async function readRun(db: SqlQueries, runId: number): Promise<RunDetail | null> {
  const row = await db.get<RunRow>(`SELECT ${RUN_SUMMARY_COLUMNS} FROM runs WHERE id = ?`, [runId]);
  return row ? toRunSummary(row) : null;
}

// The writers of a run's records, shared by the per-record methods and importRun (which writes
// them all inside one transaction).

async function writeSchedule(tx: SqlTransaction, runId: number, levels: readonly ScheduleLevel[]): Promise<void> {
  // Replaces the whole schedule: a shorter one must not leave the old tail behind.
  await tx.run('DELETE FROM schedule WHERE run_id = ?', [runId]);
  await insertRows(tx, 'INSERT INTO schedule (run_id, level, sigma, alpha, weight)', 5, levels.length, (i, out, at) => {
    const l = levels[i];
    out[at] = runId;
    out[at + 1] = l.level;
    out[at + 2] = l.sigma;
    out[at + 3] = l.alpha;
    out[at + 4] = l.weight;
  });
}

async function writeTrainingData(db: SqlQueries, runId: number, data: PointsInput<PointSet>): Promise<void> {
  assertShape(`training data of run ${runId}`, data.n, data.dim, data.points.length);
  await db.run('INSERT OR REPLACE INTO training_data (run_id, n, dim, points) VALUES (?, ?, ?, ?)', [
    runId,
    data.n,
    data.dim,
    numbersToBlob(data.points),
  ]);
}

async function writeSampleSet(db: SqlQueries, set: PointsInput<SampleSet>): Promise<void> {
  assertShape(`sample set ${set.label} of run ${set.runId}`, set.n, set.dim, set.points.length);
  await db.run(
    `INSERT INTO sample_sets (run_id, label, n, dim, points, metrics_json, frame_json, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    [set.runId, set.label, set.n, set.dim, numbersToBlob(set.points), JSON.stringify(set.metrics), json(set.frame), now()],
  );
}

async function writeWeights(db: SqlQueries, runId: number, step: number, tensors: readonly NamedTensor[]): Promise<void> {
  const { layout, blob } = packTensors(tensors);
  await db.run('INSERT OR REPLACE INTO weights (run_id, step, tensors_json, data) VALUES (?, ?, ?, ?)', [
    runId,
    step,
    JSON.stringify(layout),
    blob,
  ]);
}

interface SampleSetRow {
  label: string;
  n: number;
  dim: number;
  points: Buffer;
  metrics_json: string;
  frame_json: string | null;
}

/** A set's fields but its points; `frame` only on frames, as the API type has it. */
function sampleSetFields(runId: number, row: Omit<SampleSetRow, 'points'>): Omit<SampleSet, 'points'> {
  const frame = parse<TrajectoryFrame>(row.frame_json);
  return {
    runId,
    label: row.label,
    ...(frame ? { frame } : {}),
    n: row.n,
    dim: row.dim,
    metrics: JSON.parse(row.metrics_json) as SampleMetrics,
  };
}

const toSampleSet = (runId: number, row: SampleSetRow): SampleSet => ({ ...sampleSetFields(runId, row), points: blobToNumbers(row.points) });

interface WeightsRow {
  step: number;
  tensors_json: string;
  data: Buffer;
}

const toWeights = (row: WeightsRow): WeightsCheckpoint => ({
  step: row.step,
  tensors: unpackTensors(JSON.parse(row.tensors_json) as TensorLayout[], row.data),
});
