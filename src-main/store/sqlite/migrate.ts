/**
 * Deciding whether a SQLite file is ours to touch, and bringing ours to the current schema.
 * The decision is made from reads alone, before the first statement that could write: a file
 * that is refused keeps every byte.
 */
import { statSync } from 'node:fs';
import type { SqlDatabase, SqlQueries } from './database';
import { StoreOpenError } from './errors';
import { APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION } from './schema';

async function pragmaNumber(db: SqlQueries, name: 'application_id' | 'user_version'): Promise<number> {
  const row = await db.get<Record<string, number>>(`PRAGMA ${name}`);
  return row?.[name] ?? 0;
}

/**
 * Throws StoreOpenError unless the database is Scorebench's at a version this code knows, or is
 * empty (a new file, or a SQLite file with nothing in it yet).
 */
export async function assertOwnDatabase(db: SqlQueries, file: string): Promise<void> {
  const applicationId = await pragmaNumber(db, 'application_id');
  const version = await pragmaNumber(db, 'user_version');
  if (applicationId === APPLICATION_ID) {
    if (version > SCHEMA_VERSION)
      throw new StoreOpenError(
        'newer-schema',
        file,
        `${file} was written by a newer Scorebench (schema version ${version}; this version knows up to ` +
          `${SCHEMA_VERSION}). Update Scorebench to open it; the file was left untouched.`,
      );
    return;
  }
  const objects = (await db.get<{ n: number }>('SELECT count(*) AS n FROM sqlite_schema'))?.n ?? 0;
  if (applicationId === 0 && version === 0 && objects === 0) return;
  throw new StoreOpenError(
    'foreign',
    file,
    `${file} is a SQLite database but not a Scorebench one (application_id ${applicationId}, ` +
      `user_version ${version}, ${objects} schema objects). It was left untouched; choose another file.`,
  );
}

/** Where the copy of `file` at schema `version` is kept before migrating it forward. */
export function migrationBackupPath(file: string, version: number): string {
  return `${file}.schema-v${version}.backup`;
}

/**
 * Copies a database that is about to be migrated (a consistent snapshot, WAL included, by
 * `VACUUM INTO`) beside it, so a person can go back to the version they had. A backup already
 * there from an earlier attempt is kept as it is: it holds the same version. A backup that cannot
 * be written (disk full, read-only folder) stops the migration with the reason; nothing has
 * changed yet.
 */
async function backUpBeforeMigrating(db: SqlQueries, file: string, version: number): Promise<string> {
  const backup = migrationBackupPath(file, version);
  if (statSync(backup, { throwIfNoEntry: false })?.isFile()) return backup;
  try {
    await db.run('VACUUM INTO ?', [backup]);
  } catch (err) {
    throw new StoreOpenError(
      'backup-failed',
      file,
      `${file} needs its schema brought from version ${version} to ${SCHEMA_VERSION}, and Scorebench copies it first, ` +
        `but the copy to ${backup} failed (${err instanceof Error ? err.message : String(err)}). Free some space or make ` +
        'the folder writable; the database was left untouched.',
    );
  }
  return backup;
}

/**
 * Applies every migration the database lacks, each in its own transaction with its user_version,
 * so a crash leaves the database at a whole version. The version is re-read inside each write
 * transaction, so two processes opening a new file at once do not both apply a migration. A file
 * that already holds data (version ≥ 1) is backed up first (`file` null: in memory, no backup).
 */
export async function migrate(db: SqlDatabase, file: string | null): Promise<void> {
  const version = await pragmaNumber(db, 'user_version');
  if (file !== null && version >= 1 && version < SCHEMA_VERSION) await backUpBeforeMigrating(db, file, version);
  for (const migration of MIGRATIONS) {
    await db.transaction(async (tx) => {
      const version = await pragmaNumber(tx, 'user_version');
      if (version >= migration.version) return;
      await tx.exec(migration.sql);
      // PRAGMA arguments cannot be bound; both values are integers from this module.
      await tx.exec(`PRAGMA application_id = ${APPLICATION_ID}; PRAGMA user_version = ${migration.version}`);
    });
  }
}
