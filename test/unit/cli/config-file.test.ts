import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { CliError } from '../../../src-main/cli/cli-error';
import { readConfigFile } from '../../../src-main/cli/config-file';
import { parseExperimentConfig } from '../../../src-shared/config';
import { projectRoot } from '../../../src-main/platform/paths';
import { tempDir } from '../../support/fixtures';

const tmp = tempDir();
after(() => tmp.cleanup());
const scope = { baseDir: tmp.dir, roots: [tmp.dir] };

test("the README's example config (JSON with // comments) passes the config loader and the schema", () => {
  const readme = readFileSync(join(projectRoot(), 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/^```jsonc\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
  assert.ok(blocks.length >= 1, 'the README has a ```jsonc block');
  for (const [i, block] of blocks.entries()) {
    assert.match(block, /\/\//, 'the example has comments: the point of this test');
    const file = join(tmp.dir, `readme-${i}.jsonc`);
    writeFileSync(file, block);
    const parsed = parseExperimentConfig(readConfigFile(file, scope));
    assert.ok(parsed.ok, JSON.stringify(!parsed.ok && parsed.issues));
  }
});

test('a config that is not JSON even with comments allowed is refused as bad input (exit 2), naming the file', () => {
  const file = join(tmp.dir, 'broken.json');
  writeFileSync(file, '{ "seed": 1, // fine\n  seed: 2 }');
  assert.throws(
    () => readConfigFile(file, scope),
    (err: unknown) => err instanceof CliError && err.exitCode === 2 && err.message.startsWith(`config ${file} is not valid JSON`),
  );
});

test('a csv data.path naming no file is refused before anything runs, naming data.path', () => {
  const file = join(tmp.dir, 'missing-data.json');
  writeFileSync(file, JSON.stringify({ data: { kind: 'csv', path: 'nowhere.csv' } }));
  assert.throws(
    () => readConfigFile(file, scope),
    (err: unknown) =>
      err instanceof CliError && err.exitCode === 2 && err.message.includes(`data.path: ${join(tmp.dir, 'nowhere.csv')} does not exist`),
  );
});
