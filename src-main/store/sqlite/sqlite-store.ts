/**
 * The Store over a migrated SQLite database: rows in, typed objects out. Opening, checking and
 * migrating the file is open.ts's job; this class assumes the schema is current.
 */
import { ApiError } from '../../common/api';
import type {
  BackendInfo,
  CurvePoint,
  ExperimentSummary,
  PointSet,
  RunDetail,
  RunStatus,
  RunSummary,
  SampleMetrics,
  SampleSet,
  ScheduleLevel,
} from '../../common/api';
import type { ExperimentConfig } from '../../common/config';
import type { MetricPoint, NamedTensor, RunPatch, Store } from '../store';
import { blobToNumbers, numbersToBlob, packTensors, unpackTensors, type TensorLayout } from './blobs';
import { insertRows } from './bulk-insert';
import type { SqlDatabase, SqlQueries, SqlValue } from './database';
import { insertMetrics, queryCurve, queryMetricKeys } from './metrics';

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
}

// The table's kinds come from the stored config in SQL, so listing runs parses no config JSON.
const RUN_SUMMARY_COLUMNS = `
  id, experiment_id, name, status, created_at, started_at, finished_at, seed, backend_json, steps,
  total_steps, train_seconds, sample_seconds, final_loss, metrics_json, error,
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
};

function assertShape(what: string, n: number, dim: number, length: number): void {
  if (!Number.isInteger(n) || !Number.isInteger(dim) || n < 0 || dim < 0 || n * dim !== length)
    throw new RangeError(`${what}: ${length} numbers do not make ${n} points of dimension ${dim}`);
}

const notFound = (what: string): ApiError => new ApiError('not-found', `${what} does not exist`);

export class SqliteStore implements Store {
  constructor(private readonly db: SqlDatabase) {}

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
    return this.db.transaction(async (tx) => {
      const experiment = await tx.get<ExperimentRow>('SELECT id, name, created_at, config_json FROM experiments WHERE id = ?', [
        experimentId,
      ]);
      if (!experiment) throw notFound(`experiment ${experimentId}`);
      const config = JSON.parse(experiment.config_json) as ExperimentConfig;
      const count = await tx.get<{ n: number }>('SELECT count(*) AS n FROM runs WHERE experiment_id = ?', [experimentId]);
      const { lastId } = await tx.run(
        `INSERT INTO runs (experiment_id, name, status, created_at, config_json, seed, steps, total_steps)
         VALUES (?, ?, 'queued', ?, ?, ?, 0, ?)`,
        [
          experimentId,
          `${experiment.name} #${(count?.n ?? 0) + 1}`,
          now(),
          experiment.config_json,
          config.seed,
          config.train.steps,
        ],
      );
      const run = await readRun(tx, lastId);
      if (!run) throw new Error(`run ${lastId} vanished while being created`);
      return run;
    });
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
    const { changes } = sets.length
      ? await this.db.run(`UPDATE runs SET ${sets.join(', ')} WHERE id = ?`, [...params, runId])
      : { changes: (await this.db.get('SELECT 1 FROM runs WHERE id = ?', [runId])) ? 1 : 0 };
    if (changes === 0) throw notFound(`run ${runId}`);
  }

  getRun(runId: number): Promise<RunDetail | null> {
    return readRun(this.db, runId);
  }

  async listRuns(): Promise<RunSummary[]> {
    // By id rather than created_at: ids never tie, timestamps within a millisecond can.
    const rows = await this.db.all<RunRow>(`SELECT ${RUN_SUMMARY_COLUMNS} FROM runs ORDER BY id DESC`);
    return rows.map(toRunSummary);
  }

  async markAbandonedRuns(): Promise<number[]> {
    const rows = await this.db.all<{ id: number }>(
      `UPDATE runs SET status = 'interrupted', error = ?, finished_at = ?
       WHERE status IN ('running', 'queued') RETURNING id`,
      [ABANDONED_RUN_ERROR, now()],
    );
    return rows.map((r) => r.id).sort((a, b) => a - b);
  }

  async appendMetrics(runId: number, points: MetricPoint[]): Promise<void> {
    if (points.length === 0) return;
    await this.db.transaction((tx) => insertMetrics(tx, runId, points));
  }

  getCurve(runId: number, key: string, maxPoints: number): Promise<CurvePoint[]> {
    return queryCurve(this.db, runId, key, maxPoints);
  }

  listMetricKeys(runId: number): Promise<string[]> {
    return queryMetricKeys(this.db, runId);
  }

  async saveSchedule(runId: number, levels: ScheduleLevel[]): Promise<void> {
    // Replaces the whole schedule: a shorter one must not leave the old tail behind.
    await this.db.transaction(async (tx) => {
      await tx.run('DELETE FROM schedule WHERE run_id = ?', [runId]);
      await insertRows(tx, 'INSERT INTO schedule (run_id, level, sigma, alpha, weight)', 5, levels.length, (i, out, at) => {
        const l = levels[i];
        out[at] = runId;
        out[at + 1] = l.level;
        out[at + 2] = l.sigma;
        out[at + 3] = l.alpha;
        out[at + 4] = l.weight;
      });
    });
  }

  getSchedule(runId: number): Promise<ScheduleLevel[]> {
    return this.db.all<ScheduleLevel>('SELECT level, sigma, alpha, weight FROM schedule WHERE run_id = ? ORDER BY level', [runId]);
  }

  async saveTrainingData(runId: number, data: PointSet): Promise<void> {
    assertShape(`training data of run ${runId}`, data.n, data.dim, data.points.length);
    await this.db.run('INSERT OR REPLACE INTO training_data (run_id, n, dim, points) VALUES (?, ?, ?, ?)', [
      runId,
      data.n,
      data.dim,
      numbersToBlob(data.points),
    ]);
  }

  async getTrainingData(runId: number): Promise<PointSet | null> {
    const row = await this.db.get<{ n: number; dim: number; points: Buffer }>(
      'SELECT n, dim, points FROM training_data WHERE run_id = ?',
      [runId],
    );
    return row ? { n: row.n, dim: row.dim, points: blobToNumbers(row.points) } : null;
  }

  async saveSampleSet(set: SampleSet): Promise<void> {
    assertShape(`sample set ${set.label} of run ${set.runId}`, set.n, set.dim, set.points.length);
    await this.db.run(
      `INSERT INTO sample_sets (run_id, label, n, dim, points, metrics_json, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      [set.runId, set.label, set.n, set.dim, numbersToBlob(set.points), JSON.stringify(set.metrics), now()],
    );
  }

  async getSampleSet(runId: number, label: string): Promise<SampleSet | null> {
    const row = await this.db.get<{ n: number; dim: number; points: Buffer; metrics_json: string }>(
      'SELECT n, dim, points, metrics_json FROM sample_sets WHERE run_id = ? AND label = ? ORDER BY id DESC LIMIT 1',
      [runId, label],
    );
    if (!row) return null;
    return {
      runId,
      label,
      n: row.n,
      dim: row.dim,
      points: blobToNumbers(row.points),
      metrics: JSON.parse(row.metrics_json) as SampleMetrics,
    };
  }

  async saveWeights(runId: number, step: number, tensors: NamedTensor[]): Promise<void> {
    const { layout, blob } = packTensors(tensors);
    await this.db.run('INSERT OR REPLACE INTO weights (run_id, step, tensors_json, data) VALUES (?, ?, ?, ?)', [
      runId,
      step,
      JSON.stringify(layout),
      blob,
    ]);
  }

  async getWeights(runId: number): Promise<{ step: number; tensors: NamedTensor[] } | null> {
    const row = await this.db.get<{ step: number; tensors_json: string; data: Buffer }>(
      'SELECT step, tensors_json, data FROM weights WHERE run_id = ? ORDER BY step DESC LIMIT 1',
      [runId],
    );
    if (!row) return null;
    return { step: row.step, tensors: unpackTensors(JSON.parse(row.tensors_json) as TensorLayout[], row.data) };
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

async function readRun(db: SqlQueries, runId: number): Promise<RunDetail | null> {
  const row = await db.get<RunRow & { config_json: string }>(`SELECT ${RUN_SUMMARY_COLUMNS}, config_json FROM runs WHERE id = ?`, [
    runId,
  ]);
  return row ? { ...toRunSummary(row), config: JSON.parse(row.config_json) as ExperimentConfig } : null;
}
