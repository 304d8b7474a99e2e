/** The headless CLI on the built app: train to completion, list runs, print samples. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { projectRoot } from '../../src-main/platform/paths';
import { PATIENCE_MS, TINY_CONFIG, tempDir } from '../support/fixtures';

const tmp = tempDir();
after(() => tmp.cleanup());
const BIN = join(projectRoot(), 'bin', 'scorebench.js');

function scorebench(...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: PATIENCE_MS });
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
