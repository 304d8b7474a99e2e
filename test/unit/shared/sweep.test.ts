import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { projectRoot } from '../../../src-main/platform/paths';
import { axisValues, expandSweep, formatSweepIssues, type ExpandedSweep, type SweepIssue } from '../../../src-shared/sweep';

function expanded(doc: unknown): ExpandedSweep {
  const result = expandSweep(doc);
  if (!result.ok) assert.fail(formatSweepIssues(result.issues));
  return result.sweep;
}

function issuesOf(doc: unknown): SweepIssue[] {
  const result = expandSweep(doc);
  assert.equal(result.ok, false, 'the sweep should be refused');
  return result.ok ? [] : result.issues;
}

test('sweep: a grid gives every combination, first axis outermost, each repeated `seeds` times with seeds seed, seed + 1', () => {
  const sweep = expanded({
    base: { seed: 7, train: { steps: 10 } },
    axes: [
      { path: 'train.lr', values: [0.001, 0.01] },
      { path: 'model.hidden', values: [[8], [16, 16], [32]] },
    ],
    seeds: 2,
  });
  assert.equal(sweep.configs.length, 2 * 3 * 2);
  assert.deepEqual(
    sweep.configs.map((c) => [c.train.lr, c.model.kind === 'mlp' ? c.model.hidden : null, c.seed]),
    [0.001, 0.01].flatMap((lr) => [[8], [16, 16], [32]].flatMap((hidden) => [7, 8].map((seed) => [lr, hidden, seed]))),
  );
  // The base's other fields stay; defaults are filled.
  assert.ok(sweep.configs.every((c) => c.train.steps === 10 && c.schedule.kind === 'geometric'));
  assert.equal(sweep.names[0], 'lr=0.001 hidden=[8] seed=7');
  assert.equal(sweep.names.length, sweep.configs.length);
});

test('sweep: zip pairs the i-th values of every axis; axes of unequal length are refused', () => {
  const sweep = expanded({
    combine: 'zip',
    axes: [
      { path: 'train.lr', values: [0.001, 0.002, 0.003] },
      { path: 'train.steps', values: [10, 20, 30] },
    ],
  });
  assert.deepEqual(sweep.configs.map((c) => [c.train.lr, c.train.steps]), [[0.001, 10], [0.002, 20], [0.003, 30]]);
  const [issue] = issuesOf({ combine: 'zip', axes: [{ path: 'train.lr', values: [0.1, 0.2] }, { path: 'train.steps', values: [1] }] });
  assert.match(issue.message, /axes\[0\] has 2 values, axes\[1\] has 1/);
});

test('sweep: a log range has equal ratios between neighbours, from and to included; a linear one equal differences', () => {
  const log = axisValues({ path: 'train.lr', range: { from: 1e-4, to: 1e-1, count: 4, scale: 'log', integer: false } }, 0, 0) as number[];
  // from·(to/from)^(i/3) = 1e-4, 1e-3, 1e-2, 1e-1.
  [1e-4, 1e-3, 1e-2, 1e-1].forEach((want, i) => assert.ok(Math.abs(log[i] / want - 1) < 1e-12, `${log[i]} vs ${want}`));
  const linear = axisValues({ path: 'train.steps', range: { from: 10, to: 40, count: 4, scale: 'linear', integer: true } }, 0, 0);
  assert.deepEqual(linear, [10, 20, 30, 40]);
  assert.match(issuesOf({ axes: [{ path: 'train.lr', range: { from: 0, to: 1, count: 3, scale: 'log' } }] })[0].message, /log range needs from > 0/);
});

test('sweep: random draws are the same for the same seed, differ for another, and lie in [min, max]', () => {
  const doc = (seed: number) => ({ seed, axes: [{ path: 'train.lr', random: { distribution: 'log-uniform', min: 1e-4, max: 1e-2, count: 5 } }] });
  const a = expanded(doc(1)).configs.map((c) => c.train.lr);
  assert.deepEqual(expanded(doc(1)).configs.map((c) => c.train.lr), a);
  assert.notDeepEqual(expanded(doc(2)).configs.map((c) => c.train.lr), a);
  assert.ok(a.every((lr) => lr >= 1e-4 && lr <= 1e-2));
  assert.equal(new Set(a).size, 5);
  const ints = expanded({ axes: [{ path: 'train.batchSize', random: { distribution: 'uniform', min: 8, max: 64, count: 6, integer: true } }] });
  assert.ok(ints.configs.every((c) => Number.isInteger(c.train.batchSize) && c.train.batchSize >= 8 && c.train.batchSize <= 64));
});

test('sweep: an axis of whole section objects changes the kind together with its fields', () => {
  const sweep = expanded({
    base: { schedule: { kind: 'geometric', sigmaMax: 5 } },
    axes: [
      {
        path: 'schedule',
        values: [{ kind: 'linear', sigmaMin: 0.1, sigmaMax: 3 }, { kind: 'adaptive', lowPercentile: 1 }, { kind: 'ncsnv2', levels: 8 }],
      },
    ],
  });
  assert.deepEqual(sweep.configs.map((c) => c.schedule.kind), ['linear', 'adaptive', 'ncsnv2']);
  assert.deepEqual(sweep.configs[0].schedule, { kind: 'linear', sigmaMin: 0.1, sigmaMax: 3, levels: 10 });
  assert.deepEqual(sweep.names, ['schedule=linear', 'schedule=adaptive', 'schedule=ncsnv2']);
  // Changing only the kind keeps the base's fields, which the new kind may not have: the issue says which axis value and field.
  const issues = issuesOf({ base: { schedule: { kind: 'geometric', sigmaMax: 5 } }, axes: [{ path: 'schedule.kind', values: ['linear', 'ncsnv2'] }] });
  assert.equal(issues.length, 1);
  assert.equal(issues[0].where, 'axes[0] (schedule.kind) = ncsnv2');
  assert.equal(issues[0].field, 'schedule');
  assert.match(issues[0].message, /sigmaMax/);
});

test('sweep: every expanded config is checked, and each issue names the axis, the value and the field', () => {
  const issues = issuesOf({
    axes: [
      { path: 'train.lr', values: [0.001, 5] },
      { path: 'model.hidden', values: [[8], [0]] },
    ],
  });
  // Each bad value is reported once, however many combinations it is in.
  assert.deepEqual(
    issues.map((i) => [i.where, i.field]),
    [
      ['axes[1] (model.hidden) = [0]', 'model.hidden[0]'],
      ['axes[0] (train.lr) = 5', 'train.lr'],
    ],
  );
  assert.match(formatSweepIssues(issues), /^axes\[1\] \(model\.hidden\) = \[0\]: model\.hidden\[0\]: hidden width must be/);
});

test('sweep: the document itself is checked: unknown keys, an axis with two sources, a repeated path, a grid too large', () => {
  assert.match(issuesOf({ axes: [], combien: 'grid' })[0].message, /unknown key\(s\): combien/);
  assert.deepEqual(
    issuesOf({ axes: [{ path: 'train.lr', values: [0.1], range: { from: 0.1, to: 0.2, count: 2 } }] }).map((i) => [i.where, i.message]),
    [['axes[0]', 'an axis needs exactly one of values, range or random']],
  );
  assert.equal(issuesOf({ axes: [{ path: 'train..lr', values: [1] }] })[0].where, 'axes[0].path');
  assert.equal(issuesOf({ axes: [{ path: 'train.lr', values: [0.1] }, { path: 'train.lr', values: [0.2] }] })[0].where, 'axes[1].path');
  const big = Array.from({ length: 11 }, (_, i) => i + 1);
  assert.match(issuesOf({ axes: [{ path: 'train.steps', values: big }, { path: 'seed', values: big }, { path: 'train.batchSize', values: big }] })[0].message, /the sweep has 1331 runs; at most 1000/);
  assert.match(issuesOf({ base: { trian: {} } })[0].message, /unknown key/);
});

test('sweep: no axes is one run of the base config', () => {
  const sweep = expanded({ base: { train: { steps: 5 } } });
  assert.equal(sweep.configs.length, 1);
  assert.equal(sweep.names[0], 'run 1');
});

test("sweep: the README's example expands to the runs it says (3 × 3 × 2 combinations, 2 seeds each)", () => {
  const readme = readFileSync(join(projectRoot(), 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Sweeps'));
  const block = /^```json\n([\s\S]*?)^```$/m.exec(section)?.[1];
  assert.ok(block, 'the Sweeps section has a ```json example');
  const sweep = expanded(JSON.parse(block));
  assert.equal(sweep.configs.length, 36);
  assert.match(readme, /here 3 × 3 × 2 × 2 = 36 runs/);
});
