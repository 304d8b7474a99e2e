/**
 * The disk fills up, or the database cannot be written: a clear error, training stops cleanly,
 * and the file is left sound, with everything written before the fault.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test, type TestContext } from 'node:test';
import { createBackend } from '../../src-main/api/backend';
import { requireExperimentConfig, type ExperimentConfigInput } from '../../src-shared/config';
import { projectRoot } from '../../src-main/platform/paths';
import { openSqliteStore, StoreOpenError } from '../../src-main/store';
import type { SqlDatabase } from '../../src-main/store/sqlite/database';
import { assertSoundDatabase, loggedSteps, queryFile, waitFor } from '../support/faults';
import { PATIENCE_MS, TINY_CONFIG, tempDir } from '../support/fixtures';

const tmp = tempDir();
after(() => tmp.cleanup());
const BIN = join(projectRoot(), 'bin', 'scorebench.js');

const LONG: ExperimentConfigInput = { ...TINY_CONFIG, train: { steps: 1_000_000, batchSize: 32, logEvery: 1, checkpointEvery: 100 } };

test('the disk filling up mid-run stops the run as failed with the store error, and leaves a sound file', async () => {
  const dbPath = join(tmp.dir, 'full.sqlite');
  const backend = await createBackend({ dbPath });
  try {
    const experiment = await backend.call('createExperiment', { name: 'filling', config: LONG });
    const run = await backend.call('startRun', { experimentId: experiment.id });
    await waitFor('some points stored', async () => (await backend.call('getRun', { runId: run.id })).steps >= 200);
    // SQLite's own cap on the file's size stands in for a full disk: the next page it needs fails
    // with SQLITE_FULL, exactly as when the disk has no more room. (The connection is private to
    // the store; the test reaches it to set the cap.)
    const db = (backend.store as unknown as { db: SqlDatabase }).db;
    const pages = await db.get<{ page_count: number }>('PRAGMA page_count');
    await db.get(`PRAGMA max_page_count = ${pages!.page_count}`);
    await backend.runs.whenSettled(run.id);

    const failed = await backend.call('getRun', { runId: run.id });
    assert.equal(failed.status, 'failed');
    assert.match(failed.error ?? '', /^store write failed: .*database or disk is full/);
    assert.ok(!failed.steps || failed.steps < 1_000_000);
    // The engine was told to stop: it is not training the run any more.
    assert.deepEqual(backend.engine.runningJobs, []);
  } finally {
    await backend.close();
  }
  // A fresh connection has no cap: the file is sound and holds what was written before the fault.
  await assertSoundDatabase(dbPath);
  const steps = await queryFile<{ step: number }>(dbPath, "SELECT step FROM metrics WHERE run_id = 1 AND key = 'loss' ORDER BY step");
  assert.ok(steps.length >= 200);
  assert.deepEqual(
    steps.map((r) => r.step),
    loggedSteps(steps.at(-1)!.step, 1),
  );
});

/**
 * Makes a file or folder unwritable for this process for the rest of the test, or skips the test
 * saying why it cannot. chmod does not stop root (CI runs as root), so as root the immutable
 * attribute is used, which binds root too where the file system supports it.
 */
function makeReadOnly(t: TestContext, path: string, kind: 'file' | 'folder'): boolean {
  const isRoot = process.getuid?.() === 0;
  const [locked, unlocked] = kind === 'file' ? [0o444, 0o644] : [0o555, 0o755];
  try {
    if (isRoot) execFileSync('chattr', ['+i', path], { stdio: 'ignore' });
    else chmodSync(path, locked);
  } catch (err) {
    t.skip(`cannot make ${path} read-only here (${isRoot ? 'chattr +i, as root' : 'chmod'}): ${(err as Error).message.split('\n')[0]}`);
    return false;
  }
  t.after(() => (isRoot ? execFileSync('chattr', ['-i', path], { stdio: 'ignore' }) : chmodSync(path, unlocked)));
  // Whatever the method, check that it binds this process.
  try {
    closeSync(kind === 'file' ? openSync(path, 'r+') : openSync(join(path, '.probe'), 'w'));
  } catch {
    return true;
  }
  t.skip(`making the ${kind} read-only does not stop this process from writing to it`);
  return false;
}

async function assertRefusedReadOnly(file: string, what: RegExp): Promise<void> {
  const before = readFileSync(file);
  await assert.rejects(openSqliteStore(file), (err: unknown) => {
    assert.ok(err instanceof StoreOpenError, String(err));
    assert.equal(err.reason, 'read-only');
    assert.match(err.message, what);
    assert.match(err.message, /choose another file/);
    return true;
  });
  assert.deepEqual(readFileSync(file), before, 'left untouched');
}

test('a read-only database file is refused at open with a clear error, untouched; the CLI says so without a stack trace', async (t) => {
  const dir = join(tmp.dir, 'ro-file');
  mkdirSync(dir);
  const file = join(dir, 'runs.sqlite');
  const store = await openSqliteStore(file);
  await store.createExperiment('kept', requireExperimentConfig({}));
  await store.close();
  if (!makeReadOnly(t, file, 'file')) return;

  await assertRefusedReadOnly(file, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is read-only \\((EACCES|EPERM)\\)`));
  const cli = spawnSync(process.execPath, [BIN, 'runs', '--db', file], { encoding: 'utf8', timeout: PATIENCE_MS });
  assert.equal(cli.status, 1);
  assert.match(cli.stderr, /^scorebench: .* is read-only/);
  assert.doesNotMatch(cli.stderr, /\n\s+at /, 'no stack trace');
});

test('a database in a read-only folder is refused at open: SQLite could not write its log beside it', async (t) => {
  const dir = join(tmp.dir, 'ro-folder');
  mkdirSync(dir);
  const file = join(dir, 'runs.sqlite');
  const store = await openSqliteStore(file);
  await store.close();
  if (!makeReadOnly(t, dir, 'folder')) return;
  await assertRefusedReadOnly(file, /the folder .*ro-folder \(where SQLite keeps the database's log\) is read-only/);
});
