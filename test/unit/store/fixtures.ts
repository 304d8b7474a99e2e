/** Shared setup for the store's tests: a fresh temp folder per test, configs, raw file access. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { requireExperimentConfig, type ExperimentConfig } from '../../../src-shared/config';
import { openSqlite3Database } from '../../../src-main/store/sqlite/sqlite3-driver';
import type { SqlDatabase } from '../../../src-main/store/sqlite/database';
import { APPLICATION_ID, MIGRATIONS } from '../../../src-main/store/sqlite/schema';

/** A new empty folder, removed when the test ends. */
export function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'scorebench-store-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A path for a database that does not exist yet, in a fresh folder. */
export const tempDbPath = (t: TestContext): string => join(tempDir(t), 'store.sqlite');

export function config(input: unknown = {}): ExperimentConfig {
  return requireExperimentConfig(input);
}

/** A second, plain connection to a file, to look at or tamper with it behind the store's back. */
export async function withRawDb<T>(file: string, fn: (db: SqlDatabase) => Promise<T>): Promise<T> {
  const db = await openSqlite3Database(file);
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

/**
 * A database as schema `version` left it (its first `version` migrations applied), holding
 * experiment 1 'old' and its completed run 1 'old #1', the rows written as that version wrote them.
 */
export async function createOldDatabase(file: string, version: number): Promise<void> {
  await withRawDb(file, async (db) => {
    for (const migration of MIGRATIONS.slice(0, version)) await db.exec(migration.sql);
    await db.exec(`PRAGMA application_id = ${APPLICATION_ID}; PRAGMA user_version = ${version}`);
    await db.run(`INSERT INTO experiments (id, name, created_at, config_json) VALUES (1, 'old', '2024-01-01T00:00:00.000Z', ?)`, [
      JSON.stringify(config()),
    ]);
    await db.run(
      `INSERT INTO runs (id, experiment_id, name, status, created_at, config_json, seed, total_steps)
       VALUES (1, 1, 'old #1', 'completed', '2024-01-01T00:00:00.000Z', ?, 0, 2000)`,
      [JSON.stringify(config())],
    );
  });
}
