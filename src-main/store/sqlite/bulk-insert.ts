/**
 * Many rows per INSERT statement. Each statement is one round trip to SQLite's worker thread, so
 * a row per statement caps appends at a few ten thousand rows a second; a few hundred rows per
 * statement amortises it away.
 */
import type { SqlTransaction, SqlValue } from './database';

/**
 * Parameters per statement: far below SQLITE_MAX_VARIABLE_NUMBER (32766 since SQLite 3.32), and
 * large enough that the per-statement cost no longer shows.
 */
const PARAMS_PER_STATEMENT = 2000;

/**
 * Inserts `count` rows of `width` values with `head` (e.g. `INSERT INTO t (a, b)`); `write(i, out, at)`
 * puts row i's values at out[at … at+width). Runs inside the caller's transaction, so the rows
 * land together or not at all.
 */
export async function insertRows(
  tx: SqlTransaction,
  head: string,
  width: number,
  count: number,
  write: (row: number, out: SqlValue[], at: number) => void,
): Promise<void> {
  const perStatement = Math.max(1, Math.floor(PARAMS_PER_STATEMENT / width));
  const tuple = `(${new Array<string>(width).fill('?').join(',')})`;
  const sqlFor = (rows: number): string => `${head} VALUES ${new Array<string>(rows).fill(tuple).join(',')}`;
  const bind = (from: number, to: number): SqlValue[] => {
    const out = new Array<SqlValue>((to - from) * width);
    for (let row = from; row < to; row++) write(row, out, (row - from) * width);
    return out;
  };

  const full = Math.floor(count / perStatement);
  if (full > 0) {
    // Prepared once and rebound per chunk: parsing a 400-row INSERT costs about as much as running it.
    const statement = await tx.prepare(sqlFor(perStatement));
    try {
      for (let c = 0; c < full; c++) await statement.run(bind(c * perStatement, (c + 1) * perStatement));
    } finally {
      await statement.finalize();
    }
  }
  const rest = count - full * perStatement;
  if (rest > 0) await tx.run(sqlFor(rest), bind(count - rest, count));
}
