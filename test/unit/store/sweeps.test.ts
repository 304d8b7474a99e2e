import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { expandSweep, type SweepDocument } from '../../../src-shared/sweep';
import { openSqliteStore } from '../../../src-main/store';
import { migrationBackupPath } from '../../../src-main/store/sqlite/migrate';
import { config, createOldDatabase, tempDbPath } from './fixtures';

function sweepOf(input: unknown): { document: SweepDocument; runs: { name: string; config: ReturnType<typeof config> }[] } {
  const result = expandSweep(input);
  if (!result.ok) throw new Error('invalid sweep');
  const { document, configs, names } = result.sweep;
  return { document, runs: configs.map((c, i) => ({ name: names[i], config: c })) };
}

test('a sweep is stored with its document and one queued run per expanded config, in order; runs list by sweep', async (t) => {
  const store = await openSqliteStore(tempDbPath(t));
  t.after(() => store.close());
  const lone = await store.createRun((await store.createExperiment('lone', config())).id);
  const { document, runs } = sweepOf({ name: 'lr', axes: [{ path: 'train.lr', values: [0.001, 0.002, 0.003] }] });
  const created = await store.createSweep('lr', document, runs);
  assert.deepEqual(created.runs.map((r) => [r.name, r.status, r.config.train.lr, r.sweepId]), [
    ['lr=0.001 #1', 'queued', 0.001, created.sweep.id],
    ['lr=0.002 #1', 'queued', 0.002, created.sweep.id],
    ['lr=0.003 #1', 'queued', 0.003, created.sweep.id],
  ]);
  assert.deepEqual(created.sweep.runIds, created.runs.map((r) => r.id));
  assert.deepEqual((await store.getSweep(created.sweep.id))?.document, document);
  assert.deepEqual((await store.listRuns({ sweepId: created.sweep.id })).map((r) => r.id), created.runs.map((r) => r.id).reverse());
  assert.equal((await store.listRuns()).length, 4);
  assert.equal((await store.getRun(lone.id))?.sweepId, undefined);
  assert.deepEqual((await store.listSweeps()).map((s) => s.id), [created.sweep.id]);
  assert.equal(await store.getSweep(created.sweep.id + 1), null);
});

test('a version 5 database migrates forward (backed up first): its runs are in no sweep, and sweeps can be added', async (t) => {
  const file = tempDbPath(t);
  await createOldDatabase(file, 5);
  const store = await openSqliteStore(file);
  t.after(() => store.close());
  assert.ok(existsSync(migrationBackupPath(file, 5)), 'the version 5 file is kept beside it');
  const old = await store.getRun(1);
  assert.deepEqual([old?.status, old?.sweepId], ['completed', undefined]);
  assert.deepEqual(await store.listSweeps(), []);
  const { document, runs } = sweepOf({ axes: [{ path: 'seed', values: [1, 2] }] });
  const created = await store.createSweep('seeds', document, runs);
  assert.deepEqual((await store.listRuns({ sweepId: created.sweep.id })).map((r) => r.seed), [2, 1]);
});
