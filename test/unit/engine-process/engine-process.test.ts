/** The engine process as a host sees it: forked with structured-clone IPC, driven by protocol messages. */
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { requireExperimentConfig } from '../../../src-shared/config';
import type { EngineToHost, HostToEngine } from '../../../src-main/engine-process/protocol';
import { PATIENCE_MS } from '../../support/fixtures';

const ENTRY = join(__dirname, '../../../src-main/engine-process/main.ts');

class Engine {
  readonly messages: EngineToHost[] = [];
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;
  private waiters: (() => void)[] = [];

  constructor() {
    this.child = fork(ENTRY, [], { execArgv: ['--import', 'tsx'], serialization: 'advanced', stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    this.child.on('message', (m) => {
      this.messages.push(m as EngineToHost);
      this.waiters.splice(0).forEach((wake) => wake());
    });
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
  }

  send(message: HostToEngine): void {
    this.child.send(message);
  }

  /** The first message (from the start) matching `match`, waiting for it if need be. */
  async waitFor<T extends EngineToHost>(match: (m: EngineToHost) => m is T, timeoutMs = PATIENCE_MS): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`timed out; got ${JSON.stringify(this.messages.map((m) => m.type))}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }

  ofJob(jobId: number): EngineToHost[] {
    return this.messages.filter((m) => 'jobId' in m && m.jobId === jobId);
  }

  kill(): void {
    this.child.kill();
  }
}

const is =
  <K extends EngineToHost['type']>(type: K, jobId?: number) =>
  (m: EngineToHost): m is Extract<EngineToHost, { type: K }> =>
    m.type === type && (jobId === undefined || ('jobId' in m && m.jobId === jobId));

const TINY = requireExperimentConfig({
  seed: 1,
  data: { kind: 'gaussian-mixture', n: 300 },
  model: { kind: 'mlp', hidden: [8] },
  train: { steps: 30, batchSize: 16, logEvery: 10 },
  sampler: { kind: 'annealed-langevin', n: 20, stepsPerLevel: 2 },
});

const engines: Engine[] = [];
after(() => engines.forEach((e) => e.kill()));
const start = () => {
  const engine = new Engine();
  engines.push(engine);
  return engine;
};

test('the engine says ready with its backend, then runs jobs in order, stamping each event with its job id', async () => {
  const engine = start();
  const started = { type: 'start', config: TINY, baseDir: __dirname } as const;
  // Sent before 'ready': they must wait in the queue, not be lost.
  engine.send({ ...started, jobId: 1 });
  engine.send({ ...started, jobId: 2 });
  const ready = await engine.waitFor(is('ready'));
  assert.equal(ready.backend.package, '@tensorflow/tfjs');
  assert.ok(['wasm', 'cpu'].includes(ready.backend.name));
  await engine.waitFor(is('finished', 2));
  const one = engine.ofJob(1).map((m) => m.type);
  assert.deepEqual(one.filter((t) => t !== 'progress' && t !== 'metrics'), ['prepared', 'checkpoint', 'weights', 'samples', 'finished']);
  const samples = await engine.waitFor(is('samples', 1));
  assert.ok(samples.points instanceof Float32Array, 'Float32Array survives the structured clone');
  const firstOfTwo = engine.messages.findIndex((m) => 'jobId' in m && m.jobId === 2);
  const lastOfOne = engine.messages.findLastIndex((m) => 'jobId' in m && m.jobId === 1);
  assert.ok(lastOfOne < firstOfTwo, 'job 2 starts after job 1 ends');
  // The same seeded config on the same backend gives the same samples.
  assert.deepEqual((await engine.waitFor(is('samples', 2))).points, samples.points);
});

test('a bad config or a bad CSV fails its job with a message that names the problem', async () => {
  const engine = start();
  engine.send({ type: 'start', jobId: 7, config: { ...TINY, train: { ...TINY.train, steps: -1 } }, baseDir: __dirname });
  engine.send({ type: 'start', jobId: 8, config: { ...TINY, data: { kind: 'csv', path: 'missing.csv' } }, baseDir: __dirname });
  const bad = await engine.waitFor(is('failed', 7));
  assert.match(bad.error, /train\.steps: steps must be > 0/);
  assert.equal(bad.step, null);
  const missing = await engine.waitFor(is('failed', 8));
  assert.match(missing.error, /missing\.csv.*file not found/);
});

test('cancel stops the running job (weights still sent) and drops a queued one; shutdown then exits', async () => {
  const engine = start();
  const long = { ...TINY, train: { ...TINY.train, steps: 1_000_000 } };
  engine.send({ type: 'start', jobId: 1, config: long, baseDir: __dirname });
  engine.send({ type: 'start', jobId: 2, config: TINY, baseDir: __dirname });
  await engine.waitFor(is('progress', 1));
  engine.send({ type: 'cancel', jobId: 2 });
  const dropped = await engine.waitFor(is('finished', 2));
  assert.deepEqual([dropped.status, dropped.steps], ['cancelled', 0]);
  engine.send({ type: 'cancel', jobId: 1 });
  const cancelled = await engine.waitFor(is('finished', 1));
  assert.equal(cancelled.status, 'cancelled');
  assert.ok(cancelled.steps > 0 && cancelled.steps < 1_000_000);
  assert.equal((await engine.waitFor(is('weights', 1))).step, cancelled.steps);
  engine.send({ type: 'shutdown' });
  assert.equal(await engine.exited, 0);
});

test('shutdown during a job ends the job as cancelled before the process exits', async () => {
  const engine = start();
  engine.send({ type: 'start', jobId: 3, config: { ...TINY, train: { ...TINY.train, steps: 1_000_000 } }, baseDir: __dirname });
  await engine.waitFor(is('progress', 3));
  engine.send({ type: 'shutdown' });
  assert.equal(await engine.exited, 0);
  assert.equal(engine.messages.find(is('finished', 3))?.status, 'cancelled');
});
