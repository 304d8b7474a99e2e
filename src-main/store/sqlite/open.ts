/**
 * Opening a file as the Scorebench store: refuse what is not ours, set the connection up, bring
 * the schema forward. Every refusal happens before the first write, so a refused file keeps
 * every byte (setting journal_mode=WAL alone would rewrite its header).
 */
import { constants } from 'node:fs';
import { access, mkdir, open, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Store } from '../store';
import type { SqlDatabase } from './database';
import { StoreOpenError } from './errors';
import { assertOwnDatabase, migrate } from './migrate';
import { OwnerLock } from './owner-lock';
import { SqliteStore } from './sqlite-store';
import { openSqlite3Database } from './sqlite3-driver';

/** Every SQLite 3 database file starts with these 16 bytes (https://sqlite.org/fileformat.html §1.3). */
const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

/** How long a statement waits for another process's write lock before failing with SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5000;

const isInMemory = (file: string): boolean => file === ':memory:' || file === '';

/**
 * Refuses an existing file that is not a SQLite database. SQLite itself would only fail at the
 * first query, with a less helpful SQLITE_NOTADB; an empty file is a valid new database.
 */
async function assertSqliteFile(file: string): Promise<void> {
  const info = await stat(file).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw err;
  });
  if (!info || info.size === 0) return;
  if (!info.isFile()) throw new StoreOpenError('not-sqlite', file, `${file} is not a file`);
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(SQLITE_MAGIC.length);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    if (bytesRead < head.length || !head.equals(SQLITE_MAGIC))
      throw new StoreOpenError('not-sqlite', file, `${file} is not a SQLite database; it was left untouched. Choose another file.`);
  } finally {
    await handle.close();
  }
}

const WRITE_DENIED = new Set(['EACCES', 'EPERM', 'EROFS']);

function readOnlyError(file: string, what: string, code: string): StoreOpenError {
  return new StoreOpenError(
    'read-only',
    file,
    `${what} is read-only (${code}): Scorebench writes every run to its database. ` +
      'Make it writable, or choose another file (--db, or $SCOREBENCH_DB). Nothing was changed.',
  );
}

/**
 * Refuses a database that could be read but not written: the file itself, or its folder (SQLite
 * creates its write-ahead log and shared-memory files beside the database). Failing here, with
 * the reason, beats failing at the first write with SQLITE_READONLY in the middle of a run.
 */
async function assertWritable(file: string): Promise<void> {
  const check = async (path: string, what: string) => {
    try {
      await access(path, constants.W_OK);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'unknown';
      if (code === 'ENOENT') return;
      throw WRITE_DENIED.has(code) ? readOnlyError(file, what, code) : err;
    }
  };
  await check(file, file);
  await check(dirname(file), `the folder ${dirname(file)} (where SQLite keeps the database's log)`);
}

async function configure(db: SqlDatabase, file: string): Promise<void> {
  // Per-connection settings that write nothing to the file: safe before the ownership check.
  await db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}; PRAGMA foreign_keys = ON`);
  await assertOwnDatabase(db, file);
  // WAL: readers never block the writer, and a commit is one append to the log.
  // synchronous=NORMAL: in WAL mode a power cut can lose the last commits but never corrupts the file.
  await db.get('PRAGMA journal_mode = WAL');
  await db.exec('PRAGMA synchronous = NORMAL');
  await migrate(db, isInMemory(file) ? null : file);
}

/**
 * Opens (creating it and its folder if needed) the SQLite store at `file`; `:memory:` gives a
 * throwaway in-memory store. Throws StoreOpenError for a file that is not a SQLite database, is
 * another application's database, or was written by a newer Scorebench, leaving it untouched.
 */
export async function openSqliteStore(file: string): Promise<Store> {
  if (!isInMemory(file)) {
    await mkdir(dirname(file), { recursive: true }).catch((err: NodeJS.ErrnoException) => {
      throw WRITE_DENIED.has(err.code ?? '') ? readOnlyError(file, `the folder ${dirname(file)}`, err.code!) : err;
    });
    await assertSqliteFile(file);
    await assertWritable(file);
  }
  const db = await openSqlite3Database(file);
  try {
    await configure(db, file);
  } catch (err) {
    await db.close().catch(() => undefined);
    // A damaged header can pass the magic check and still not be a database.
    const code = (err as { code?: string }).code;
    if (code === 'SQLITE_NOTADB')
      throw new StoreOpenError('not-sqlite', file, `${file} is not a usable SQLite database; it was left untouched.`);
    // What the access checks cannot see (a read-only mount, an immutable file) shows up here.
    if (code === 'SQLITE_READONLY' || code === 'SQLITE_CANTOPEN') throw readOnlyError(file, file, code);
    throw err;
  }
  const where = isInMemory(file) ? null : file;
  const owner = await OwnerLock.acquire(where).catch(async (err: unknown) => {
    await db.close().catch(() => undefined);
    throw err;
  });
  return new SqliteStore(db, owner, where);
}
