/**
 * getCurves cannot be made to amplify: repeated ids and keys ask for nothing more, a reply past
 * MAX_CURVE_REPLY_POINTS is refused with what to ask for instead, and a caller that has gone stops
 * the queries left.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createHandlers } from '../../../src-main/api/handlers';
import { ApiError, MAX_CURVE_REPLY_POINTS, dispatch, validateArgs, type CurvePoint } from '../../../src-shared/api';
import type { Store } from '../../../src-main/store/store';

/** Handlers over a store whose every run exists and whose every curve holds `maxPoints` points; counts the curve queries. */
function handlersOverFullCurves() {
  const queries: string[] = [];
  const point: CurvePoint = { step: 0, time: 0, value: 0 };
  const store = {
    getRun: async (runId: number) => ({ id: runId }),
    getCurve: async (runId: number, key: string, maxPoints: number) => {
      queries.push(`${runId}:${key}`);
      return new Array<CurvePoint>(maxPoints).fill(point);
    },
  } as unknown as Store;
  const handlers = createHandlers({ store, runs: {} as never, engine: {} as never, events: {} as never, sweeps: {} as never, files: { baseDir: '.', roots: ['.'] } });
  return { handlers, queries };
}

test('getCurves drops repeated run ids and keys, keeping the first of each in order', () => {
  const args = validateArgs('getCurves', { runIds: new Array(100).fill(0).map((_, i) => 1 + (i % 2)), keys: [...new Array(998).fill('loss'), 'loss/level/0', 'loss'] });
  assert.deepEqual(args.runIds, [1, 2]);
  assert.deepEqual(args.keys, ['loss', 'loss/level/0']);
});

test('100 repeated run ids × 1,000 repeated keys make one query, not 100,000', async () => {
  const { handlers, queries } = handlersOverFullCurves();
  const curves = await dispatch(handlers, 'getCurves', { runIds: new Array(100).fill(7), keys: new Array(1000).fill('loss'), maxPoints: 100_000 });
  assert.deepEqual(queries, ['7:loss']);
  assert.deepEqual(curves.map((c) => [c.runId, c.key, c.points.length]), [[7, 'loss', 100_000]]);
});

test('a reply past MAX_CURVE_REPLY_POINTS points is refused, saying what to lower', async () => {
  const { handlers } = handlersOverFullCurves();
  const maxPoints = 100_000;
  // The fewest distinct curves of maxPoints points that go past the bound.
  const keys = Array.from({ length: Math.floor(MAX_CURVE_REPLY_POINTS / maxPoints) + 1 }, (_, i) => `loss/level/${i}`);
  await assert.rejects(dispatch(handlers, 'getCurves', { runIds: [1], keys, maxPoints }), (e: unknown) => {
    assert.ok(e instanceof ApiError && e.code === 'invalid-argument');
    assert.match(e.message, new RegExp(`more than ${MAX_CURVE_REPLY_POINTS} points.*fewer runIds or keys, or a lower maxPoints`));
    return true;
  });
  // One curve fewer is within the bound.
  const within = await dispatch(handlers, 'getCurves', { runIds: [1], keys: keys.slice(1), maxPoints });
  assert.equal(within.length, keys.length - 1);
});

test('a call whose caller has gone stops before its next curve query', async () => {
  const { handlers, queries } = handlersOverFullCurves();
  const gone = new AbortController();
  gone.abort(new ApiError('invalid-argument', 'getCurves: the client disconnected'));
  await assert.rejects(dispatch(handlers, 'getCurves', { runIds: [1, 2, 3], keys: ['loss'] }, { signal: gone.signal }), /client disconnected/);
  assert.deepEqual(queries, []);
});
