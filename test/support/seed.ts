/**
 * A database of real runs for the end-to-end tests: each config is trained through the CLI
 * (`scorebench train`), on the same engine, store and handlers as the app, so the rows are what
 * the engine writes, not hand-made.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ExperimentConfigInput } from '../../src-shared/config';
import { projectRoot } from '../../src-main/platform/paths';
import { PATIENCE_MS } from './fixtures';

const run = promisify(execFile);

export interface SeedRun {
  name: string;
  config: ExperimentConfigInput;
}

export interface SeededRun {
  name: string;
  runId: number;
  status: string;
  exitCode: number;
}

/** Trains each config into `dbPath`, one after another (the ids follow the order). */
export async function seedDatabase(dir: string, dbPath: string, runs: readonly SeedRun[]): Promise<SeededRun[]> {
  const seeded: SeededRun[] = [];
  for (const [i, spec] of runs.entries()) {
    const file = join(dir, `seed-${i}.json`);
    writeFileSync(file, JSON.stringify(spec.config));
    const args = [join(projectRoot(), 'bin', 'scorebench.js'), 'train', file, '--db', dbPath, '--name', spec.name, '--json'];
    let stdout: string;
    let exitCode = 0;
    try {
      ({ stdout } = await run(process.execPath, args, { timeout: PATIENCE_MS }));
    } catch (err) {
      // A run that fails exits 1 and still prints its summary.
      const failed = err as { stdout?: string; code?: number };
      if (typeof failed.code !== 'number' || !failed.stdout) throw err;
      stdout = failed.stdout;
      exitCode = failed.code;
    }
    const summary = JSON.parse(stdout.trim().split('\n').at(-1)!) as { runId: number; status: string };
    seeded.push({ name: spec.name, runId: summary.runId, status: summary.status, exitCode });
  }
  return seeded;
}
