/**
 * SqlDatabase over the `sqlite3` npm package: promises over its callbacks, plus the lock that
 * its asynchronous API needs. sqlite3 runs each call on a worker thread as soon as it is made,
 * so two async callers interleaving on one connection would otherwise put one caller's
 * statements inside the other's transaction.
 */
import sqlite3 from 'sqlite3';
import type { RunResult, SqlDatabase, SqlParams, SqlQueries, SqlStatement, SqlTransaction } from './database';

/** Runs tasks one at a time, in call order; a failed task does not stop the ones after it. */
class Mutex {
  private tail: Promise<unknown> = Promise.resolve();

  lock<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

// sqlite3 takes parameters as one array or object; an absent list binds nothing.
const bindable = (params: SqlParams | undefined): unknown => params ?? [];

function runOn(target: sqlite3.Database | sqlite3.Statement, args: unknown[]): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    // sqlite3 reports lastID/changes on `this`, so this must be a function, not an arrow.
    (target.run as (...a: unknown[]) => unknown)(...args, function (this: sqlite3.RunResult, err: Error | null) {
      if (err) reject(err);
      else resolve({ changes: this.changes, lastId: this.lastID });
    });
  });
}

function getOn<T>(target: sqlite3.Database | sqlite3.Statement, args: unknown[]): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    (target.get as (...a: unknown[]) => unknown)(...args, (err: Error | null, row?: T) => {
      if (err) reject(err);
      else resolve(row);
    });
  });
}

function allOn<T>(target: sqlite3.Database | sqlite3.Statement, args: unknown[]): Promise<T[]> {
  return new Promise((resolve, reject) => {
    (target.all as (...a: unknown[]) => unknown)(...args, (err: Error | null, rows: T[]) => {
      if (err) reject(err);
      else resolve(rows);
    });
  });
}

function execOn(db: sqlite3.Database, sql: string): Promise<void> {
  return new Promise((resolve, reject) => db.exec(sql, (err) => (err ? reject(err) : resolve())));
}

class Sqlite3Statement implements SqlStatement {
  constructor(private readonly statement: sqlite3.Statement) {}

  run(params?: SqlParams): Promise<RunResult> {
    return runOn(this.statement, [bindable(params)]);
  }

  get<T>(params?: SqlParams): Promise<T | undefined> {
    return getOn<T>(this.statement, [bindable(params)]);
  }

  all<T>(params?: SqlParams): Promise<T[]> {
    return allOn<T>(this.statement, [bindable(params)]);
  }

  finalize(): Promise<void> {
    // finalize's callback only ever reports success in sqlite3 6.x; the type claims an error.
    return new Promise((resolve) => this.statement.finalize(() => resolve()));
  }
}

/** The unlocked statements; callers hold the lock. */
class Sqlite3Queries implements SqlQueries {
  constructor(protected readonly db: sqlite3.Database) {}

  run(sql: string, params?: SqlParams): Promise<RunResult> {
    return runOn(this.db, [sql, bindable(params)]);
  }

  get<T>(sql: string, params?: SqlParams): Promise<T | undefined> {
    return getOn<T>(this.db, [sql, bindable(params)]);
  }

  all<T>(sql: string, params?: SqlParams): Promise<T[]> {
    return allOn<T>(this.db, [sql, bindable(params)]);
  }

  exec(sql: string): Promise<void> {
    return execOn(this.db, sql);
  }
}

class Sqlite3Transaction extends Sqlite3Queries implements SqlTransaction {
  private open = true;

  // Using the handle after its transaction settled would run outside any transaction (or inside
  // another caller's), so it fails loudly instead.
  private check(): void {
    if (!this.open) throw new Error('this transaction has already finished');
  }

  end(): void {
    this.open = false;
  }

  override run(sql: string, params?: SqlParams): Promise<RunResult> {
    this.check();
    return super.run(sql, params);
  }

  override get<T>(sql: string, params?: SqlParams): Promise<T | undefined> {
    this.check();
    return super.get<T>(sql, params);
  }

  override all<T>(sql: string, params?: SqlParams): Promise<T[]> {
    this.check();
    return super.all<T>(sql, params);
  }

  override exec(sql: string): Promise<void> {
    this.check();
    return super.exec(sql);
  }

  prepare(sql: string): Promise<SqlStatement> {
    this.check();
    return new Promise((resolve, reject) => {
      const statement: sqlite3.Statement = this.db.prepare(sql, (err: Error | null) => {
        if (err) reject(err);
        else resolve(new Sqlite3Statement(statement));
      });
    });
  }
}

class Sqlite3Database implements SqlDatabase {
  private readonly mutex = new Mutex();
  private readonly queries: Sqlite3Queries;

  constructor(private readonly db: sqlite3.Database) {
    this.queries = new Sqlite3Queries(db);
  }

  run(sql: string, params?: SqlParams): Promise<RunResult> {
    return this.mutex.lock(() => this.queries.run(sql, params));
  }

  get<T>(sql: string, params?: SqlParams): Promise<T | undefined> {
    return this.mutex.lock(() => this.queries.get<T>(sql, params));
  }

  all<T>(sql: string, params?: SqlParams): Promise<T[]> {
    return this.mutex.lock(() => this.queries.all<T>(sql, params));
  }

  exec(sql: string): Promise<void> {
    return this.mutex.lock(() => this.queries.exec(sql));
  }

  transaction<T>(fn: (tx: SqlTransaction) => Promise<T>): Promise<T> {
    return this.mutex.lock(async () => {
      const tx = new Sqlite3Transaction(this.db);
      await execOn(this.db, 'BEGIN IMMEDIATE');
      try {
        const result = await fn(tx);
        await execOn(this.db, 'COMMIT');
        return result;
      } catch (err) {
        // SQLite may already have rolled back by itself (e.g. SQLITE_FULL); the original error is
        // the one worth reporting.
        await execOn(this.db, 'ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        tx.end();
      }
    });
  }

  close(): Promise<void> {
    // Queued behind the lock, so calls already made finish before the connection goes.
    return this.mutex.lock(
      () => new Promise<void>((resolve, reject) => this.db.close((err) => (err ? reject(err) : resolve()))),
    );
  }
}

/**
 * Opens a database file, creating it if absent unless `create` is false (then a missing file
 * fails with SQLITE_CANTOPEN); `:memory:` gives a private in-memory database.
 */
export function openSqlite3Database(file: string, { create = true }: { create?: boolean } = {}): Promise<SqlDatabase> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(file, sqlite3.OPEN_READWRITE | (create ? sqlite3.OPEN_CREATE : 0), (err) => {
      if (err) reject(err);
      else resolve(new Sqlite3Database(db));
    });
  });
}
