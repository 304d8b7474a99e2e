/**
 * The driver-neutral SQL connection the SQLite store is written against. Only
 * `sqlite3-driver.ts` knows which npm package runs the SQL, so moving to better-sqlite3 or
 * node:sqlite (sqlite3's README calls it unmaintained) means writing one more implementation of
 * these few interfaces.
 */

/** What a parameter may be bound to: blobs are Buffers. */
export type SqlValue = number | string | Buffer | null;

/** Positional (`?`, `?NNN`) parameters as an array, or named (`$name`) ones as an object. */
export type SqlParams = readonly SqlValue[] | Readonly<Record<string, SqlValue>>;

export interface RunResult {
  /** Rows changed by an INSERT/UPDATE/DELETE. */
  changes: number;
  /** The rowid of the last inserted row. */
  lastId: number;
}

/** A prepared statement, bound afresh on every call; reused to skip re-parsing the SQL. */
export interface SqlStatement {
  run(params?: SqlParams): Promise<RunResult>;
  get<T>(params?: SqlParams): Promise<T | undefined>;
  all<T>(params?: SqlParams): Promise<T[]>;
  finalize(): Promise<void>;
}

/** Queries that run on the connection as they are called. */
export interface SqlQueries {
  run(sql: string, params?: SqlParams): Promise<RunResult>;
  /** The first row, or undefined. Row types are the caller's claim about its own SQL. */
  get<T>(sql: string, params?: SqlParams): Promise<T | undefined>;
  all<T>(sql: string, params?: SqlParams): Promise<T[]>;
  /** Runs several `;`-separated statements without parameters (schema scripts). */
  exec(sql: string): Promise<void>;
}

/** The handle a transaction's callback receives; it is dead once the callback settles. */
export interface SqlTransaction extends SqlQueries {
  /** A statement living inside this transaction: finalize it before the callback returns. */
  prepare(sql: string): Promise<SqlStatement>;
}

/**
 * One connection. Every top-level call and every transaction holds the connection exclusively
 * until it settles, so a transaction never sees another caller's statements land inside it.
 */
export interface SqlDatabase extends SqlQueries {
  /**
   * Runs `fn` inside BEGIN IMMEDIATE … COMMIT, rolling back if it throws. IMMEDIATE takes the
   * write lock up front so that busy_timeout applies, instead of failing with SQLITE_BUSY when a
   * deferred transaction tries to upgrade from reading to writing. Transactions do not nest:
   * inside `fn`, use `tx`, never the database itself (it would wait for `fn` forever).
   */
  transaction<T>(fn: (tx: SqlTransaction) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
