/** Shared test fixtures: temporary folders and a config small enough to train in seconds. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExperimentConfigInput } from '../../src-shared/config';

/**
 * How long a test waits for a condition (a run to finish, a page to show a text) before it fails.
 * Long on purpose: CI runs the suite on a loaded 2-core machine (26 minutes there), and a wait
 * ends as soon as its condition holds, so only a failing test ever waits this long.
 */
export const PATIENCE_MS = 10 * 60_000;

export function tempDir(prefix = 'scorebench-test-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The default mixture with a tiny budget: enough to exercise every stage, not to fit well. */
export const TINY_CONFIG: ExperimentConfigInput = {
  seed: 1,
  data: { kind: 'gaussian-mixture', n: 500 },
  model: { kind: 'mlp', hidden: [16, 16] },
  train: { steps: 40, batchSize: 32, logEvery: 5 },
  sampler: { kind: 'annealed-langevin', n: 100, stepsPerLevel: 5 },
};
