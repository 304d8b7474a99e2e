/**
 * The API's methods have one list, ApiResults, and the compiler holds the argument schemas and the
 * handlers to it. The compile-time half of this is the `@ts-expect-error` lines and the type
 * equality below: the tests are type-checked (tsc -p tsconfig.node.json, part of `npm test`), and an
 * expected error that stops occurring fails that check. The run-time half compares the handler
 * object the backend really builds with the schema table that `dispatch` validates against.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { createHandlers, type HandlerDeps } from '../../../src-main/api/handlers';
import { apiArgSchemas, type ApiArgSchemaTable, type ApiHandlers, type ApiMethod } from '../../../src-shared/api';

/** True when A and B are the same type (not merely assignable one way). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

test('the argument schemas are keyed by exactly the methods that have a result type', () => {
  // Compile time: the schema table's keys are ApiResults' keys, in both directions.
  const sameMethods: Equal<keyof typeof apiArgSchemas, ApiMethod> = true;
  assert.equal(sameMethods, true);

  // A schema for a call with no result type does not compile…
  // @ts-expect-error renameRun is not a method of ApiResults
  void ({ ...apiArgSchemas, renameRun: z.strictObject({ runId: z.number() }) } satisfies ApiArgSchemaTable);
  // …and neither does a call without a schema.
  const { listRuns: _listRuns, ...withoutListRuns } = apiArgSchemas;
  // @ts-expect-error listRuns has a result type but no schema
  void (withoutListRuns satisfies ApiArgSchemaTable);
});

test('the backend has a handler for every call and for nothing else', () => {
  // Compile time: a handler map missing a call is refused.
  const handlers = createHandlers({ files: { baseDir: '/', roots: [] } } as unknown as HandlerDeps);
  const { getRun: _getRun, ...withoutGetRun } = handlers;
  // @ts-expect-error getRun has no handler
  const incomplete: ApiHandlers = withoutGetRun;
  void incomplete;

  // Run time: the object the backend dispatches to has one function per schema, nothing more.
  assert.deepEqual(Object.keys(handlers).sort(), Object.keys(apiArgSchemas).sort());
  for (const method of Object.keys(handlers)) assert.equal(typeof handlers[method as ApiMethod], 'function', method);
});
