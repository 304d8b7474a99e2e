/** The headless CLI on the built app: train to completion, list runs, print samples. */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { requireExperimentConfig } from '../../src-shared/config';
import { projectRoot } from '../../src-main/platform/paths';
import { openSqliteStore } from '../../src-main/store';
import { PATIENCE_MS, TINY_CONFIG, tempDir } from '../support/fixtures';

const tmp = tempDir();
after(() => tmp.cleanup());
const BIN = join(projectRoot(), 'bin', 'scorebench.js');

function scorebench(...args: string[]) {
  return scorebenchWith(process.env, ...args);
}

function scorebenchWith(env: NodeJS.ProcessEnv, ...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: PATIENCE_MS, env });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('train --json ends with one JSON summary line; runs lists it; samples prints one point per line', () => {
  const config = join(tmp.dir, 'tiny.json');
  writeFileSync(config, JSON.stringify(TINY_CONFIG));
  const db = join(tmp.dir, 'cli.sqlite');

  const trained = scorebench('train', config, '--db', db, '--json');
  assert.equal(trained.code, 0, trained.stderr);
  const summary = JSON.parse(trained.stdout.trim().split('\n').at(-1)!);
  for (const key of ['runId', 'status', 'backend', 'steps', 'trainSeconds', 'stepsPerSecond', 'metrics'])
    assert.ok(key in summary, `summary has ${key}`);
  assert.equal(summary.status, 'completed');
  assert.equal(summary.steps, 40);
  assert.ok(summary.stepsPerSecond > 0);
  assert.equal(summary.metrics.n, 100);
  assert.match(trained.stderr, /\d+%/, 'a progress bar on stderr');

  const runs = scorebench('runs', '--db', db);
  assert.equal(runs.code, 0, runs.stderr);
  assert.match(runs.stdout, new RegExp(`^${summary.runId}\\s+tiny #1\\s+completed`, 'm'));

  const samples = scorebench('samples', String(summary.runId), '--db', db, '--format', 'csv');
  assert.equal(samples.code, 0, samples.stderr);
  const lines = samples.stdout.trim().split('\n');
  assert.equal(lines.length, 100);
  assert.ok(lines.every((l) => /^-?[\d.e+-]+,-?[\d.e+-]+$/.test(l)), `csv lines like "${lines[0]}"`);
});

test('train refuses a bad config, names the field, and creates no database', () => {
  const config = join(tmp.dir, 'bad.json');
  writeFileSync(config, JSON.stringify({ train: { steps: 0, batchsize: 3 } }));
  const db = join(tmp.dir, 'never.sqlite');
  const result = scorebench('train', config, '--db', db);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /train\.steps: steps must be > 0/);
  assert.match(result.stderr, /train: unknown key\(s\): batchsize/);
  assert.equal(existsSync(db), false);
});

test("train refuses a data file outside the config's folder and the --data-dir folders, and creates no database", () => {
  const configDir = join(tmp.dir, 'configs');
  const dataDir = join(tmp.dir, 'shared-data');
  mkdirSync(configDir, { recursive: true });
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(join(dataDir, 'ring.csv'), '1,0\n0,1\n-1,0\n0,-1\n');
  const config = join(configDir, 'ring.json');
  writeFileSync(config, JSON.stringify({ ...TINY_CONFIG, data: { kind: 'csv', path: '../shared-data/ring.csv' }, train: { steps: 5, batchSize: 4 } }));
  const db = join(tmp.dir, 'scoped.sqlite');
  const refused = scorebench('train', config, '--db', db);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /data\.path: .*shared-data\/ring\.csv.*outside the folders this Scorebench may read data from/);
  assert.equal(existsSync(db), false);

  const allowed = scorebench('train', config, '--db', db, '--data-dir', dataDir, '--json');
  assert.equal(allowed.code, 0, allowed.stderr);
  assert.equal(JSON.parse(allowed.stdout.trim().split('\n').at(-1)!).status, 'completed');
});

// A database with more output than a pipe holds (64 KiB on Linux): 120 runs (`runs --json` ≈ 140 kB)
// and one run with 50,000 two-dimensional samples (≈ 600 kB of CSV). Made through the store, since
// what is tested is the writing, not the training.
const BIG_DB = join(tmp.dir, 'big.sqlite');
const BIG = { runs: 120, samples: 50_000, runId: 0 };
const TRICKY_NAME = '\x1b]0;pwned\x07evil\x1b[2J';
before(async () => {
  const store = await openSqliteStore(BIG_DB);
  const experiment = await store.createExperiment('big', requireExperimentConfig({}));
  for (let i = 0; i < BIG.runs - 1; i++) BIG.runId = (await store.createRun(experiment.id)).id;
  const tricky = await store.createExperiment(TRICKY_NAME, requireExperimentConfig({}));
  await store.createRun(tricky.id);
  const n = BIG.samples;
  // Values with a sign and a fraction, so a row cut short is visible: "-1.25,2.5".
  const points = Array.from({ length: n * 2 }, (_, i) => (i % 2 ? 1 : -1) * ((i % 13) + 0.25));
  await store.saveSampleSet({ runId: BIG.runId, label: 'final', n, dim: 2, points, metrics: { n } });
  await store.close();
});

/**
 * Runs the CLI with its stdout an OS pipe (as in a shell: `scorebench … | reader`; Node's own spawn()
 * pipes are socket pairs, which Node writes to synchronously, so they cannot show the bug). The pipe
 * leads to `reader` (a shell command), whose output comes here through a slow consumer: a pause after
 * every chunk, so the pipe stays full and the CLI must wait for it. Correct output does not depend on
 * the pace; a CLI that exits before stdout drains loses what the pipe did not hold.
 */
async function throughShellPipe(reader: string, ...args: string[]) {
  const codeFile = join(tmp.dir, `exit-code-${process.hrtime.bigint()}`);
  const script = `{ "$0" "$@"; echo $? > "$CODE_FILE"; } | ${reader}`;
  const child = spawn('/bin/sh', ['-c', script, process.execPath, BIN, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CODE_FILE: codeFile },
  });
  const stderr: Buffer[] = [];
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  const closed = once(child, 'close');
  const chunks: Buffer[] = [];
  for await (const chunk of child.stdout) {
    chunks.push(chunk as Buffer);
    await delay(2);
  }
  await closed;
  return {
    code: Number(readFileSync(codeFile, 'utf8')),
    stdout: Buffer.concat(chunks).toString('utf8'),
    stderr: Buffer.concat(stderr).toString('utf8'),
  };
}

test('samples and runs --json write all of their output through a pipe to a slow reader', async () => {
  const samples = await throughShellPipe('cat', 'samples', String(BIG.runId), '--db', BIG_DB);
  assert.equal(samples.code, 0, samples.stderr);
  assert.ok(samples.stdout.endsWith('\n'), 'ends with a complete line');
  const rows = samples.stdout.trimEnd().split('\n');
  assert.equal(rows.length, BIG.samples);
  assert.ok(
    rows.every((row) => /^-?[\d.]+,[\d.]+$/.test(row)),
    `every row has both coordinates; first bad: ${rows.find((row) => !/^-?[\d.]+,[\d.]+$/.test(row))}`,
  );

  const listed = await throughShellPipe('cat', 'runs', '--json', '--db', BIG_DB);
  assert.equal(listed.code, 0, listed.stderr);
  assert.ok(Buffer.byteLength(listed.stdout) > 2 * 65_536, `${Buffer.byteLength(listed.stdout)} bytes: more than a pipe holds`);
  assert.equal((JSON.parse(listed.stdout) as unknown[]).length, BIG.runs);
});

test('a reader that goes away ends the output quietly: no EPIPE error, the exit code as it would be', async () => {
  // `| head -c 100` reads a little and closes the pipe while the CLI still has most of 600 kB to write.
  const result = await throughShellPipe('head -c 100', 'samples', String(BIG.runId), '--db', BIG_DB);
  assert.equal(result.stdout.length, 100);
  assert.equal(result.stderr, '');
  assert.equal(result.code, 0);
});

test('runs prints control characters in run names as visible escapes, never raw to the terminal', () => {
  const result = scorebench('runs', '--db', BIG_DB);
  assert.equal(result.code, 0, result.stderr);
  const controls = [...result.stdout].filter((c) => (c < ' ' && c !== '\n') || c === '\x7f');
  assert.deepEqual(controls, [], 'no control character other than line breaks');
  assert.ok(result.stdout.includes('\\x1b]0;pwned\\x07evil\\x1b[2J #1'), result.stdout.split('\n').at(-2));
});

test('commands that only read refuse a database that does not exist (exit 2), and create none', () => {
  const typo = join(tmp.dir, 'typo.sqlite');
  for (const args of [['runs'], ['runs', '--json'], ['samples', '1'], ['resume', '1']]) {
    const result = scorebench(...args, '--db', typo);
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, /^scorebench: no database at .*typo\.sqlite/);
    assert.equal(existsSync(typo), false, `${args.join(' ')} created the database`);
  }
});

test('a config whose data file does not exist is bad input: exit 2, naming data.path, no database written', () => {
  const config = join(tmp.dir, 'missing-data.json');
  writeFileSync(config, JSON.stringify({ ...TINY_CONFIG, data: { kind: 'csv', path: 'not-there.csv' } }));
  const db = join(tmp.dir, 'missing-data.sqlite');
  const result = scorebench('train', config, '--db', db);
  assert.equal(result.code, 2, result.stderr);
  assert.match(result.stderr, /data\.path: .*not-there\.csv does not exist/);
  assert.equal(existsSync(db), false);
});

test('serve accepts only a decimal --port from 0 to 65535, and refuses anything else naming --port (exit 2)', () => {
  const db = join(tmp.dir, 'serve.sqlite');
  for (const port of ['abc', '0x50', '1e3', '', '-1', '65536', '80.5']) {
    const result = scorebench('serve', '--db', db, `--port=${port}`);
    assert.equal(result.code, 2, `--port ${JSON.stringify(port)}: ${result.stderr}`);
    assert.match(result.stderr, /^scorebench: --port must be a decimal number from 0 to 65535/);
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
    assert.equal(existsSync(db), false);
  }
});

test('train with no arguments, or an unknown option, is bad input (exit 2) and creates no user-data folder', () => {
  const home = join(tmp.dir, 'home');
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), APPDATA: join(home, 'AppData') };
  delete env.SCOREBENCH_DB;
  for (const args of [['train'], ['runs', '--no-such-option']]) {
    const result = scorebenchWith(env, ...args);
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
  }
  assert.equal(existsSync(home), false, 'nothing was created under HOME');
});

test('train reads a config with comments and trailing commas (JSONC) and names the run after the .jsonc file', () => {
  const config = join(tmp.dir, 'commented.jsonc');
  writeFileSync(config, `// a tiny run\n${JSON.stringify(TINY_CONFIG, null, 2).replace(/\n}$/, ', /* trailing comma */\n}')}`);
  const db = join(tmp.dir, 'jsonc.sqlite');
  const trained = scorebench('train', config, '--db', db, '--json');
  assert.equal(trained.code, 0, trained.stderr);
  assert.equal(JSON.parse(trained.stdout.trim().split('\n').at(-1)!).status, 'completed');
  assert.match(scorebench('runs', '--db', db).stdout, /^\d+\s+commented #1\s+completed/m);
});
