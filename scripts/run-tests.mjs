// Runs Node's test runner on every *.test.ts under the given folders (or the files named) (Node 20's runner has no
// glob support), one file at a time so tests that start processes do not compete for 2 cores.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

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
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...files], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
