/**
 * A sweep through the CLI: expanded, checked, run two at a time in two engine processes, and
 * carried through a kill of the whole host: after the restart every run completes, none is
 * lost or run twice.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createBackend } from '../../src-main/api/backend';
import { ApiError } from '../../src-shared/api';
import { projectRoot } from '../../src-main/platform/paths';
import { assertSoundDatabase, loggedSteps, queryFile, waitFor } from '../support/faults';
import { tempDir } from '../support/fixtures';

const tmp = tempDir();
after(() => tmp.cleanup());
const BIN = join(projectRoot(), 'bin', 'scorebench.js');

const STEPS = 150;
const LOG_EVERY = 5;
/** 3 learning rates × 2 schedules of tiny runs (few steps, few samples). */
const SWEEP = {
  name: 'tiny',
  base: {
    seed: 3,
    data: { kind: 'gaussian-mixture', n: 200 },
    model: { kind: 'mlp', hidden: [8] },
    train: { steps: STEPS, batchSize: 16, logEvery: LOG_EVERY, checkpointEvery: 25 },
    sampler: { kind: 'annealed-langevin', n: 50, stepsPerLevel: 2 },
  },
  axes: [
    { path: 'train.lr', range: { from: 1e-3, to: 1e-2, count: 3, scale: 'log' } },
    { path: 'schedule', values: [{ kind: 'geometric', levels: 5 }, { kind: 'linear', sigmaMax: 5, levels: 5 }] },
  ],
};

function scorebench(...args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 300_000 });
}

test('scorebench sweep: a 3 × 2 sweep at concurrency 2, its host killed midway, finishes every run once after `sweep --resume`', async () => {
  const dbPath = join(tmp.dir, 'sweep.sqlite');
  const file = join(tmp.dir, 'sweep.json');
  writeFileSync(file, JSON.stringify(SWEEP));
  const cli = spawn(process.execPath, [BIN, 'sweep', file, '--db', dbPath, '--concurrency', '2', '--json'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  cli.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => cli.on('exit', (_code, signal) => resolve(signal)));
  // Midway: a run has finished and two train side by side (one engine process each).
  const statuses = () => queryFile<{ id: number; status: string }>(dbPath, 'SELECT id, status FROM runs ORDER BY id').catch(() => []);
  await waitFor(
    'one run completed while two train',
    async () => {
      if (!existsSync(dbPath)) return undefined;
      const runs = await statuses();
      return runs.some((r) => r.status === 'completed') && runs.filter((r) => r.status === 'running').length === 2;
    },
    120_000,
  ).catch((err: Error) => {
    throw new Error(`${err.message}\n${stderr}`);
  });
  cli.kill('SIGKILL');
  assert.equal(await exited, 'SIGKILL');
  await assertSoundDatabase(dbPath);
  const left = await statuses();
  assert.equal(left.length, 6, 'every run of the sweep was created with it');
  assert.ok(left.some((r) => r.status !== 'completed'), 'the kill left runs to finish');
  assert.ok(stderr.includes('sweep 1: ') && /\d\/6 done, \d running/.test(stderr), stderr);

  const resumed = scorebench('sweep', '--resume', '1', '--db', dbPath, '--concurrency', '2', '--json');
  assert.equal(resumed.status, 0, resumed.stderr);
  const summary = JSON.parse(resumed.stdout.trim());
  // Never more than the concurrency asked for trained at once, before the kill or after.
  const running = [...(stderr + resumed.stderr).matchAll(/(\d+) running/g)].map((m) => Number(m[1]));
  assert.ok(running.length > 0 && Math.max(...running) === 2, `running counts: ${running.join(' ')}`);
  assert.deepEqual([summary.sweepId, summary.runs, summary.completed, summary.failed], [1, [1, 2, 3, 4, 5, 6], 6, 0]);

  // No run lost, none duplicated: the same six runs, each completed with every logged step once.
  const runs = await queryFile<{ id: number; status: string; steps: number; sweep_id: number }>(dbPath, 'SELECT id, status, steps, sweep_id FROM runs ORDER BY id');
  assert.deepEqual(runs.map((r) => [r.id, r.status, r.steps, r.sweep_id]), [1, 2, 3, 4, 5, 6].map((id) => [id, 'completed', STEPS, 1]));
  for (const { id } of runs) {
    const steps = await queryFile<{ step: number }>(dbPath, "SELECT step FROM metrics WHERE run_id = ? AND key = 'loss' ORDER BY step", [id]);
    assert.deepEqual(steps.map((r) => r.step), loggedSteps(STEPS, LOG_EVERY, STEPS), `run ${id}'s loss curve`);
    const finals = await queryFile<{ n: number }>(dbPath, "SELECT count(*) AS n FROM sample_sets WHERE run_id = ? AND label = 'final'", [id]);
    assert.equal(finals[0].n, 1, `run ${id} sampled once`);
  }
  const listed = scorebench('runs', '--db', dbPath, '--sweep', '1', '--json');
  assert.equal(listed.status, 0, listed.stderr);
  const configs = (JSON.parse(listed.stdout) as { config: { train: { lr: number }; schedule: { kind: string } } }[]).map((r) => [r.config.train.lr, r.config.schedule.kind]);
  assert.equal(configs.length, 6);
  assert.deepEqual(new Set(configs.map(([, kind]) => kind)), new Set(['geometric', 'linear']));
  await assertSoundDatabase(dbPath);
});

test('scorebench sweep: a bad sweep exits 2 naming the axis, the value and the field, and writes nothing', () => {
  const dbPath = join(tmp.dir, 'never.sqlite');
  const file = join(tmp.dir, 'bad.json');
  writeFileSync(file, JSON.stringify({ ...SWEEP, axes: [{ path: 'train.lr', values: [0.001, 3] }] }));
  const result = scorebench('sweep', file, '--db', dbPath);
  assert.equal(result.status, 2);
  assert.equal(result.stdout, '');
  assert.match(result.stderr, /axes\[0\] \(train\.lr\) = 3: train\.lr: lr must be ≤ 1/);
  assert.equal(existsSync(dbPath), false);
  const zero = scorebench('sweep', file, '--db', dbPath, '--concurrency', '0');
  assert.equal(zero.status, 2);
  assert.match(zero.stderr, /--concurrency must be a whole number from 1 to 64/);
  assert.equal(existsSync(dbPath), false);
});

test('a sweep is paused and cancelled as a group: training runs stop at a checkpoint, waiting ones never start; resumeSweep finishes the paused', async () => {
  const backend = await createBackend({ dbPath: join(tmp.dir, 'group.sqlite') });
  try {
    const long = { ...SWEEP, base: { ...SWEEP.base, train: { ...SWEEP.base.train, steps: 1_000_000 } }, axes: [{ path: 'seed', values: [1, 2, 3] }] };
    const { sweep, runs } = await backend.call('createSweep', { document: long, concurrency: 1 });
    assert.deepEqual(runs.map((r) => r.status), ['queued', 'queued', 'queued']);
    await waitFor('the first run to pass a checkpoint', async () => ((await backend.call('getCheckpointInfo', { runId: runs[0].id }))?.step ?? 0) >= 25);
    const paused = await backend.call('pauseSweep', { sweepId: sweep.id });
    await backend.runs.whenSettled(runs[0].id);
    const after = await backend.call('listRuns', { sweepId: sweep.id });
    assert.deepEqual(after.map((r) => [r.id, r.status]).reverse(), runs.map((r) => [r.id, 'paused']));
    assert.deepEqual(paused.slice(1).map((r) => [r.status, r.steps]), [['paused', 0], ['paused', 0]]);
    const checkpoint = (await backend.call('getCheckpointInfo', { runId: runs[0].id }))!.step;

    // Resumed, the first run goes on from its checkpoint while the others wait their turn; then all are cancelled.
    const resumed = await backend.call('resumeSweep', { sweepId: sweep.id, concurrency: 1 });
    assert.deepEqual(resumed.map((r) => r.status), ['queued', 'queued', 'queued']);
    await waitFor('the first run to train past its checkpoint', async () => (await backend.call('getRun', { runId: runs[0].id })).steps > checkpoint);
    const cancelled = await backend.call('cancelSweep', { sweepId: sweep.id });
    assert.deepEqual(cancelled.slice(1).map((r) => r.status), ['cancelled', 'cancelled']);
    await backend.runs.whenSettled(runs[0].id);
    assert.equal((await backend.call('getRun', { runId: runs[0].id })).status, 'cancelled');
    assert.equal((await backend.call('getRun', { runId: runs[2].id })).startedAt, null, 'a waiting run never started');

    await assert.rejects(backend.call('createSweep', { document: { axes: [{ path: 'train.lr', values: [2] }] } }), (err: unknown) => {
      assert.ok(err instanceof ApiError && err.code === 'invalid-config');
      assert.deepEqual(err.issues, [{ field: 'axes[0] (train.lr) = 2', message: 'train.lr: lr must be ≤ 1' }]);
      return true;
    });
    assert.equal((await backend.call('listSweeps', {})).length, 1, 'a refused sweep stores nothing');
  } finally {
    await backend.close();
  }
});

test('a host that closes mid-sweep pauses the sweep: its runs resume with the next host, none cancelled', async () => {
  const dbPath = join(tmp.dir, 'close.sqlite');
  const long = { ...SWEEP, base: { ...SWEEP.base, train: { ...SWEEP.base.train, steps: 1_000_000 } }, axes: [{ path: 'seed', values: [1, 2] }] };
  const first = await createBackend({ dbPath });
  const { sweep, runs } = await first.call('createSweep', { document: long, concurrency: 1 });
  await waitFor('the first run to train', async () => (await first.call('getRun', { runId: runs[0].id })).steps > 0);
  await first.close();
  const second = await createBackend({ dbPath });
  try {
    const left = await second.call('listRuns', { sweepId: sweep.id });
    assert.deepEqual(left.map((r) => r.status), ['paused', 'paused']);
    const resumed = await second.call('resumeSweep', { sweepId: sweep.id, concurrency: 1 });
    assert.deepEqual(resumed.map((r) => r.status), ['queued', 'queued']);
    await second.call('cancelSweep', { sweepId: sweep.id });
  } finally {
    await second.close();
  }
});
