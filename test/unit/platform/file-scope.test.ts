/** Data paths from configs resolve inside the folders a person allowed, symbolic links followed. */
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { after, test } from 'node:test';
import { dataDirsFromEnv, resolveInScope } from '../../../src-main/platform/file-scope';
import { tempDir } from '../../support/fixtures';

const tmp = tempDir();
after(() => tmp.cleanup());

const allowed = join(tmp.dir, 'allowed');
const outside = join(tmp.dir, 'outside');
mkdirSync(join(allowed, 'sub'), { recursive: true });
mkdirSync(outside, { recursive: true });
writeFileSync(join(allowed, 'sub', 'points.csv'), '1,2\n');
writeFileSync(join(outside, 'secret.csv'), '3,4\n');
const scope = { baseDir: allowed, roots: [allowed] };

test('relative and absolute paths inside an allowed folder (or a subfolder) resolve to the absolute file', () => {
  assert.deepEqual(resolveInScope('sub/points.csv', scope), { file: join(allowed, 'sub', 'points.csv') });
  assert.deepEqual(resolveInScope(join(allowed, 'sub', 'points.csv'), scope), { file: join(allowed, 'sub', 'points.csv') });
  // A file that does not exist yet is judged by where it would be (reading it then fails as missing).
  assert.deepEqual(resolveInScope('later.csv', scope), { file: join(allowed, 'later.csv') });
});

test('absolute paths, .. and symbolic links that lead outside every allowed folder are refused, saying where they lead', () => {
  for (const requested of [join(outside, 'secret.csv'), '../outside/secret.csv', 'sub/../../outside/secret.csv', '/etc/passwd']) {
    const result = resolveInScope(requested, scope);
    assert.ok('error' in result, `${requested} was allowed`);
    assert.match(result.error, /outside the folders this Scorebench may read data from/);
    assert.ok(result.error.includes(allowed), 'the message names the allowed folders');
  }
  symlinkSync(outside, join(allowed, 'link'));
  const linked = resolveInScope('link/secret.csv', scope);
  assert.ok('error' in linked);
  assert.ok(linked.error.includes(`→ ${join(outside, 'secret.csv')}`), linked.error);
  // A folder whose name merely starts like an allowed one is not inside it.
  mkdirSync(`${allowed}-evil`, { recursive: true });
  assert.ok('error' in resolveInScope(`${allowed}-evil/x.csv`, scope));
});

test('a second allowed folder admits its files; $SCOREBENCH_DATA_DIR lists folders like PATH', () => {
  assert.ok('file' in resolveInScope(join(outside, 'secret.csv'), { baseDir: allowed, roots: [allowed, outside] }));
  assert.deepEqual(dataDirsFromEnv({ SCOREBENCH_DATA_DIR: [allowed, '', outside].join(delimiter) }), [allowed, outside]);
  assert.deepEqual(dataDirsFromEnv({}), []);
});
