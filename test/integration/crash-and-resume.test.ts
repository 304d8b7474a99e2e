/**
 * Runs survive faults: the engine or the whole host killed mid-training, parameters turned NaN.
 * Each test reproduces the fault on the real engine process and database, then checks what was
 * kept and that "resume" goes on from the last checkpoint on the same curve.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createBackend, type Backend } from '../../src-main/api/backend';
import type { ExperimentConfigInput } from '../../src-shared/config';
import { projectRoot } from '../../src-main/platform/paths';
import { ABANDONED_RUN_ERROR } from '../../src-main/store';
import { BLOCK_STEPS } from '../../src-main/store/sqlite/metrics';
import { assertBlocksMatchPoints, assertSoundDatabase, loggedSteps, queryFile, tappedEngine, waitFor } from '../support/faults';
import { PATIENCE_MS, tempDir } from '../support/fixtures';

const tmp = tempDir();
after(() => tmp.cleanup());
const BIN = join(projectRoot(), 'bin', 'scorebench.js');

/** Trains until stopped: a constant rate, so a run cut short and resumed can be compared with one trained straight through. */
const LONG = {
  seed: 2,
  data: { kind: 'gaussian-mixture', n: 500 },
  model: { kind: 'mlp', hidden: [16, 16] },
  train: { steps: 1_000_000, batchSize: 32, logEvery: 5, checkpointEvery: 50, lrSchedule: 'constant' },
  sampler: { kind: 'annealed-langevin', n: 100, stepsPerLevel: 5 },
} satisfies ExperimentConfigInput;

const withSteps = (steps: number): ExperimentConfigInput => ({ ...LONG, train: { ...LONG.train, steps } });

async function checkpointPast(backend: Backend, runId: number, step: number) {
  return waitFor(`a checkpoint past step ${step}`, async () => {
    const info = await backend.call('getCheckpointInfo', { runId });
    return info !== null && info.step >= step ? info : undefined;
  });
}

/** Every curve of a run, at full resolution, as [step, value] pairs. */
async function curvesOf(backend: Backend, runId: number): Promise<Map<string, [number, number][]>> {
  const keys = await backend.call('listMetricKeys', { runId });
  const curves = await backend.call('getCurves', { runIds: [runId], keys, maxPoints: 100_000 });
  return new Map(curves.map((c) => [c.key, c.points.map((p): [number, number] => [p.step, p.value])]));
}

test('SIGKILL of the engine mid-training: the run is interrupted, every point it sent is kept, and resume goes on from the checkpoint on the same curve', async () => {
  const { factory, tap } = tappedEngine();
  const backend = await createBackend({ dbPath: join(tmp.dir, 'engine-kill.sqlite'), createEngineChannel: factory });
  try {
    const experiment = await backend.call('createExperiment', { name: 'killed', config: LONG });
    const run = await backend.call('startRun', { experimentId: experiment.id });
    await checkpointPast(backend, run.id, 100);
    process.kill(backend.engine.pid!, 'SIGKILL');
    await backend.runs.whenSettled(run.id);

    const killed = await backend.call('getRun', { runId: run.id });
    assert.equal(killed.status, 'interrupted');
    assert.match(killed.error ?? '', /killed by SIGKILL/);
    // Every point the engine sent before it died is in the store, exactly.
    const stored = await curvesOf(backend, run.id);
    const sent = tap.pointsOf(run.id);
    assert.deepEqual([...stored.keys()].sort(), [...sent.keys()].sort());
    for (const [key, points] of sent)
      assert.deepEqual(
        stored.get(key),
        points.map((p) => [p.step, p.value]),
        key,
      );
    const checkpoint = (await backend.call('getCheckpointInfo', { runId: run.id }))!;
    assert.equal(checkpoint.step % 50, 0);
    assert.ok(killed.steps >= checkpoint.step, 'the points up to the checkpoint were sent before it');

    const total = checkpoint.step + 60;
    const resumed = await backend.call('resumeRun', { runId: run.id, overrides: { train: { steps: total } } });
    assert.deepEqual([resumed.status, resumed.steps, resumed.totalSteps], ['queued', checkpoint.step, total]);
    await backend.runs.whenSettled(run.id);
    const done = await backend.call('getRun', { runId: run.id });
    assert.equal(done.status, 'completed', done.error ?? '');
    assert.deepEqual([done.steps, done.error, done.metrics?.n], [total, null, 100]);

    // The same config trained straight through to `total` logs the same curves, point for point:
    // weights, Adam state and random streams were restored exactly.
    const straight = await backend.call('createExperiment', { name: 'straight', config: withSteps(total) });
    const reference = await backend.call('startRun', { experimentId: straight.id });
    await backend.runs.whenSettled(reference.id);
    const expected = await curvesOf(backend, reference.id);
    const actual = await curvesOf(backend, run.id);
    assert.deepEqual(
      actual.get('loss')!.map(([step]) => step),
      loggedSteps(total, 5, total),
    );
    assert.deepEqual(actual, expected);
  } finally {
    await backend.close();
  }
});

/**
 * Starts `scorebench train` on LONG through `launcher` (node itself, or a wrapper such as unshare),
 * and resolves once its run 1 has a checkpoint at `minStep` or later, read by a second connection
 * while the CLI writes, as the UI would.
 */
async function trainInCli(dbPath: string, launcher: string[], minStep: number) {
  const configPath = `${dbPath}.config.json`;
  writeFileSync(configPath, JSON.stringify(LONG));
  const [command, ...args] = [...launcher, process.execPath, BIN, 'train', configPath, '--db', dbPath, '--json'];
  const cli = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  cli.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => cli.on('exit', (_code, signal) => resolve(signal)));
  const checkpointStep = await waitFor(
    'the CLI run to pass a checkpoint',
    async () => {
      if (!existsSync(dbPath)) return undefined;
      const rows = await queryFile<{ step: number }>(dbPath, 'SELECT step FROM checkpoints WHERE run_id = 1').catch(() => []);
      return rows[0]?.step >= minStep ? rows[0].step : undefined;
    },
    PATIENCE_MS,
  ).catch((err: Error) => {
    throw new Error(`${err.message}\n${stderr}`);
  });
  return { cli, exited, checkpointStep };
}

test('SIGKILL of the whole host mid-run: the database opens cleanly, the run is interrupted at the next start, nothing is half-written, and `scorebench resume` finishes it', async () => {
  const dbPath = join(tmp.dir, 'host-kill.sqlite');
  const { cli, exited, checkpointStep } = await trainInCli(dbPath, [], 150);
  cli.kill('SIGKILL');
  assert.equal(await exited, 'SIGKILL');

  await assertSoundDatabase(dbPath);
  const [left] = await queryFile<{ status: string }>(dbPath, 'SELECT status FROM runs WHERE id = 1');
  assert.equal(left.status, 'running', 'nobody was left to record the end');
  await assertBlocksMatchPoints(dbPath, 1, BLOCK_STEPS);

  const backend = await createBackend({ dbPath });
  let total: number;
  try {
    assert.deepEqual(backend.interruptedAtStart, [1]);
    const run = await backend.call('getRun', { runId: 1 });
    assert.deepEqual([run.status, run.error], ['interrupted', ABANDONED_RUN_ERROR]);
    // The loss curve has every logged step up to the last one stored: no gaps, no torn batch.
    const loss = (await curvesOf(backend, 1)).get('loss')!;
    assert.deepEqual(
      loss.map(([step]) => step),
      loggedSteps(loss.at(-1)![0], 5),
    );
    assert.ok(loss.every(([, value]) => Number.isFinite(value)));
    const checkpoint = (await backend.store.getCheckpoint(1))!;
    assert.ok(checkpoint.step >= checkpointStep && checkpoint.step <= loss.at(-1)![0]);
    assert.deepEqual(
      checkpoint.weights.map((t) => t.shape),
      [[3, 16], [16], [16, 16], [16], [16, 2], [2]],
    );
    assert.ok([...checkpoint.weights, ...checkpoint.optimizer].every((t) => t.data.every(Number.isFinite)));
    total = checkpoint.step + 40;
  } finally {
    await backend.close();
  }

  const resumed = spawnSync(process.execPath, [BIN, 'resume', '1', '--db', dbPath, '--steps', String(total), '--json'], {
    encoding: 'utf8',
    timeout: PATIENCE_MS,
  });
  assert.equal(resumed.status, 0, resumed.stderr);
  const summary = JSON.parse(resumed.stdout.trim().split('\n').at(-1)!);
  assert.deepEqual([summary.runId, summary.status, summary.steps], [1, 'completed', total]);
  const steps = await queryFile<{ step: number }>(dbPath, "SELECT step FROM metrics WHERE run_id = 1 AND key = 'loss' ORDER BY step");
  assert.deepEqual(
    steps.map((r) => r.step),
    loggedSteps(total, 5, total),
  );
  await assertBlocksMatchPoints(dbPath, 1, BLOCK_STEPS);
  await assertSoundDatabase(dbPath);
});

test('Ctrl-C in `scorebench train` pauses the run at a checkpoint: exit code 130, the run paused where its checkpoint is', async () => {
  const dbPath = join(tmp.dir, 'ctrl-c.sqlite');
  const { cli, exited } = await trainInCli(dbPath, [], 50);
  const code = new Promise<number | null>((resolve) => cli.on('exit', (c) => resolve(c)));
  cli.kill('SIGINT');
  await exited;
  assert.equal(await code, 130);
  const [run] = await queryFile<{ status: string; steps: number }>(dbPath, 'SELECT status, steps FROM runs WHERE id = 1');
  const [checkpoint] = await queryFile<{ step: number }>(dbPath, 'SELECT step FROM checkpoints WHERE run_id = 1');
  assert.deepEqual([run.status, run.steps], ['paused', checkpoint.step], 'paused at the step of its checkpoint');
});

/**
 * `unshare` runs a command as pid 1 of a new pid namespace, as a container does; with --kill-child
 * the command dies with unshare. Needs root (or user namespaces), which a test machine may lack.
 */
const NAMESPACE = ['--pid', '--fork', '--mount-proc', '--kill-child'];
const noNamespaces = ((): string | false => {
  const probe = spawnSync('unshare', [...NAMESPACE, 'true'], { encoding: 'utf8' });
  if (probe.error) return `unshare is unavailable (${probe.error.message})`;
  return probe.status === 0 ? false : `unshare cannot make a pid namespace here: ${probe.stderr.trim()}`;
})();

test(
  'a host killed as pid 1 of its own pid namespace (a container): its run is refused alike while it lives, and interrupted at the next start made the same way',
  { skip: noNamespaces },
  async () => {
    const dbPath = join(tmp.dir, 'namespace-kill.sqlite');
    const { cli: host, exited } = await trainInCli(dbPath, ['unshare', ...NAMESPACE], 50);

    // An app opened beside it leaves the live run alone, and says the same whatever it is asked.
    const beside = await createBackend({ dbPath });
    try {
      assert.deepEqual(beside.interruptedAtStart, []);
      const refusal = 'run 1 is running in another Scorebench process: cancel or pause it there, or wait for it to end';
      for (const method of ['cancelRun', 'resumeRun', 'deleteRun'] as const)
        await assert.rejects(beside.call(method, { runId: 1 }), { message: refusal }, method);
    } finally {
      await beside.close();
    }

    host.kill('SIGKILL');
    await exited;
    const [left] = await queryFile<{ status: string }>(dbPath, 'SELECT status FROM runs WHERE id = 1');
    assert.equal(left.status, 'running', 'nobody was left to record the end');

    // Restarted the same way, the new host is pid 1 too: a pid would call the dead owner alive.
    const listed = spawnSync('unshare', [...NAMESPACE, process.execPath, BIN, 'runs', '--db', dbPath, '--json'], {
      encoding: 'utf8',
      timeout: PATIENCE_MS,
    });
    assert.equal(listed.status, 0, listed.stderr);
    const [run] = JSON.parse(listed.stdout) as { id: number; status: string; error: string | null }[];
    assert.deepEqual([run.id, run.status, run.error], [1, 'interrupted', ABANDONED_RUN_ERROR]);
  },
);

test('NaN parameters stop the run as failed with the step and the reason; the last good checkpoint is kept and resumes with other settings', async () => {
  let damage = false;
  // The engine is handed a checkpoint whose first weight matrix is NaN, as if training had diverged.
  const { factory } = tappedEngine((m) =>
    damage && m.type === 'start' && m.resume
      ? { ...m, resume: { ...m.resume, weights: m.resume.weights.map((t, i) => (i === 0 ? { ...t, data: t.data.map(() => NaN) } : t)) } }
      : m,
  );
  const backend = await createBackend({ dbPath: join(tmp.dir, 'nan.sqlite'), createEngineChannel: factory });
  try {
    const experiment = await backend.call('createExperiment', { name: 'nan', config: LONG });
    const run = await backend.call('startRun', { experimentId: experiment.id });
    await checkpointPast(backend, run.id, 50);
    await backend.call('cancelRun', { runId: run.id });
    await backend.runs.whenSettled(run.id);
    assert.equal((await backend.call('getRun', { runId: run.id })).status, 'cancelled');
    const good = (await backend.store.getCheckpoint(run.id))!;

    damage = true;
    await backend.call('resumeRun', { runId: run.id, overrides: { train: { steps: good.step + 40 } } });
    await backend.runs.whenSettled(run.id);
    const failed = await backend.call('getRun', { runId: run.id });
    assert.equal(failed.status, 'failed');
    const [, step] = /^step (\d+): training diverged: the loss is NaN at step \1$/.exec(failed.error ?? '') ?? [];
    assert.ok(step && Number(step) > good.step && Number(step) <= good.step + 5, `error: ${failed.error}`);
    assert.deepEqual(await backend.store.getCheckpoint(run.id), good, 'the last good checkpoint is kept');

    damage = false;
    const calmer = await backend.call('resumeRun', { runId: run.id, overrides: { train: { steps: good.step + 40, lr: 1e-3 } } });
    assert.equal(calmer.config.train.lr, 1e-3);
    await backend.runs.whenSettled(run.id);
    const done = await backend.call('getRun', { runId: run.id });
    assert.deepEqual([done.status, done.steps, done.error], ['completed', good.step + 40, null]);
    const loss = (await curvesOf(backend, run.id)).get('loss')!;
    assert.deepEqual(
      loss.map(([s]) => s),
      loggedSteps(good.step + 40, 5, good.step + 40),
    );
    assert.ok(loss.every(([, value]) => Number.isFinite(value)), 'the NaN points of the failed attempt were replaced');
  } finally {
    await backend.close();
  }
});

test('resume refuses what it cannot do, naming the reason, and changes nothing', async () => {
  const dbPath = join(tmp.dir, 'refusals.sqlite');
  const backend = await createBackend({ dbPath });
  try {
    const experiment = await backend.call('createExperiment', { name: 'short', config: withSteps(30) });
    const run = await backend.call('startRun', { experimentId: experiment.id });
    await backend.runs.whenSettled(run.id);
    await assert.rejects(backend.call('resumeRun', { runId: run.id }), /run \d+ has completed: there is nothing to resume/);
    await assert.rejects(backend.call('resumeRun', { runId: 999 }), /run 999 does not exist/);
    await assert.rejects(
      backend.call('resumeRun', { runId: run.id, overrides: { model: { kind: 'mlp' } } } as never),
      /overrides: unknown key\(s\): model/,
    );

    const long = await backend.call('createExperiment', { name: 'long', config: LONG });
    const live = await backend.call('startRun', { experimentId: long.id });
    await assert.rejects(backend.call('resumeRun', { runId: live.id }), /already training/);
    await checkpointPast(backend, live.id, 100);
    await backend.call('cancelRun', { runId: live.id });
    await backend.runs.whenSettled(live.id);
    const before = await backend.call('getRun', { runId: live.id });
    await assert.rejects(
      backend.call('resumeRun', { runId: live.id, overrides: { train: { lr: -1, bogus: 1 } } }),
      (err: Error & { issues?: { field: string }[] }) =>
        /train\.lr: lr must be > 0/.test(err.message) && err.issues?.some((i) => i.field === 'train') === true,
    );
    await assert.rejects(
      backend.call('resumeRun', { runId: live.id, overrides: { train: { steps: 10 } } }),
      /train\.steps: must be ≥ \d+, the step the run's checkpoint was taken at/,
    );
    assert.deepEqual(await backend.call('getRun', { runId: live.id }), before);
  } finally {
    await backend.close();
  }
});
