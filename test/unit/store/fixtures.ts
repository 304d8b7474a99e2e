/** Shared setup for the store's tests: a fresh temp folder per test, configs, raw file access. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { requireExperimentConfig, type ExperimentConfig } from '../../../src-main/common/config';
import { openSqlite3Database } from '../../../src-main/store/sqlite/sqlite3-driver';
import type { SqlDatabase } from '../../../src-main/store/sqlite/database';

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
