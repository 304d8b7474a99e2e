/**
 * Helpers for the fault tests: watching what the engine sends, waiting for a condition, and
 * looking at a database file behind the store's back.
 */
import { forkNodeEngine, type EngineChannelFactory } from '../../src-main/engine-process/channel';
import type { EngineToHost, HostToEngine } from '../../src-main/engine-process/protocol';
import type { MetricPoint } from '../../src-main/engine/types';
import { openSqlite3Database } from '../../src-main/store/sqlite/sqlite3-driver';

/** What crossed between the host and its engine processes, in order. */
export interface EngineTap {
  received: EngineToHost[];
  sent: HostToEngine[];
  /** Every metric point the host received for a job, by key. */
  pointsOf(jobId: number): Map<string, MetricPoint[]>;
}

/**
 * A Node engine channel that records every message, and lets `rewrite` change what the host
 * sends (to hand the engine a damaged checkpoint, say).
 */
export function tappedEngine(rewrite: (message: HostToEngine) => HostToEngine = (m) => m): { factory: EngineChannelFactory; tap: EngineTap } {
  const tap: EngineTap = {
    received: [],
    sent: [],
    pointsOf(jobId) {
      const byKey = new Map<string, MetricPoint[]>();
      for (const m of this.received)
        if (m.type === 'metrics' && m.jobId === jobId)
          for (const p of m.points) byKey.set(p.key, [...(byKey.get(p.key) ?? []), p]);
      return byKey;
    },
  };
  const factory: EngineChannelFactory = (entry) => {
    const channel = forkNodeEngine(entry);
    channel.onMessage((m) => tap.received.push(m));
    return {
      send: (message) => {
        const changed = rewrite(message);
        tap.sent.push(changed);
        channel.send(changed);
      },
      onMessage: (listener) => channel.onMessage(listener),
      onExit: (listener) => channel.onExit(listener),
      kill: () => channel.kill(),
      get pid() {
        return channel.pid;
      },
    };
  };
  return { factory, tap };
}

/** Polls `check` until it returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Runs read-only queries on a plain connection of its own. */
export async function queryFile<T>(file: string, sql: string, params: (string | number)[] = []): Promise<T[]> {
  const db = await openSqlite3Database(file);
  try {
    return await db.all<T>(sql, params);
  } finally {
    await db.close();
  }
}

/** SQLite's own checks: the file is well formed and no row points at a missing parent. */
export async function assertSoundDatabase(file: string): Promise<void> {
  const integrity = await queryFile<{ integrity_check: string }>(file, 'PRAGMA integrity_check');
  if (integrity.map((r) => r.integrity_check).join('\n') !== 'ok')
    throw new Error(`integrity_check: ${JSON.stringify(integrity)}`);
  const orphans = await queryFile(file, 'PRAGMA foreign_key_check');
  if (orphans.length > 0) throw new Error(`foreign_key_check: ${JSON.stringify(orphans)}`);
}

/** The steps a run logs its loss at, up to `last`: step 1, every `logEvery`-th, and `last` itself when it ends there. */
export function loggedSteps(last: number, logEvery: number, finalStep?: number): number[] {
  const steps = new Set<number>([1]);
  for (let s = logEvery; s <= last; s += logEvery) steps.add(s);
  if (finalStep !== undefined && finalStep <= last) steps.add(finalStep);
  return [...steps].sort((a, b) => a - b);
}

/**
 * The derived block summaries agree with the points they summarise: every block of points has
 * its summary row, and each summary's first and last step are its points' (none half-written).
 */
export async function assertBlocksMatchPoints(file: string, runId: number, blockSteps: number): Promise<void> {
  const mismatched = await queryFile<{ key: string; block: number }>(
    file,
    `WITH actual AS (
       SELECT key, step / ?2 AS block, min(step) AS first_step, max(step) AS last_step
       FROM metrics WHERE run_id = ?1 GROUP BY key, step / ?2
     )
     SELECT a.key, a.block FROM actual a
     LEFT JOIN metric_blocks b ON b.run_id = ?1 AND b.key = a.key AND b.block = a.block
     WHERE b.block IS NULL OR b.first_step != a.first_step OR b.last_step != a.last_step
     UNION ALL
     SELECT b.key, b.block FROM metric_blocks b
     WHERE b.run_id = ?1 AND NOT EXISTS (SELECT 1 FROM actual a WHERE a.key = b.key AND a.block = b.block)`,
    [runId, blockSteps],
  );
  if (mismatched.length > 0) throw new Error(`block summaries out of step with their points: ${JSON.stringify(mismatched.slice(0, 5))}`);
}
