import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RunSummary } from '../../../src-shared/api';
import { DEFAULT_QUERY, facetValues, queryRuns, runDuration, sortRuns, type RunQuery } from '../../../src-renderer/src/lib/run-query';
import { runRecord as run } from './fixtures';

const ids = (runs: RunSummary[]) => runs.map((r) => r.id);
const query = (patch: Partial<RunQuery>): RunQuery => ({ ...DEFAULT_QUERY, ...patch });

const RUNS = [
  run(1, { name: 'baseline', finalLoss: 0.5, tags: ['keep'] }, { train: { lr: 0.001 } }),
  run(2, { name: 'fast lr', finalLoss: 0.2, status: 'failed' }, { train: { lr: 0.01 } }),
  run(3, { name: 'archived one', archived: true, finalLoss: 0.1, notes: 'diverged at step 40' }),
  run(4, { name: 'csv', dataKind: 'csv', metrics: { n: 10, modeShareError: 0.3 } }, { data: { kind: 'csv', path: 'p.csv' }, train: { lr: 0.001 } }),
];

test('archived runs are hidden unless asked for; the default order is newest first', () => {
  assert.deepEqual(ids(queryRuns(RUNS, DEFAULT_QUERY)), [4, 2, 1]);
  assert.deepEqual(ids(queryRuns(RUNS, query({ showArchived: true }))), [4, 3, 2, 1]);
});

test('search matches names, notes and ids as substrings, and config fields as path=value with numbers compared as numbers', () => {
  assert.deepEqual(ids(queryRuns(RUNS, query({ search: 'BASE' }))), [1]);
  assert.deepEqual(ids(queryRuns(RUNS, query({ search: 'diverged', showArchived: true }))), [3]);
  assert.deepEqual(ids(queryRuns(RUNS, query({ search: 'lr=1e-3' }))), [4, 1]);
  assert.deepEqual(ids(queryRuns(RUNS, query({ search: 'train.lr=0.01' }))), [2]);
  assert.deepEqual(ids(queryRuns(RUNS, query({ search: 'path=p.csv' }))), [4]);
  assert.deepEqual(ids(queryRuns(RUNS, query({ search: 'p.csv #4' }))), [4]);
  assert.deepEqual(ids(queryRuns(RUNS, query({ search: 'lr=0.01 baseline' }))), []);
});

test('facet and tag filters keep only matching runs', () => {
  assert.deepEqual(ids(queryRuns(RUNS, query({ facets: { ...DEFAULT_QUERY.facets, status: 'failed' } }))), [2]);
  assert.deepEqual(ids(queryRuns(RUNS, query({ facets: { ...DEFAULT_QUERY.facets, dataKind: 'csv' } }))), [4]);
  assert.deepEqual(ids(queryRuns(RUNS, query({ tag: 'keep' }))), [1]);
  assert.deepEqual(facetValues(RUNS, 'status'), ['completed', 'failed']);
  assert.deepEqual(facetValues(RUNS, 'tag'), ['keep']);
});

test('sorting puts runs without a value last in both directions', () => {
  assert.deepEqual(ids(sortRuns(RUNS, 'finalLoss', false)), [3, 2, 1, 4]);
  assert.deepEqual(ids(sortRuns(RUNS, 'finalLoss', true)), [1, 2, 3, 4]);
  assert.deepEqual(ids(sortRuns(RUNS, 'modeShareError', true)), [4, 3, 2, 1]);
  assert.deepEqual(ids(sortRuns(RUNS, 'name', false)), [3, 1, 4, 2]);
});

test('the MMD² column sorts by the distances the metrics carry, runs without them last', () => {
  const distances = (mmd2: number) => ({ nSamples: 10, nReference: 10, nonFinite: 0, reference: 'held-out' as const, mmd2, mmdBandwidth: 1, slicedWasserstein: 0.1, projections: 8, energyDistance: 0.1 });
  const runs = [run(1, { metrics: { n: 10, distances: distances(0.02) } }), run(2), run(3, { metrics: { n: 10, distances: distances(-0.001) } })];
  assert.deepEqual(ids(sortRuns(runs, 'mmd2', false)), [3, 1, 2]);
  assert.deepEqual(ids(sortRuns(runs, 'mmd2', true)), [1, 3, 2]);
});

test('duration is finish − start, else the recorded train and sample seconds', () => {
  assert.equal(runDuration(run(1, { startedAt: '2025-01-01T00:00:00.000Z', finishedAt: '2025-01-01T00:01:30.000Z' })), 90);
  assert.equal(runDuration(run(1, { trainSeconds: 2, sampleSeconds: 0.5 })), 2.5);
  assert.equal(runDuration(run(1)), null);
});
