/** Shared by the engine tests: one backend per test process, and closeness with a tolerance. */
import assert from 'node:assert/strict';
import { before } from 'node:test';
import { initBackend } from '../../../src-main/engine/backend';

/** Picks the engine's backend before the file's tests (wasm here unless SCOREBENCH_BACKEND says otherwise). */
export function useEngineBackend(): void {
  before(async () => {
    await initBackend();
  });
}

export function assertClose(actual: number, expected: number, tolerance: number, what = 'value'): void {
  assert.ok(
    Math.abs(actual - expected) <= tolerance,
    `${what}: expected ${expected} ± ${tolerance}, got ${actual} (off by ${Math.abs(actual - expected)})`,
  );
}

export function assertAllClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number, what = 'values'): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) assertClose(actual[i], expected[i], tolerance, `${what}[${i}]`);
}
