/**
 * A run another process trains is that process's: every call that would stop, resume or delete
 * it says so in one way. Once that process is gone (however it ended) the run reads as
 * interrupted the next time a call meets it, without restarting this host.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createBackend } from '../../../src-main/api/backend';
import type { RunSummary } from '../../../src-shared/api';
import { requireExperimentConfig } from '../../../src-shared/config';
import { ABANDONED_RUN_ERROR, openSqliteStore } from '../../../src-main/store';

test("another live process's run is refused alike by cancel, pause, resume and delete; once its owner is gone the run reads as interrupted", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'scorebench-owned-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const dbPath = join(dir, 'shared.sqlite');
  // The other process (the CLI beside the app), reduced to its store: it owns the run while open.
  const other = await openSqliteStore(dbPath);
  const experiment = await other.createExperiment('e', requireExperimentConfig({}));
  const run = await other.createRun(experiment.id);
  await other.updateRun(run.id, { status: 'running' });

  const backend = await createBackend({ dbPath });
  t.after(() => backend.close());
  assert.deepEqual(backend.interruptedAtStart, []);
  const updates: RunSummary[] = [];
  backend.events.subscribe((event) => {
    if (event.name === 'runUpdated') updates.push(event.payload);
  });

  const refusal = `run ${run.id} is running in another Scorebench process: cancel or pause it there, or wait for it to end`;
  for (const method of ['cancelRun', 'pauseRun', 'resumeRun', 'deleteRun'] as const)
    await assert.rejects(backend.call(method, { runId: run.id }), { code: 'conflict', message: refusal }, method);
  assert.equal((await backend.call('getRun', { runId: run.id })).status, 'running');

  // Its process ends without ending the run (a kill would do the same to its lock).
  await other.close();
  const found = await backend.call('getRun', { runId: run.id });
  assert.deepEqual([found.status, found.error], ['interrupted', ABANDONED_RUN_ERROR]);
  assert.deepEqual(updates, [found], 'the change is announced, once');
  assert.ok(found.version > run.version);
  await assert.rejects(backend.call('cancelRun', { runId: run.id }), { code: 'conflict', message: `run ${run.id} is not running (status: interrupted)` });
  assert.deepEqual(await backend.call('deleteRun', { runId: run.id }), { runId: run.id });
});

test('listing the runs finds an abandoned run among them', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'scorebench-owned-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const dbPath = join(dir, 'shared.sqlite');
  const other = await openSqliteStore(dbPath);
  const run = await other.createRun((await other.createExperiment('e', requireExperimentConfig({}))).id);
  const backend = await createBackend({ dbPath });
  t.after(() => backend.close());
  assert.equal((await backend.call('listRuns', {}))[0].status, 'queued');
  await other.close();
  assert.deepEqual(
    (await backend.call('listRuns', {})).map((r) => [r.id, r.status]),
    [[run.id, 'interrupted']],
  );
});
