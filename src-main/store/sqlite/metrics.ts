/**
 * Metric curves: fast appends, and downsampled reads that keep spikes.
 *
 * A curve is downsampled by cutting its step range into ~maxPoints/4 buckets and keeping, per
 * bucket, its first, last, lowest and highest point (M4, Jugel et al., VLDB 2014: with a bucket per
 * pixel column, a line chart drawn from them matches one drawn from every point). Finding a bucket's lowest and highest
 * point means reading every point in it, so a long curve would be read whole on every refresh
 * (~0.3 s per 10⁶ points). Instead, each append also refreshes a per-block summary
 * (metric_blocks: the same four points for every BLOCK_STEPS steps), and a long curve is reduced
 * from those summaries with bucket edges on block edges, which gives exactly what the points
 * themselves would give with those edges, from ~BLOCK_STEPS/logEvery times fewer rows.
 */
import type { CurvePoint } from '../../../src-shared/api';
import { compareMetricKeys } from '../../../src-shared/labels';
import type { MetricPoint } from '../../engine/types';
import type { StepRange } from '../store';
import { insertRows } from './bulk-insert';
import type { SqlQueries, SqlTransaction } from './database';

/** Steps per summary block. Smaller blocks: more summary rows; larger: more raw reads for mid-length curves. */
export const BLOCK_STEPS = 128;

/**
 * Recomputes the summary of each listed block from its points. Recomputing (rather than merging
 * the new points into the old summary) keeps the summary exact when a point is replaced; it reads
 * at most BLOCK_STEPS rows per block. ?2 is a JSON array of [key, block, firstStep, endStep].
 */
const REFRESH_BLOCKS_SQL = `
  WITH touched(key, block, a, b) AS (
    SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'), json_extract(value, '$[3]')
    FROM json_each(?2)
  ),
  -- MATERIALIZED: each block is scanned once, not again for each of the joins below.
  summary AS MATERIALIZED (
    SELECT t.key, t.block,
      (SELECT step FROM metrics WHERE run_id = ?1 AND key = t.key AND step >= t.a AND step < t.b ORDER BY step LIMIT 1) AS first_step,
      (SELECT step FROM metrics WHERE run_id = ?1 AND key = t.key AND step >= t.a AND step < t.b ORDER BY step DESC LIMIT 1) AS last_step,
      -- SQLite takes a bare column from the row that MIN()/MAX() chose (lang_select.html#bare_columns).
      (SELECT s FROM (SELECT step AS s, MIN(value) FROM metrics WHERE run_id = ?1 AND key = t.key AND step >= t.a AND step < t.b)) AS min_step,
      (SELECT s FROM (SELECT step AS s, MAX(value) FROM metrics WHERE run_id = ?1 AND key = t.key AND step >= t.a AND step < t.b)) AS max_step
    FROM touched t
  )
  INSERT OR REPLACE INTO metric_blocks (run_id, key, block, first_step, last_step, min_step, min_value, max_step, max_value)
  SELECT ?1, s.key, s.block, s.first_step, s.last_step, s.min_step, lo.value, s.max_step, hi.value
  FROM summary s
  LEFT JOIN metrics lo ON lo.run_id = ?1 AND lo.key = s.key AND lo.step = s.min_step
  LEFT JOIN metrics hi ON hi.run_id = ?1 AND hi.key = s.key AND hi.step = s.max_step`;

const blockOf = (step: number): number => Math.floor(step / BLOCK_STEPS);

/** A block's four points: what metric_blocks holds per (run, key, block). */
interface BlockSummary {
  firstStep: number;
  lastStep: number;
  minStep: number;
  minValue: number;
  maxStep: number;
  maxValue: number;
}

/**
 * Each touched block's summary of the batch's own points, in one pass; null for a block whose
 * points are not plain appends in step order with finite values (a repeated step, a step out of
 * order, a NaN): those are recomputed from the table instead. Ties go to the earliest step, as
 * SQLite's MIN()/MAX() bare columns give them in a scan in step order.
 */
function summariseBatch(points: readonly MetricPoint[]): Map<string, Map<number, BlockSummary | null>> {
  const byKey = new Map<string, Map<number, BlockSummary | null>>();
  for (const p of points) {
    // Blocks are whole step ranges, and a fractional step would fall between the summaries' edges.
    if (!Number.isSafeInteger(p.step)) throw new RangeError(`metric ${p.key}: step ${p.step} is not an integer`);
    let blocks = byKey.get(p.key);
    if (!blocks) byKey.set(p.key, (blocks = new Map()));
    const block = blockOf(p.step);
    const seen = blocks.get(block);
    if (seen === null) continue;
    if (!Number.isFinite(p.value) || (seen && p.step <= seen.lastStep)) {
      blocks.set(block, null);
      continue;
    }
    if (!seen) {
      blocks.set(block, { firstStep: p.step, lastStep: p.step, minStep: p.step, minValue: p.value, maxStep: p.step, maxValue: p.value });
      continue;
    }
    seen.lastStep = p.step;
    if (p.value < seen.minValue) [seen.minStep, seen.minValue] = [p.step, p.value];
    if (p.value > seen.maxValue) [seen.maxStep, seen.maxValue] = [p.step, p.value];
  }
  return byKey;
}

interface BlockRow {
  key: string;
  block: number;
  first_step: number;
  last_step: number;
  min_step: number | null;
  min_value: number | null;
  max_step: number | null;
  max_value: number | null;
}

/**
 * The stored summary extended by points that all come after its last step: exact without reading
 * the block's points. Null when the points do not simply extend it (they replace or precede stored
 * points, or the stored block holds only NaN).
 */
function extendSummary(stored: BlockRow | undefined, added: BlockSummary): BlockSummary | null {
  if (!stored) return added;
  if (added.firstStep <= stored.last_step || stored.min_value === null || stored.max_value === null) return null;
  const merged = { ...added, firstStep: stored.first_step };
  if (stored.min_value <= added.minValue) [merged.minStep, merged.minValue] = [stored.min_step!, stored.min_value];
  if (stored.max_value >= added.maxValue) [merged.maxStep, merged.maxValue] = [stored.max_step!, stored.max_value];
  return merged;
}

/**
 * Inserts the points and brings the summaries of the blocks they fall in up to date; runs inside
 * `tx`. A training run appends each key's steps in order, so most summaries are extended from the
 * stored ones and the new points alone; blocks where points were replaced or came out of order are
 * recomputed from their points (at most BLOCK_STEPS rows each).
 */
export async function insertMetrics(tx: SqlTransaction, runId: number, points: readonly MetricPoint[]): Promise<void> {
  const batch = summariseBatch(points);
  // Bound parameters, not a JSON batch: SQLite's decimal parser can land one ULP away from the
  // double it was given, and a stored value must be the value logged (bench: JSON would be ~1.4×
  // faster per point).
  await insertRows(
    tx,
    // OR REPLACE: a key logs one value per step, and a re-sent point replaces the earlier one.
    'INSERT OR REPLACE INTO metrics (run_id, key, step, time, value)',
    5,
    points.length,
    (i, out, at) => {
      const p = points[i];
      out[at] = runId;
      out[at + 1] = p.key;
      out[at + 2] = p.step;
      out[at + 3] = p.time;
      // NaN (a diverged loss) binds as NULL in SQLite; curves map it back to NaN.
      out[at + 4] = p.value;
    },
  );

  const touched: [string, number][] = [];
  for (const [key, blocks] of batch) for (const block of blocks.keys()) touched.push([key, block]);
  const stored = new Map<string, BlockRow>();
  const rows = await tx.all<BlockRow>(
    `SELECT key, block, first_step, last_step, min_step, min_value, max_step, max_value FROM metric_blocks
     WHERE run_id = ?1 AND (key, block) IN (SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?2))`,
    [runId, JSON.stringify(touched)],
  );
  for (const row of rows) stored.set(`${row.block}/${row.key}`, row);

  const extended: [string, number, BlockSummary][] = [];
  const recompute: [string, number, number, number][] = [];
  for (const [key, block] of touched) {
    const added = batch.get(key)!.get(block)!;
    const summary = added && extendSummary(stored.get(`${block}/${key}`), added);
    if (summary) extended.push([key, block, summary]);
    else recompute.push([key, block, block * BLOCK_STEPS, (block + 1) * BLOCK_STEPS]);
  }
  await insertRows(
    tx,
    'INSERT OR REPLACE INTO metric_blocks (run_id, key, block, first_step, last_step, min_step, min_value, max_step, max_value)',
    9,
    extended.length,
    (i, out, at) => {
      const [key, block, b] = extended[i];
      out[at] = runId;
      out[at + 1] = key;
      out[at + 2] = block;
      out[at + 3] = b.firstStep;
      out[at + 4] = b.lastStep;
      out[at + 5] = b.minStep;
      out[at + 6] = b.minValue;
      out[at + 7] = b.maxStep;
      out[at + 8] = b.maxValue;
    },
  );
  if (recompute.length > 0) await tx.run(REFRESH_BLOCKS_SQL, [runId, JSON.stringify(recompute)]);
}

/**
 * Drops every point after `step` (a resumed run logs them again) and keeps the block summaries
 * exact: blocks wholly after `step` go, and the block `step` falls in is recomputed from the
 * points it keeps. Runs inside `tx`.
 */
export async function truncateMetrics(tx: SqlTransaction, runId: number, step: number): Promise<void> {
  await tx.run('DELETE FROM metrics WHERE run_id = ? AND step > ?', [runId, step]);
  const cut = blockOf(step);
  await tx.run('DELETE FROM metric_blocks WHERE run_id = ? AND block >= ?', [runId, cut]);
  const keys = await tx.all<{ key: string }>('SELECT DISTINCT key FROM metrics WHERE run_id = ? AND step >= ? AND step <= ?', [
    runId,
    cut * BLOCK_STEPS,
    step,
  ]);
  if (keys.length === 0) return;
  const blockList = keys.map(({ key }) => [key, cut, cut * BLOCK_STEPS, (cut + 1) * BLOCK_STEPS]);
  await tx.run(REFRESH_BLOCKS_SQL, [runId, JSON.stringify(blockList)]);
}

/** Where a reduction reads its four points per bucket from: raw points, or block summaries. */
interface CurveSource {
  table: string;
  /** The column bucket ranges are cut on (step, or block index). */
  position: string;
  first: string;
  last: string;
  minStep: string;
  minValue: string;
  maxStep: string;
  maxValue: string;
}

const RAW: CurveSource = {
  table: 'metrics',
  position: 'step',
  first: 'step',
  last: 'step',
  minStep: 'step',
  minValue: 'value',
  maxStep: 'step',
  maxValue: 'value',
};

const BLOCKS: CurveSource = {
  table: 'metric_blocks',
  position: 'block',
  first: 'first_step',
  last: 'last_step',
  minStep: 'min_step',
  minValue: 'min_value',
  maxStep: 'max_step',
  maxValue: 'max_value',
};

/**
 * ?1 run, ?2 key, ?3 bucket count, ?4 first position, ?5 positions spanned. Bucket i covers
 * positions [?4 + i·?5/?3, ?4 + (i+1)·?5/?3) in integer arithmetic, so buckets tile the range.
 * Each bucket's four picks are index seeks or one range scan; UNION drops repeated steps (empty
 * buckets all give one NULL, which the join drops), and the join fetches each pick's time and value.
 */
function reduceSql(s: CurveSource): string {
  const inBucket = `run_id = ?1 AND key = ?2 AND ${s.position} >= r.a AND ${s.position} < r.b`;
  return `
    WITH RECURSIVE
      buckets(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM buckets WHERE i + 1 < ?3),
      ranges(a, b) AS (
        SELECT CAST(?4 AS INTEGER) + (i * CAST(?5 AS INTEGER)) / CAST(?3 AS INTEGER),
               CAST(?4 AS INTEGER) + ((i + 1) * CAST(?5 AS INTEGER)) / CAST(?3 AS INTEGER)
        FROM buckets
      ),
      picks(step) AS (
        SELECT (SELECT ${s.first} FROM ${s.table} WHERE ${inBucket} ORDER BY ${s.position} LIMIT 1) FROM ranges r
        UNION SELECT (SELECT ${s.last} FROM ${s.table} WHERE ${inBucket} ORDER BY ${s.position} DESC LIMIT 1) FROM ranges r
        UNION SELECT (SELECT p FROM (SELECT ${s.minStep} AS p, MIN(${s.minValue}) FROM ${s.table} WHERE ${inBucket})) FROM ranges r
        UNION SELECT (SELECT p FROM (SELECT ${s.maxStep} AS p, MAX(${s.maxValue}) FROM ${s.table} WHERE ${inBucket})) FROM ranges r
      )
    SELECT m.step, m.time, m.value
    -- CROSS JOIN fixes the loop order: seek each pick, rather than scan the curve probing picks.
    FROM picks CROSS JOIN metrics m ON m.run_id = ?1 AND m.key = ?2 AND m.step = picks.step
    ORDER BY m.step`;
}

const REDUCE_RAW_SQL = reduceSql(RAW);
const REDUCE_BLOCKS_SQL = reduceSql(BLOCKS);

interface PointRow {
  step: number;
  time: number;
  value: number | null;
}

const toCurvePoint = (row: PointRow): CurvePoint => ({ step: row.step, time: row.time, value: row.value ?? NaN });

/** The curve for `key` in `range`: every point if there are at most maxPoints, else its M4 reduction (≤ maxPoints). */
export async function queryCurve(
  db: SqlQueries,
  runId: number,
  key: string,
  maxPoints: number,
  range: StepRange = {},
): Promise<CurvePoint[]> {
  // Fewer than 4 could not hold even one bucket's first, last, lowest and highest point.
  if (!(maxPoints >= 4)) throw new RangeError(`maxPoints must be ≥ 4, got ${maxPoints}`);
  const from = range.fromStep ?? Number.MIN_SAFE_INTEGER;
  const to = range.toStep ?? Number.MAX_SAFE_INTEGER;
  if (from > to) return [];
  const readAll = () =>
    db.all<PointRow>('SELECT step, time, value FROM metrics WHERE run_id = ? AND key = ? AND step >= ? AND step <= ? ORDER BY step', [
      runId,
      key,
      from,
      to,
    ]);
  if (maxPoints === Infinity) return (await readAll()).map(toCurvePoint);

  const limit = Math.floor(maxPoints);
  const counted = await db.get<{ n: number }>(
    'SELECT count(*) AS n FROM (SELECT 1 FROM metrics WHERE run_id = ? AND key = ? AND step >= ? AND step <= ? LIMIT ?)',
    [runId, key, from, to, limit + 1],
  );
  if ((counted?.n ?? 0) <= limit) return (await readAll()).map(toCurvePoint);

  // The range's first and last point (two seeks; MIN and MAX in one query would scan it), and
  // whether the blocks they fall in hold points outside the range (two more seeks).
  const ends = await db.get<{ lo: number | null; hi: number | null }>(
    `SELECT (SELECT step FROM metrics WHERE run_id = ?1 AND key = ?2 AND step >= ?3 AND step <= ?4 ORDER BY step LIMIT 1) AS lo,
            (SELECT step FROM metrics WHERE run_id = ?1 AND key = ?2 AND step >= ?3 AND step <= ?4 ORDER BY step DESC LIMIT 1) AS hi`,
    [runId, key, from, to],
  );
  // Null only if the curve was deleted since it was counted.
  if (ends?.lo == null || ends.hi == null) return [];
  const { lo, hi } = ends;
  // Without a range, lo and hi are the curve's own ends: nothing lies beyond them to check for.
  const outside =
    range.fromStep === undefined && range.toStep === undefined
      ? null
      : await db.get<{ before: number | null; after: number | null }>(
          `SELECT (SELECT 1 FROM metrics WHERE run_id = ?1 AND key = ?2 AND step >= ?3 AND step < ?4 LIMIT 1) AS before,
                  (SELECT 1 FROM metrics WHERE run_id = ?1 AND key = ?2 AND step > ?5 AND step < ?6 LIMIT 1) AS after`,
          [runId, key, blockOf(lo) * BLOCK_STEPS, lo, hi, (blockOf(hi) + 1) * BLOCK_STEPS],
        );

  // A block's summary stands for its points only if all of them lie in the range. The end blocks
  // that also hold points outside it become one bucket each, reduced from their points; the
  // whole blocks between them are cut into the remaining buckets on block edges.
  const buckets = Math.floor(limit / 4);
  const headCut = outside?.before != null;
  const tailCut = outside?.after != null;
  const firstWhole = blockOf(lo) + (headCut ? 1 : 0);
  const endWhole = blockOf(hi) + (tailCut ? 0 : 1);
  const wholeBuckets = buckets - (headCut ? 1 : 0) - (tailCut ? 1 : 0);
  const wholeBlocks = endWhole - firstWhole;
  // Summaries help once every bucket spans at least one whole block; below that, bucket edges
  // inside blocks need the points themselves (and the range spans < buckets·BLOCK_STEPS steps).
  if (wholeBuckets < 1 || wholeBlocks < wholeBuckets)
    return (await db.all<PointRow>(REDUCE_RAW_SQL, [runId, key, buckets, lo, hi - lo + 1])).map(toCurvePoint);

  const rows: PointRow[] = [];
  if (headCut) rows.push(...(await db.all<PointRow>(REDUCE_RAW_SQL, [runId, key, 1, lo, firstWhole * BLOCK_STEPS - lo])));
  rows.push(...(await db.all<PointRow>(REDUCE_BLOCKS_SQL, [runId, key, wholeBuckets, firstWhole, wholeBlocks])));
  if (tailCut) rows.push(...(await db.all<PointRow>(REDUCE_RAW_SQL, [runId, key, 1, endWhole * BLOCK_STEPS, hi - endWhole * BLOCK_STEPS + 1])));
  return rows.map(toCurvePoint);
}

/**
 * The run's metric keys, in natural order ('loss/level/2' before 'loss/level/10'). A recursive
 * CTE seeks from one key to the next in the primary key, instead of reading every point.
 */
export async function queryMetricKeys(db: SqlQueries, runId: number): Promise<string[]> {
  const rows = await db.all<{ key: string }>(
    `WITH RECURSIVE keys(key) AS (
       SELECT (SELECT key FROM metrics WHERE run_id = ?1 ORDER BY key LIMIT 1)
       UNION ALL
       SELECT (SELECT key FROM metrics WHERE run_id = ?1 AND key > keys.key ORDER BY key LIMIT 1) FROM keys WHERE keys.key IS NOT NULL
     )
     SELECT key FROM keys WHERE key IS NOT NULL`,
    [runId],
  );
  return rows.map((r) => r.key).sort(compareMetricKeys);
}
