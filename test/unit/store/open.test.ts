import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { openSqliteStore, SCHEMA_VERSION, StoreOpenError, type StoreOpenFailure } from '../../../src-main/store';
import { migrationBackupPath } from '../../../src-main/store/sqlite/migrate';
import { APPLICATION_ID, MIGRATIONS } from '../../../src-main/store/sqlite/schema';
import { config, tempDbPath, tempDir, withRawDb } from './fixtures';

const header = (file: string) =>
  withRawDb(file, async (db) => ({
    applicationId: (await db.get<{ application_id: number }>('PRAGMA application_id'))?.application_id,
    userVersion: (await db.get<{ user_version: number }>('PRAGMA user_version'))?.user_version,
  }));

/** Asserts that opening `file` is refused for `reason` and leaves it byte for byte as it was. */
async function assertRefusedUntouched(file: string, reason: StoreOpenFailure, message: RegExp): Promise<void> {
  const before = readFileSync(file);
  await assert.rejects(openSqliteStore(file), (err: unknown) => {
    assert.ok(err instanceof StoreOpenError, `expected a StoreOpenError, got ${String(err)}`);
    assert.equal(err.reason, reason);
    assert.equal(err.file, file);
    assert.match(err.message, message);
    return true;
  });
  assert.deepEqual(readFileSync(file), before);
  // Nothing left beside it either (a WAL file would hold writes the main file does not show).
  assert.equal(existsSync(`${file}-wal`), false);
}

test('migrations are numbered 1, 2, … in order, and the schema version is their count', () => {
  assert.deepEqual(
    MIGRATIONS.map((m) => m.version),
    MIGRATIONS.map((_, i) => i + 1),
  );
  assert.equal(SCHEMA_VERSION, MIGRATIONS.length);
});

test('a new file, and the folders it sits in, are created at the current schema version with the Scorebench id', async (t) => {
  const file = join(tempDir(t), 'a', 'b', 'store.sqlite');
  const store = await openSqliteStore(file);
  await store.close();
  assert.deepEqual(await header(file), { applicationId: APPLICATION_ID, userVersion: SCHEMA_VERSION });
  const tables = await withRawDb(file, (db) => db.all<{ name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name"));
  assert.deepEqual(
    tables.map((r) => r.name),
    ['checkpoints', 'experiments', 'metric_blocks', 'metrics', 'runs', 'sample_sets', 'schedule', 'sweeps', 'training_data', 'weights'],
  );
});

test('reopening a current database keeps its data and version', async (t) => {
  const file = tempDbPath(t);
  const first = await openSqliteStore(file);
  const experiment = await first.createExperiment('kept', config());
  await first.close();
  const second = await openSqliteStore(file);
  t.after(() => second.close());
  assert.equal((await second.getExperiment(experiment.id))?.name, 'kept');
  assert.deepEqual(await header(file), { applicationId: APPLICATION_ID, userVersion: SCHEMA_VERSION });
});

test('an existing empty file is taken as a new database', async (t) => {
  const file = tempDbPath(t);
  writeFileSync(file, '');
  const store = await openSqliteStore(file);
  await store.close();
  assert.deepEqual(await header(file), { applicationId: APPLICATION_ID, userVersion: SCHEMA_VERSION });
});

test('a database written by a newer Scorebench is refused and left unchanged', async (t) => {
  const file = tempDbPath(t);
  const store = await openSqliteStore(file);
  await store.createExperiment('from the future', config());
  await store.close();
  await withRawDb(file, (db) => db.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`));
  await assertRefusedUntouched(file, 'newer-schema', new RegExp(`newer Scorebench.*schema version ${SCHEMA_VERSION + 1}`));
});

test('a file that is not a SQLite database is refused and left unchanged', async (t) => {
  const dir = tempDir(t);
  const text = join(dir, 'notes.sqlite');
  writeFileSync(text, 'my thesis notes, definitely not a database\n'.repeat(200));
  await assertRefusedUntouched(text, 'not-sqlite', /is not a SQLite database/);
  const tiny = join(dir, 'tiny.sqlite');
  writeFileSync(tiny, 'SQLite');
  await assertRefusedUntouched(tiny, 'not-sqlite', /is not a SQLite database/);
});

test("another application's SQLite database is refused and left unchanged", async (t) => {
  const dir = tempDir(t);
  const foreign = join(dir, 'foreign.sqlite');
  await withRawDb(foreign, (db) => db.exec("CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('Ada')"));
  await assertRefusedUntouched(foreign, 'foreign', /not a Scorebench one/);

  // Even with no tables: its application_id says it belongs to someone else.
  const claimed = join(dir, 'claimed.sqlite');
  await withRawDb(claimed, (db) => db.exec('PRAGMA application_id = 1234'));
  await assertRefusedUntouched(claimed, 'foreign', /application_id 1234/);
});

/** A database at schema version 1 holding one experiment, as an older Scorebench left it. */
async function writeVersion1Database(file: string): Promise<void> {
  await withRawDb(file, async (db) => {
    await db.exec(MIGRATIONS[0].sql);
    await db.exec(`PRAGMA application_id = ${APPLICATION_ID}; PRAGMA user_version = 1`);
    await db.run(`INSERT INTO experiments (id, name, created_at, config_json) VALUES (1, 'old', '2024-01-01T00:00:00.000Z', ?)`, [
      JSON.stringify(config()),
    ]);
  });
}

test('an older database is copied beside itself before its schema is migrated, and the copy is kept', async (t) => {
  const file = join(tempDir(t), 'old.sqlite');
  await writeVersion1Database(file);
  const store = await openSqliteStore(file);
  await store.close();
  const backup = migrationBackupPath(file, 1);
  assert.ok(existsSync(backup), `no backup at ${backup}`);
  assert.deepEqual(await header(backup), { applicationId: APPLICATION_ID, userVersion: 1 });
  const names = await withRawDb(backup, (db) => db.all<{ name: string }>('SELECT name FROM experiments'));
  assert.deepEqual(names.map((r) => r.name), ['old']);
  assert.deepEqual(await header(file), { applicationId: APPLICATION_ID, userVersion: SCHEMA_VERSION });
  // Opening the migrated file again neither migrates nor copies anything.
  const before = readFileSync(backup);
  await (await openSqliteStore(file)).close();
  assert.deepEqual(readFileSync(backup), before);
});

test('when the backup cannot be written the migration does not start, and says why', async (t) => {
  const file = join(tempDir(t), 'old.sqlite');
  await writeVersion1Database(file);
  // A folder where the backup file would go: VACUUM INTO cannot create it (and, running as
  // root in CI, a read-only folder would not stop it).
  mkdirSync(migrationBackupPath(file, 1));
  await assert.rejects(openSqliteStore(file), (err: unknown) => {
    assert.ok(err instanceof StoreOpenError);
    assert.equal(err.reason, 'backup-failed');
    assert.match(err.message, /version 1 to \d+.*copy to .*failed.*left untouched/s);
    return true;
  });
  assert.equal((await header(file)).userVersion, 1);
});
