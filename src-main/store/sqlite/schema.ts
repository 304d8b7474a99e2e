/**
 * The schema, as the ordered list of migrations that builds it. `PRAGMA user_version` holds the
 * number of migrations applied; a migration is never edited once released, only followed by a
 * new one, so every database can be brought forward from whatever version it is at.
 */

/** `PRAGMA application_id` of every Scorebench database: 'SCBN' in ASCII. */
export const APPLICATION_ID = 0x5343424e;

export interface Migration {
  /** The user_version the database is at once this migration has run: its index + 1. */
  version: number;
  description: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'experiments, runs, metrics (with block summaries), schedules, training data, sample sets, weights',
    // Notes on the choices:
    // - runs.status has no CHECK: a new status would otherwise need a table rebuild (SQLite cannot
    //   alter a constraint); the RunStatus type guards the values instead.
    // - metrics is WITHOUT ROWID, clustered on (run_id, key, step): a curve is one contiguous range
    //   of the b-tree, and steps arriving in order append at its right edge. A key logs one value
    //   per step; the store replaces a duplicate (a re-sent batch must not double a point).
    // - schedule is small and always read whole per run, so it is clustered the same way.
    // - training_data, sample_sets and weights hold large blobs, which WITHOUT ROWID tables store
    //   badly (https://sqlite.org/withoutrowid.html §4), so they keep their rowid.
    // - Blobs are little-endian float32 arrays (see blobs.ts).
    sql: `
      CREATE TABLE experiments (
        id          INTEGER PRIMARY KEY,
        name        TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        config_json TEXT NOT NULL
      );

      CREATE TABLE runs (
        id             INTEGER PRIMARY KEY,
        experiment_id  INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
        name           TEXT NOT NULL,
        status         TEXT NOT NULL,
        created_at     TEXT NOT NULL,
        started_at     TEXT,
        finished_at    TEXT,
        config_json    TEXT NOT NULL,
        seed           INTEGER NOT NULL,
        backend_json   TEXT,
        steps          INTEGER NOT NULL DEFAULT 0,
        total_steps    INTEGER NOT NULL,
        train_seconds  REAL,
        sample_seconds REAL,
        final_loss     REAL,
        metrics_json   TEXT,
        error          TEXT
      );
      CREATE INDEX runs_by_experiment ON runs(experiment_id);

      CREATE TABLE metrics (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        key    TEXT NOT NULL,
        step   INTEGER NOT NULL,
        time   REAL NOT NULL,
        value  REAL,
        PRIMARY KEY (run_id, key, step)
      ) WITHOUT ROWID;

      -- Derived from metrics, refreshed by every append (see metrics.ts): per BLOCK_STEPS steps of
      -- a curve, its first, last, lowest and highest point, so long curves downsample quickly.
      CREATE TABLE metric_blocks (
        run_id     INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        key        TEXT NOT NULL,
        block      INTEGER NOT NULL,
        first_step INTEGER NOT NULL,
        last_step  INTEGER NOT NULL,
        min_step   INTEGER NOT NULL,
        min_value  REAL,
        max_step   INTEGER NOT NULL,
        max_value  REAL,
        PRIMARY KEY (run_id, key, block)
      ) WITHOUT ROWID;

      CREATE TABLE schedule (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        level  INTEGER NOT NULL,
        sigma  REAL NOT NULL,
        alpha  REAL NOT NULL,
        weight REAL NOT NULL,
        PRIMARY KEY (run_id, level)
      ) WITHOUT ROWID;

      CREATE TABLE training_data (
        run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
        n      INTEGER NOT NULL,
        dim    INTEGER NOT NULL,
        points BLOB NOT NULL
      );

      CREATE TABLE sample_sets (
        id           INTEGER PRIMARY KEY,
        run_id       INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        label        TEXT NOT NULL,
        n            INTEGER NOT NULL,
        dim          INTEGER NOT NULL,
        points       BLOB NOT NULL,
        metrics_json TEXT NOT NULL,
        created_at   TEXT NOT NULL
      );
      CREATE INDEX sample_sets_by_label ON sample_sets(run_id, label, id);

      CREATE TABLE weights (
        run_id       INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        step         INTEGER NOT NULL,
        -- [{ name, shape }] in the network's order; each tensor's floats follow the previous one's in data.
        tensors_json TEXT NOT NULL,
        data         BLOB NOT NULL,
        PRIMARY KEY (run_id, step)
      );
    `,
  },
  {
    version: 2,
    description: 'runs: tags, notes and archived, for the runs table',
    // ADD COLUMN with a constant default rewrites no rows: existing runs read as untagged,
    // without notes, not archived. Tags are a JSON array of strings: few per run, always read
    // with the run, never queried by SQL, so a tags table would only add a join.
    sql: `
      ALTER TABLE runs ADD COLUMN tags_json TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE runs ADD COLUMN notes TEXT NOT NULL DEFAULT '';
      ALTER TABLE runs ADD COLUMN archived INTEGER NOT NULL DEFAULT 0;
    `,
  },
  {
    version: 3,
    description: 'checkpoints to resume training from; runs: the process that owns a live run',
    // - One checkpoint per run (the latest good one): resuming needs no other, and each is the
    //   size of the weights three times over (weights, Adam's two moments).
    // - Tensors are stored like weights: a JSON layout beside one float32 blob per group.
    // - owner_pid: which process runs a 'queued'/'running' run, so a second process opening the
    //   file (the CLI beside the app) does not take the first one's live runs for abandoned.
    //   NULL for older rows: those were never live under this schema.
    sql: `
      CREATE TABLE checkpoints (
        run_id          INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
        step            INTEGER NOT NULL,
        train_seconds   REAL NOT NULL,
        loss            REAL,
        rng_json        TEXT NOT NULL,
        weights_json    TEXT NOT NULL,
        weights         BLOB NOT NULL,
        optimizer_json  TEXT NOT NULL,
        optimizer       BLOB NOT NULL,
        created_at      TEXT NOT NULL
      );

      ALTER TABLE runs ADD COLUMN owner_pid INTEGER;
    `,
  },
  {
    version: 4,
    description: 'sample sets: the trajectory frame a set is a snapshot of',
    // - frame_json is NULL for every set that is not a frame (final samples, checkpoint samples,
    //   and all sets written before this version); like metrics_json it is always read with its
    //   set and never queried by SQL, so a JSON column beats a frames table and its join.
    // - Listing a run's sets by label (the galleries) reads the newest per label.
    sql: `
      ALTER TABLE sample_sets ADD COLUMN frame_json TEXT;
    `,
  },
  {
    version: 5,
    description: "runs: a version bumped by every change, and the owner id of a live run's process",
    // - version: readers that hear of a run twice (an event, a reply) keep the higher version, so
    //   an older state never replaces a newer one. Existing rows start at 1.
    // - owner_id: a random id per opened store, whose liveness is a lock the process holds
    //   (owner-lock.ts). It replaces owner_pid, which a container's pid 1 or a reused pid made
    //   look alive forever; owner_pid stays, unread (dropping a column rebuilds the table). NULL
    //   for older rows: a run left 'running' by an older version reads as abandoned.
    sql: `
      ALTER TABLE runs ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
      ALTER TABLE runs ADD COLUMN owner_id TEXT;
    `,
  },
  {
    version: 6,
    description: 'sweeps: a base config and axes, expanded into runs; runs: the sweep they belong to',
    // - document_json keeps the sweep as it was written (validated), so it can be shown and rerun;
    //   its runs hold their own expanded configs.
    // - sweep_id is NULL for every run that is not part of a sweep (all runs before this version).
    //   Deleting a sweep's runs leaves the sweep; a sweep is never deleted under its runs
    //   (SET NULL, should one be). The partial index serves `runs --sweep`.
    sql: `
      CREATE TABLE sweeps (
        id            INTEGER PRIMARY KEY,
        name          TEXT NOT NULL,
        created_at    TEXT NOT NULL,
        document_json TEXT NOT NULL
      );
      ALTER TABLE runs ADD COLUMN sweep_id INTEGER REFERENCES sweeps(id) ON DELETE SET NULL;
      CREATE INDEX runs_by_sweep ON runs(sweep_id) WHERE sweep_id IS NOT NULL;
    `,
  },
];

/** The user_version this code builds and understands. */
export const SCHEMA_VERSION = MIGRATIONS.length;
