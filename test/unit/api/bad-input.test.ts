/**
 * Bad input gets a clear error and changes nothing. Configs that would not fit their data or a
 * desktop's memory are refused naming the field; and property tests (fast-check) feed random
 * configs, CSV texts and damaged bundles to the validators and importers: they never throw
 * anything but their documented error, and a refusal writes nothing.
 */
import fc from 'fast-check';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createBackend } from '../../../src-main/api/backend';
import { checkRunBundle, exportRunBundle } from '../../../src-main/api/run-bundle';
import { ApiError } from '../../../src-shared/api';
import { parseRunBundle } from '../../../src-shared/bundle';
import { parseExperimentConfig, SIZE_LIMITS, type ExperimentConfigInput } from '../../../src-shared/config';
import { PRESETS } from '../../../src-shared/presets';
import { CsvError, parseCsv } from '../../../src-main/engine/data';
import { openSqliteStore } from '../../../src-main/store';
import { queryFile } from '../../support/faults';
import { tempDir } from '../../support/fixtures';

const tmp = tempDir();
after(() => tmp.cleanup());

/** The issues a config is refused with, as field → message. */
function refused(input: unknown): Record<string, string> {
  const result = parseExperimentConfig(input);
  assert.ok(!result.ok, `accepted: ${JSON.stringify(input)}`);
  return Object.fromEntries(result.issues.map((i) => [i.field, i.message]));
}

test('a batch larger than the mixture it is drawn from is refused, naming train.batchSize', () => {
  assert.match(refused({ data: { kind: 'gaussian-mixture', n: 500 }, train: { batchSize: 501 } })['train.batchSize'], /batchSize \(501\) is larger than the data \(500 points\)/);
  assert.ok(parseExperimentConfig({ data: { kind: 'gaussian-mixture', n: 500 }, train: { batchSize: 500 } }).ok);
});

test('sizes that would exhaust memory are refused, naming the field to lower', () => {
  assert.match(refused({ model: { kind: 'mlp', hidden: new Array(16).fill(4096) } })['model.hidden'], /parameters exceed/);
  assert.match(refused({ data: { kind: 'gaussian-mixture', n: 1_000_000 }, model: { kind: 'mlp', hidden: [1024] }, train: { batchSize: 65_536 } })['train.batchSize'], /activations; lower train\.batchSize or model\.hidden/);
  const wide = { kind: 'gaussian-mixture', means: [new Array(128).fill(0), new Array(128).fill(1)], n: 1_000_000 } as const;
  assert.match(refused({ data: wide })['data.n'], /1,000,000 points × 128 dimensions exceed/);
  assert.match(refused({ data: { ...wide, n: 1000 }, sampler: { kind: 'annealed-langevin', n: 1_000_000 } })['sampler.n'], /1,000,000 samples × 128 dimensions exceed/);
  // The bounds leave room for real work.
  assert.ok(SIZE_LIMITS.activations >= 4096 * 4096 && SIZE_LIMITS.parameters >= 2 * 4096 * 4096);
  assert.ok(parseExperimentConfig({ model: { kind: 'mlp', hidden: [4096, 4096] }, train: { batchSize: 2048 } }).ok);
  for (const preset of PRESETS) assert.ok(parseExperimentConfig(preset.config).ok, preset.id);
});

// ——— Random configs ———

const numberish = fc.oneof(
  fc.integer({ min: -10, max: 70_000 }),
  fc.double(),
  fc.constantFrom(0, -1, 1e9, Number.MAX_SAFE_INTEGER, 0.5),
  fc.string({ maxLength: 4 }),
  fc.constant(null),
);
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.oneof(arb, fc.anything({ maxDepth: 1 }));
/** Mostly config-shaped, with wrong types, bad numbers and stray keys mixed in. */
const configish = fc.record(
  {
    seed: numberish,
    data: maybe(
      fc.oneof(
        fc.record(
          {
            kind: fc.constantFrom('gaussian-mixture', 'csv', 'mnist', ''),
            means: fc.array(fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { maxLength: 3 }), { maxLength: 4 }),
            stds: fc.oneof(numberish, fc.array(numberish, { maxLength: 4 })),
            weights: fc.array(numberish, { maxLength: 4 }),
            n: numberish,
            path: fc.string(),
          },
          { requiredKeys: ['kind'] },
        ),
      ),
    ),
    model: maybe(fc.record({ kind: fc.constantFrom('mlp', 'unet'), hidden: fc.array(numberish, { maxLength: 20 }), activation: fc.string() }, { requiredKeys: [] })),
    schedule: maybe(fc.record({ kind: fc.constant('geometric'), sigmaMin: numberish, sigmaMax: numberish, levels: numberish }, { requiredKeys: [] })),
    train: maybe(
      fc.record({ steps: numberish, batchSize: numberish, lr: numberish, logEvery: numberish, checkpointEvery: numberish, batchsize: numberish }, { requiredKeys: [] }),
    ),
    sampler: maybe(fc.record({ kind: fc.constant('annealed-langevin'), n: numberish, eps: numberish, stepsPerLevel: numberish }, { requiredKeys: [] })),
    typo: fc.anything({ maxDepth: 1 }),
  },
  { requiredKeys: [] },
);

test('random configs: the validator never throws; a refusal names fields, an acceptance is stable', () => {
  fc.assert(
    fc.property(fc.oneof(configish, fc.anything()), (input) => {
      const result = parseExperimentConfig(input);
      if (!result.ok) {
        assert.ok(result.issues.length > 0);
        for (const issue of result.issues) assert.ok(issue.field.length > 0 && issue.message.length > 0, JSON.stringify(issue));
      } else {
        // What was accepted validates again to itself (the engine re-validates what crosses to it).
        assert.deepEqual(parseExperimentConfig(result.config), result);
      }
    }),
    { numRuns: 1000 },
  );
});

test('random configs: createExperiment refuses the bad ones with invalid-config, and writes nothing for them', async () => {
  const dbPath = join(tmp.dir, 'fuzz.sqlite');
  const backend = await createBackend({ dbPath });
  let accepted = 0;
  try {
    await fc.assert(
      fc.asyncProperty(fc.oneof(configish, fc.anything()), async (input) => {
        // The schema, and for a CSV that its path lies in the folders data may be read from.
        const valid = (await backend.call('validateConfig', { config: input })).ok;
        assert.ok(!valid || parseExperimentConfig(input).ok);
        const created = await backend.call('createExperiment', { name: 'fuzz', config: input as ExperimentConfigInput }).then(
          () => true,
          (err: unknown) => {
            assert.ok(err instanceof ApiError && err.code === 'invalid-config', String(err));
            return false;
          },
        );
        assert.equal(created, valid);
        if (created) accepted++;
      }),
      { numRuns: 300 },
    );
  } finally {
    await backend.close();
  }
  const [{ n }] = await queryFile<{ n: number }>(dbPath, 'SELECT count(*) AS n FROM experiments');
  assert.equal(n, accepted, 'only accepted configs were written');
  assert.deepEqual(await queryFile(dbPath, 'SELECT id FROM runs'), []);
});

test('a data path outside the folders data may be read from is refused naming data.path, and nothing is written', async () => {
  const allowed = join(tmp.dir, 'allowed-data');
  mkdirSync(allowed, { recursive: true });
  writeFileSync(join(allowed, 'points.csv'), '0,0\n1,1\n');
  const dbPath = join(tmp.dir, 'scoped.sqlite');
  const backend = await createBackend({ dbPath, baseDir: allowed, dataRoots: [allowed] });
  try {
    for (const path of ['/etc/passwd', '../scoped.sqlite', join(tmp.dir, 'elsewhere.csv')]) {
      const config = { data: { kind: 'csv', path }, train: { batchSize: 2 } };
      const checked = await backend.call('validateConfig', { config });
      assert.ok(!checked.ok && checked.issues[0].field === 'data.path', JSON.stringify(checked));
      await assert.rejects(backend.call('createExperiment', { name: 'escape', config }), (err: unknown) => {
        assert.ok(err instanceof ApiError && err.code === 'invalid-config');
        assert.equal(err.issues?.[0].field, 'data.path');
        assert.match(err.issues![0].message, /outside the folders this Scorebench may read data from/);
        return true;
      });
    }
    // Inside the folder, relative or absolute, the same config is accepted.
    for (const path of ['points.csv', join(allowed, 'points.csv')])
      assert.ok((await backend.call('validateConfig', { config: { data: { kind: 'csv', path }, train: { batchSize: 2 } } })).ok);
  } finally {
    await backend.close();
  }
  assert.deepEqual(await queryFile(dbPath, 'SELECT id FROM experiments'), []);
});

// ——— Random CSV texts ———

const cell = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  fc.integer().map(String),
  fc.constantFrom('', ' ', 'NaN', 'inf', '-Infinity', 'x', '1e39', '0x1f', '1,5', '"1"', '1e-50', '+.5', '\uFEFF1'),
);
const csvText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc
    .tuple(fc.array(fc.array(cell, { minLength: 1, maxLength: 4 }), { maxLength: 12 }), fc.constantFrom('\n', '\r\n', '\r'))
    .map(([rows, eol]) => rows.map((r) => r.join(',')).join(eol)),
);

test('random CSV texts: parseCsv returns finite n × D points or throws a CsvError, nothing else', () => {
  fc.assert(
    fc.property(csvText, (text) => {
      let parsed: ReturnType<typeof parseCsv>;
      try {
        parsed = parseCsv(text, 'fuzz.csv');
      } catch (err) {
        assert.ok(err instanceof CsvError, `threw ${String(err)}`);
        assert.match(err.message, /^fuzz\.csv: /);
        if (err.line !== null) assert.ok(err.line >= 1 && err.line <= text.split(/\r\n|\n|\r/).length);
        return;
      }
      assert.ok(parsed.dim >= 1 && parsed.n >= 1);
      assert.equal(parsed.points.length, parsed.n * parsed.dim);
      assert.ok(parsed.points.every(Number.isFinite));
    }),
    { numRuns: 2000 },
  );
});

// ——— Damaged bundles ———

/** A JSON value with one randomly chosen place in it replaced (or removed). */
function mutate(value: unknown, path: number[], replacement: unknown, remove: boolean): unknown {
  if (path.length === 0 || value === null || typeof value !== 'object') return replacement;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return replacement;
  const [head, ...rest] = path;
  const index = head % entries.length;
  const copy: unknown[] | Record<string, unknown> = Array.isArray(value) ? [...(value as unknown[])] : { ...(value as Record<string, unknown>) };
  const key = entries[index][0];
  if (remove && rest.length === 0) {
    if (Array.isArray(copy)) copy.splice(Number(key), 1);
    else delete copy[key];
  } else (copy as Record<string, unknown>)[key] = mutate(entries[index][1], rest, replacement, remove);
  return copy;
}

test('random damage to a bundle: import refuses it with invalid-argument and writes nothing', async () => {
  const store = await openSqliteStore(join(tmp.dir, 'bundles.sqlite'));
  try {
    const experiment = await store.createExperiment('source', parseConfig({ train: { steps: 20 }, schedule: { kind: 'geometric', levels: 2 } }));
    const run = await store.createRun(experiment.id);
    await store.appendMetrics(run.id, [1, 10, 20].map((step) => ({ key: 'loss', step, time: step / 10, value: 1 / step })));
    await store.saveSchedule(run.id, [
      { level: 0, sigma: 10, alpha: 0.1, weight: 100 },
      { level: 1, sigma: 0.05, alpha: 2.5e-6, weight: 0.0025 },
    ]);
    await store.saveWeights(run.id, 20, [{ name: 'w', shape: [2], data: new Float32Array([1, 2]) }]);
    await store.updateRun(run.id, { status: 'completed', steps: 20 });
    const bundle = await exportRunBundle(store, (await store.getRun(run.id))!);
    const text = JSON.stringify(bundle);
    assert.doesNotThrow(() => checkRunBundle(bundle), 'the undamaged bundle is accepted');
    const runsBefore = (await store.listRuns()).length;

    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 1, maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), fc.boolean(), (path, replacement, remove) => {
        const damaged = mutate(bundle, path, replacement, remove);
        if (JSON.stringify(damaged) === text) return; // the "damage" changed nothing
        assert.equal(parseRunBundle(damaged).ok || true, true, 'the schema check itself never throws');
        assert.throws(
          () => checkRunBundle(damaged),
          (err: unknown) => err instanceof ApiError && err.code === 'invalid-argument' && (err.issues?.length ?? 0) > 0,
        );
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: text.length - 1 }), (cut) => {
        assert.throws(() => checkRunBundle(text.slice(0, cut)), (err: unknown) => err instanceof ApiError && err.code === 'invalid-argument');
      }),
      { numRuns: 200 },
    );
    fc.assert(
      fc.property(fc.anything(), (junk) => {
        assert.equal(parseRunBundle(junk).ok, false);
      }),
      { numRuns: 500 },
    );
    assert.equal((await store.listRuns()).length, runsBefore, 'nothing was written');
  } finally {
    await store.close();
  }
});

function parseConfig(input: ExperimentConfigInput) {
  const result = parseExperimentConfig(input);
  assert.ok(result.ok);
  return result.config;
}
