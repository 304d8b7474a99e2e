/** scripts/run-tests.mjs (what `npm test` runs): a long run ends by naming what failed and where its output is. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { projectRoot } from '../../../src-main/platform/paths';

test('run-tests ends with every failing test by file and name, the log file, a pass/fail count, and exit code 1', () => {
  const root = projectRoot();
  const fixture = join('test', 'support', 'run-tests-sample.fixture.ts');
  // This test itself runs under `node --test`; without this its child would report to this runner, not print.
  const env = { ...process.env };
  delete env.NODE_TEST_CONTEXT;
  const result = spawnSync(process.execPath, [join(root, 'scripts', 'run-tests.mjs'), fixture], { cwd: root, env, encoding: 'utf8' });
  const log = /^Full output: (test-results\/\S+\.log)$/m.exec(result.stdout)?.[1];
  try {
    assert.equal(result.status, 1, result.stderr);
    const summary = result.stdout.slice(result.stdout.lastIndexOf('─'.repeat(72)));
    assert.match(summary, /Failed \(2\):/);
    assert.match(summary, /✗ test\/support\/run-tests-sample\.fixture\.ts › sample fails at the top level\n\s+Expected values to be strictly equal: 2 !== 3/);
    assert.match(summary, /✗ test\/support\/run-tests-sample\.fixture\.ts › sample parent › sample child fails\n\s+nested failure/);
    assert.doesNotMatch(summary, /✗ .*› sample parent\n/, 'a parent failing only through its subtest is not listed');
    assert.match(summary.trimEnd(), /\n1 passed, 2 failed, 1 skipped$/);
    assert.ok(log, 'names the log file');
    assert.match(readFileSync(join(root, log), 'utf8'), /not ok \d+ - sample child fails[\s\S]*nested failure/, 'the log has the full TAP report');
  } finally {
    if (log) for (const file of [log, log.replace(/\.log$/, '.outcomes.jsonl')]) rmSync(join(root, file), { force: true });
  }
});

test('run-tests exits 0 and says so when everything passes', () => {
  const root = projectRoot();
  const env = { ...process.env };
  delete env.NODE_TEST_CONTEXT;
  const result = spawnSync(process.execPath, [join(root, 'scripts', 'run-tests.mjs'), join('test', 'unit', 'cli', 'printable.test.ts')], {
    cwd: root,
    env,
    encoding: 'utf8',
  });
  const log = /^Full output: (test-results\/\S+\.log)$/m.exec(result.stdout)?.[1];
  try {
    assert.equal(result.status, 0, result.stdout + result.stderr);
    assert.match(result.stdout.trimEnd(), /\n\d+ passed, 0 failed, 0 skipped$/);
    assert.doesNotMatch(result.stdout, /Failed \(/);
    assert.ok(log && existsSync(join(root, log)));
  } finally {
    if (log) for (const file of [log, log.replace(/\.log$/, '.outcomes.jsonl')]) rmSync(join(root, file), { force: true });
  }
});
