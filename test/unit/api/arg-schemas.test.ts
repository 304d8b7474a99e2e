/**
 * The main process (Electron IPC) and the HTTP server hand every call to `dispatch`, which
 * validates the arguments before a handler sees them. Every call's schema refuses keys it does
 * not know, and only the API's own methods can be called.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createHandlers, type HandlerDeps } from '../../../src-main/api/handlers';
import { API_METHODS, ApiError, dispatch, validateArgs, type ApiHandlers } from '../../../src-shared/api';

/** Handlers that fail the test if validation ever lets a call through to them. */
const unreachable = new Proxy({} as ApiHandlers, {
  get: (_target, method) => () => assert.fail(`handler ${String(method)} was reached`),
});

test('every call has an argument schema, and every schema refuses unknown keys, naming them', () => {
  // The methods callers may name, against the calls the backend really handles (built without a store: no handler runs).
  const handled = Object.keys(createHandlers({ files: { baseDir: '/', roots: [] } } as unknown as HandlerDeps));
  assert.deepEqual([...API_METHODS].sort(), handled.sort());
  for (const method of API_METHODS) {
    assert.throws(
      () => validateArgs(method, { sneaky: 1, __proto__junk: true }),
      (err: unknown) => {
        assert.ok(err instanceof ApiError, `${method}: ${String(err)}`);
        assert.equal(err.code, 'invalid-argument');
        assert.ok(
          err.issues?.some((i) => i.field === '(arguments)' && i.message === 'unknown key(s): sneaky, __proto__junk'),
          `${method}: ${err.message}`,
        );
        return true;
      },
    );
  }
});

test('nested argument objects refuse unknown keys too', () => {
  assert.throws(() => validateArgs('resumeRun', { runId: 1, overrides: { model: {} } }), /overrides: unknown key\(s\): model/);
});

test('arguments that are not an object, and names that are not API methods, never reach a handler', async () => {
  for (const raw of ['listRuns', 42, [1], true]) await assert.rejects(dispatch(unreachable, 'listRuns', raw), ApiError);
  for (const method of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'nope'])
    await assert.rejects(dispatch(unreachable, method as never, {}), /unknown method/);
  await assert.rejects(dispatch(unreachable, 'getRun', { runId: -1 }), /runId/);
  await assert.rejects(dispatch(unreachable, 'getRun', { runId: '1' }), /runId/);
});
