/**
 * The layering and import-cycle rules of eslint.config.js fire on code that breaks them, and stay
 * quiet on the imports each layer may make: a rule that silently stopped matching (a renamed folder,
 * a pattern typo) would let the layers drift with a green lint.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { ESLint, Linter } from 'eslint';

const ROOT = join(__dirname, '../../..');
const eslint = new ESLint({ cwd: ROOT });

/** The rule ids ESLint reports for `code` as if it were the file at `filePath` (relative to the repo root). */
async function firedRules(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, filePath) });
  return result.messages.map((m) => m.ruleId ?? `fatal: ${m.message}`);
}

async function assertRefused(filePath: string, code: string): Promise<void> {
  assert.deepEqual(await firedRules(filePath, code), ['no-restricted-imports'], `${filePath}: ${code}`);
}

async function assertAllowed(filePath: string, code: string): Promise<void> {
  assert.deepEqual(await firedRules(filePath, code), [], `${filePath}: ${code}`);
}

test('the engine imports neither the store nor any host, but may import common', async () => {
  await assertRefused('src-main/engine/run/probe.ts', "import type { Store } from '../../store/store';\nexport type S = Store;\n");
  await assertRefused('src-main/engine/probe.ts', "import { openSqliteStore } from '../store';\nexport const o = openSqliteStore;\n");
  for (const host of ['api/run-manager', 'cli/main', 'server/http-server', 'electron/main', 'engine-process/protocol'])
    await assertRefused('src-main/engine/data/probe.ts', `import type { X } from '../../${host}';\nexport type Y = X;\n`);
  await assertAllowed('src-main/engine/run/probe.ts', "import type { ScheduleLevel } from '../../../src-shared/api';\nexport type S = ScheduleLevel;\n");
});

test("the store imports the engine's types but not its code, and no host", async () => {
  await assertAllowed('src-main/store/sqlite/probe.ts', "import type { NamedTensor } from '../../engine/types';\nexport type T = NamedTensor;\n");
  await assertRefused('src-main/store/sqlite/probe.ts', "import { createRng } from '../../engine/random';\nexport const r = createRng;\n");
  await assertRefused('src-main/store/probe.ts', "import type { ApiHandlers } from '../api/handlers';\nexport type H = ApiHandlers;\n");
});

test('common imports nothing of ours outside common, at any depth', async () => {
  await assertRefused('src-shared/probe.ts', "import type { Store } from '../store';\nexport type S = Store;\n");
  await assertRefused('src-shared/config/probe.ts', "import type { NamedTensor } from '../../engine/types';\nexport type T = NamedTensor;\n");
  await assertAllowed('src-shared/config/probe.ts', "import type { ApiMethod } from '../api';\nexport type M = ApiMethod;\n");
  await assertAllowed('src-shared/probe.ts', "import { z } from 'zod';\nexport const s = z.string();\n");
});

test('the renderer imports only src-shared', async () => {
  await assertRefused('src-renderer/src/lib/probe.ts', "import type { Store } from '../../../src-main/store';\nexport type S = Store;\n");
  await assertRefused('src-renderer/src/lib/probe.ts', "import type { RunEvent } from '../../../src-main/engine/jobs';\nexport type E = RunEvent;\n");
  await assertAllowed('src-renderer/src/lib/probe.ts', "import type { PointSet } from '../../../src-shared/api';\nexport type P = PointSet;\n");
});

test('only the shell imports electron, in every layer', async () => {
  await assertRefused('src-main/engine/probe.ts', "import { app } from 'electron';\nexport const a = app;\n");
  await assertRefused('src-main/store/probe.ts', "import { app } from 'electron';\nexport const a = app;\n");
  await assertRefused('src-shared/probe.ts', "import { app } from 'electron';\nexport const a = app;\n");
});

/**
 * The cycle rule reads the other files of a circle from disk, so the probes are real files in a
 * folder of their own; the repo's config applies to it as to src-main (a Linter with that cwd).
 */
const scratch = mkdtempSync(join(tmpdir(), 'scorebench-cycles-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function lintOnDisk(files: Record<string, string>, linted: string): Linter.LintMessage[] {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(scratch, path)), { recursive: true });
    writeFileSync(join(scratch, path), text);
  }
  // eslint.config.js is CommonJS; tsx compiles this test to CommonJS too.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const config = require(join(ROOT, 'eslint.config.js')) as Linter.Config[];
  return new Linter({ cwd: scratch }).verify(files[linted], config, { filename: join(scratch, linted) });
}

test('an import cycle is reported, type-only imports and index files included, naming the circle', () => {
  const messages = lintOnDisk(
    {
      'src-main/engine/a.ts': "import type { B } from './b';\nexport interface A { b: B }\n",
      'src-main/engine/b/index.ts': "export type { C as B } from '../c';\n",
      'src-main/engine/c.ts': "import type { A } from './a';\nexport interface C { a: A }\n",
    },
    'src-main/engine/a.ts',
  );
  assert.deepEqual(
    messages.map((m) => [m.ruleId, m.line]),
    [['local/no-import-cycle', 1]],
  );
  assert.match(messages[0].message, /src-main\/engine\/a\.ts → src-main\/engine\/b\/index\.ts → src-main\/engine\/c\.ts → src-main\/engine\/a\.ts/);
});

test('imports that lead elsewhere, however deep, are not a cycle', () => {
  const messages = lintOnDisk(
    {
      'src-main/engine/d.ts': "import type { E } from './e';\nexport type D = E;\n",
      'src-main/engine/e.ts': "import type { F } from './f';\nexport type E = F;\n",
      'src-main/engine/f.ts': "import { z } from 'zod';\nexport type F = z.ZodType;\n",
    },
    'src-main/engine/d.ts',
  );
  assert.deepEqual(messages, []);
});

test('the engine reads tensors only asynchronously: dataSync, arraySync and bufferSync are refused there, allowed elsewhere', async () => {
  for (const read of ['dataSync', 'arraySync', 'bufferSync'])
    assert.deepEqual(await firedRules('src-main/engine/run/probe.ts', `import type * as tf from '@tensorflow/tfjs';\nexport const f = (t: tf.Tensor) => t.${read}();\n`), ['no-restricted-properties'], read);
  await assertAllowed('src-main/engine/run/probe.ts', "import type * as tf from '@tensorflow/tfjs';\nexport const f = (t: tf.Tensor) => t.data();\n");
  await assertAllowed('test/unit/engine/probe.test.ts', "import type * as tf from '@tensorflow/tfjs';\nexport const f = (t: tf.Tensor) => t.dataSync();\n");
});
