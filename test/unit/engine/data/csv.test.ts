import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { CsvError, parseCsv } from '../../../../src-main/engine/data';
import { loadDataset } from '../../../../src-main/engine/data';
import { createRng } from '../../../../src-main/engine/random';

const dir = mkdtempSync(join(tmpdir(), 'scorebench-csv-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a headerless CSV becomes n rows × D columns, row-major', () => {
  const parsed = parseCsv('1,2,3\r\n-4.5, 5e-1 ,+6\n\n7,.5,8.\n', 'points.csv');
  assert.equal(parsed.n, 3);
  assert.equal(parsed.dim, 3);
  assert.deepEqual(Array.from(parsed.points), [1, 2, 3, -4.5, 0.5, 6, 7, 0.5, 8]);
});

test('any number of columns works, one included', () => {
  assert.deepEqual(parseCsv('1\n2\n3\n', 'x.csv'), { points: Float32Array.from([1, 2, 3]), n: 3, dim: 1 });
});

/** Asserts parseCsv throws a CsvError whose message names the line (and column). */
function assertCsvError(text: string, line: number | null, column: number | null, pattern: RegExp): void {
  assert.throws(
    () => parseCsv(text, 'data.csv'),
    (err: unknown) => {
      assert.ok(err instanceof CsvError, `expected a CsvError, got ${String(err)}`);
      assert.equal(err.line, line, `line in: ${err.message}`);
      assert.equal(err.column, column, `column in: ${err.message}`);
      assert.match(err.message, pattern);
      assert.match(err.message, /^data\.csv: /, 'names the file');
      return true;
    },
  );
}

test('a header row is refused, naming line 1', () => {
  assertCsvError('x,y\n1,2\n', 1, 1, /line 1 looks like a header row \(it starts "x,y"\)/);
});

test('a ragged row is refused, naming its line and the expected width', () => {
  assertCsvError('1,2\n3,4\n5,6,7\n', 3, null, /line 3 has 3 columns but line 1 has 2/);
});

test('NaN and infinities are refused, naming line and column', () => {
  assertCsvError('1,2\n3,NaN\n', 2, 2, /line 2, column 2: "NaN" is not a finite number/);
  assertCsvError('1,2\n-Infinity,4\n', 2, 1, /line 2, column 1: "-Infinity" is not a finite number/);
  assertCsvError('1,2\n1e39,4\n', 2, 1, /line 2, column 1: "1e39" is out of float32 range/);
});

test('words and empty fields in data rows are refused, naming line and column', () => {
  assertCsvError('1,2\n3,abc\n', 2, 2, /line 2, column 2: "abc" is not a number/);
  assertCsvError('1,2\n3,\n', 2, 2, /line 2, column 2 is empty/);
});

test('errors quote at most a short excerpt of the input: a secret or a huge line stays out of the message', () => {
  const secret = 'sk-live-0123456789abcdefghijklmnopqrstuvwxyz';
  for (const text of [`API_KEY=${secret}\n`, `1,2\n3,API_KEY=${secret}\n`, `1,2\n${'9'.repeat(100)},4\n`]) {
    assert.throws(
      () => parseCsv(text, 'data.csv'),
      (err: unknown) => {
        assert.ok(err instanceof CsvError);
        assert.ok(!err.message.includes(secret.slice(4)), `quotes the secret: ${err.message}`);
        return true;
      },
    );
  }
  const huge = 'x'.repeat(6_500_000);
  assert.throws(
    () => parseCsv(`${huge}\n1\n`, 'data.csv'),
    (err: unknown) => {
      assert.ok(err instanceof CsvError);
      assert.ok(err.message.length < 300, `a ${err.message.length}-character message`);
      assert.match(err.message, /^data\.csv: line 1 looks like a header row \(it starts "x{20}"… \(6500000 characters\)\)/);
      return true;
    },
  );
});

test('an empty file is refused', () => {
  assertCsvError('', null, null, /the file is empty/);
  assertCsvError('\n  \n', null, null, /the file is empty/);
});

test('a relative data.path resolves against the base folder', async () => {
  writeFileSync(join(dir, 'ring.csv'), '0,1\n1,0\n');
  const data = await loadDataset({ kind: 'csv', path: 'ring.csv' }, { baseDir: dir, rng: createRng(0, 'data') });
  assert.equal(data.n, 2);
  assert.equal(data.dim, 2);
  assert.equal(data.mixture, undefined);
});

test('a missing file is refused with its resolved path', async () => {
  await assert.rejects(
    loadDataset({ kind: 'csv', path: 'nope.csv' }, { baseDir: dir, rng: createRng(0, 'data') }),
    (err: Error) => err instanceof CsvError && err.message.includes(join(dir, 'nope.csv')) && /file not found/.test(err.message),
  );
});
