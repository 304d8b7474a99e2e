/**
 * Which process owns a live run, told in a way that cannot outlive the process or be reused.
 *
 * A process id can do neither: in a container every host is pid 1, and a dead host's pid may be
 * given to another process. Instead each opened store takes a random owner id, and holds a write
 * lock on a small SQLite file named after it (beside the database, in `<db>.owners/`) for as long
 * as it is open. SQLite's locks are the operating system's advisory file locks (fcntl), which the
 * kernel drops when the process that holds them dies — however it dies, whatever its pid, in any
 * pid namespace — and which a forked child (the engine process) does not inherit. So "is the owner
 * alive" is "is its lock file locked", asked without waiting. This is as reliable as the database
 * itself: SQLite's own write-ahead log relies on the same locks, on the same host.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { SqlDatabase } from './database';
import { openSqlite3Database } from './sqlite3-driver';

/** What randomUUID gives: only such names are ever joined into a path. */
const OWNER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const NO_JOURNAL = 'PRAGMA journal_mode = MEMORY';

/** The folder of `dbFile`'s owner locks; null for an in-memory database (no other process sees it). */
function ownersDir(dbFile: string | null): string | null {
  return dbFile === null ? null : `${dbFile}.owners`;
}

/** This process's hold on the database: its owner id, locked until released. */
export class OwnerLock {
  private constructor(
    readonly id: string,
    private readonly file: string | null,
    private readonly held: { db: SqlDatabase; release: () => void; done: Promise<void> } | null,
  ) {}

  /** Takes a new owner id for `dbFile` (null: in memory) and locks it. */
  static async acquire(dbFile: string | null): Promise<OwnerLock> {
    const id = randomUUID();
    const dir = ownersDir(dbFile);
    if (dir === null) return new OwnerLock(id, null, null);
    await mkdir(dir, { recursive: true });
    const file = join(dir, id);
    const db = await openSqlite3Database(file);
    // The file only ever holds a lock: no journal file beside it.
    await db.exec(NO_JOURNAL);
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    // The transaction (BEGIN IMMEDIATE: SQLite's RESERVED lock) stays open until release.
    const done = db.transaction(async () => {
      locked();
      await released;
    });
    await Promise.race([isLocked, done]);
    return new OwnerLock(id, file, { db, release, done });
  }

  /** Lets the lock go and removes its file; runs still recorded under this owner read as abandoned. */
  async release(): Promise<void> {
    if (!this.held) return;
    this.held.release();
    await this.held.done.catch(() => undefined);
    await this.held.db.close();
    await rm(this.file!, { force: true });
  }
}

/**
 * Whether the owner `ownerId` of `dbFile`'s runs is alive: its lock file exists and is locked. A
 * dead owner's leftover lock file is removed. An id that is no owner's (no file, or not an id at
 * all) is dead. A lock that cannot be tested for another reason is taken as alive: its runs are
 * left as they are rather than marked ended under a process that may still write them.
 */
export async function isOwnerAlive(dbFile: string | null, ownerId: string): Promise<boolean> {
  const dir = ownersDir(dbFile);
  if (dir === null || !OWNER_ID.test(ownerId)) return false;
  const file = join(dir, ownerId);
  if (!(await stat(file).catch(() => null))) return false;
  let alive = true;
  try {
    const db = await openSqlite3Database(file, { create: false });
    try {
      await db.exec(NO_JOURNAL);
      // busy_timeout is 0 on a new connection: a held lock answers SQLITE_BUSY at once.
      await db.transaction(async () => undefined);
      alive = false;
    } finally {
      await db.close();
    }
  } catch {
    // Locked (SQLITE_BUSY), or not testable: alive, as said above.
  }
  if (!alive) await rm(file, { force: true });
  return alive;
}
