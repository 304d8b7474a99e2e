/** Field issues: built from zod errors the one way, written as text the one way, and call failures as ApiErrors. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { ApiError, validateArgs } from '../../../src-shared/api';
import { parseRunBundle } from '../../../src-shared/bundle';
import { formatIssues, zodFieldIssues } from '../../../src-shared/issues';

test('issues are written as field: message, one line by default or with the separator given', () => {
  const issues = [
    { field: 'train.lr', message: 'must be > 0' },
    { field: 'model', message: 'unknown key(s): x' },
  ];
  assert.equal(formatIssues(issues), 'train.lr: must be > 0; model: unknown key(s): x');
  assert.equal(formatIssues(issues, '\n  '), 'train.lr: must be > 0\n  model: unknown key(s): x');
  assert.equal(formatIssues([]), '');
});

test('a zod error becomes one issue per problem, named by the caller, with unknown keys listed and clipped', () => {
  const schema = z.strictObject({ a: z.strictObject({ b: z.number() }) });
  const result = schema.safeParse({ a: { b: 'no', ['k'.repeat(50)]: 1, short: 2 } });
  assert.ok(!result.success);
  const issues = zodFieldIssues(result.error, (path) => `<${path.join('/')}>`);
  assert.deepEqual(
    issues.map((i) => i.field),
    ['<a/b>', '<a>'],
  );
  assert.match(issues[1].message, /^unknown key\(s\): k{20}… \(50 characters\), short$/);
});

test('an API call and a bundle quote an unknown key as a clipped excerpt, as a config does', () => {
  const long = 'z'.repeat(5000);
  const call = (() => {
    try {
      validateArgs('listRuns', { [long]: 1 });
    } catch (err) {
      return err as ApiError;
    }
    return assert.fail('accepted');
  })();
  assert.ok(call.message.length < 200, call.message);
  assert.match(call.issues?.[0].message ?? '', /\(5000 characters\)/);
  const bundle = parseRunBundle({ format: 'scorebench-run-bundle', formatVersion: 1, [long]: 1 });
  assert.ok(!bundle.ok);
  assert.ok(bundle.issues.some((i) => i.field === 'bundle' && /unknown key\(s\):.*\(5000 characters\)/.test(i.message)), JSON.stringify(bundle.issues).slice(0, 300));
});

test('a call that threw answers with its ApiError as it is, anything else as an internal error', () => {
  const notFound = new ApiError('not-found', 'run 3', [{ field: 'runId', message: 'no such run' }]);
  assert.equal(ApiError.from(notFound), notFound);
  assert.deepEqual(ApiError.from(new RangeError('boom')).toShape(), { code: 'internal', message: 'boom' });
  assert.deepEqual(ApiError.from('plain text').toShape(), { code: 'internal', message: 'plain text' });
});
