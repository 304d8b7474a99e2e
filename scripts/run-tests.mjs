// Runs Node's test runner on every *.test.ts under the given folders (or the files named) (Node 20's runner has no
// glob support), one file at a time so tests that start processes do not compete for 2 cores.
//
// The spec report goes to the terminal as the tests run; the full TAP report (every test's output
// and error included) goes to test-results/<time>.log. The run ends with a short summary: each
// failing test by file and name, where the log is, and one "N passed, N failed" line. The exit code
// is the runner's: non-zero when anything failed.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

function testFiles(dir) {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return testFiles(path);
      return name.endsWith('.test.ts') ? [path] : [];
    });
}

const folders = process.argv.slice(2);
// A named file runs as it is; a folder runs every test file under it.
const files = folders.flatMap((path) => (statSync(path).isDirectory() ? testFiles(path) : [path]));
if (files.length === 0) {
  console.error(`no *.test.ts files under ${folders.join(', ')}`);
  process.exit(1);
}

mkdirSync('test-results', { recursive: true });
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const log = join('test-results', `${stamp}.log`);
const outcomes = join('test-results', `${stamp}.outcomes.jsonl`);
const summaryReporter = join(dirname(fileURLToPath(import.meta.url)), 'test-summary-reporter.mjs');

const result = spawnSync(
  process.execPath,
  [
    // Node 20's runner adds an 'end' listener per reporter and file, and warns about its own listeners past 10.
    '--disable-warning=MaxListenersExceededWarning',
    '--import',
    'tsx',
    '--test',
    '--test-concurrency=1',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${log}`,
    `--test-reporter=${summaryReporter}`,
    `--test-reporter-destination=${outcomes}`,
    ...files,
  ],
  { stdio: 'inherit' },
);

let tests = [];
try {
  tests = readFileSync(outcomes, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
} catch (err) {
  console.error(`\nno test outcomes in ${outcomes} (${err.code ?? err.message}); see the output above`);
}
const count = (outcome) => tests.filter((t) => t.outcome === outcome).length;
const failed = tests.filter((t) => t.outcome === 'fail');
const lines = ['', '─'.repeat(72)];
if (failed.length) {
  lines.push(`Failed (${failed.length}):`);
  for (const t of failed) {
    const file = t.file ? relative(process.cwd(), t.file) : '?';
    // A test file that could not run at all is reported as a test named after the file.
    const name = t.file && t.name === t.file ? '(the file itself: it failed to load or exited early)' : t.name;
    lines.push(`  ✗ ${file} › ${name}${t.error ? `\n      ${t.error}` : ''}`);
  }
}
if (result.status !== 0 && failed.length === 0)
  lines.push(`The test runner exited with ${result.status ?? result.signal}, with no failing test named: see the output above.`);
lines.push(`Full output: ${log}`);
lines.push(`${count('pass')} passed, ${failed.length} failed, ${count('skip')} skipped${count('todo') ? `, ${count('todo')} todo` : ''}`);
console.log(lines.join('\n'));
process.exit(result.status ?? 1);
