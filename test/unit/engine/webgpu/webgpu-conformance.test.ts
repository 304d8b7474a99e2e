/**
 * The engine on WebGPU computes what it computes on wasm, and a seeded run on WebGPU repeats
 * exactly. Runs without a GPU on a software Vulkan driver (lavapipe, or Chromium's SwiftShader; see
 * scripts/ensure-vulkan-driver.mjs), and skips, saying why, where there is none.
 *
 * Both backends run the same script (test/support/webgpu-conformance-child.ts) in a child process:
 * the backend is chosen once per process, and the Vulkan loader's path must be set before one starts.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { promisify } from 'node:util';
import type { BackendInfo } from '../../../../src-shared/api';
// @ts-expect-error -- a plain .mjs script without types; findVulkanDriver returns { name, icd, env } or { reason }.
import { findVulkanDriver } from '../../../../scripts/ensure-vulkan-driver.mjs';

interface RunOutput {
  losses: number[];
  samples: number[];
}
interface ChildOutput {
  backend: BackendInfo;
  kernels: Record<string, number[]>;
  first: RunOutput;
  second: RunOutput;
  seconds: number[];
  error?: string;
}

const CHILD = join(__dirname, '../../../support/webgpu-conformance-child.ts');
const driver = findVulkanDriver() as { name?: string; env?: Record<string, string>; reason?: string };
const skip = driver.name ? false : `no software Vulkan driver for WebGPU: ${driver.reason} (run node scripts/ensure-vulkan-driver.mjs)`;
if (skip) console.log(`# WebGPU conformance skipped: ${skip}`);

async function runOn(backend: 'wasm' | 'webgpu'): Promise<ChildOutput> {
  const env: Record<string, string | undefined> = { ...process.env, SCOREBENCH_BACKEND: backend, SCOREBENCH_WASM_THREADS: '1', ...(backend === 'webgpu' ? driver.env : {}) };
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', CHILD], { env, maxBuffer: 16 << 20 }).catch((err: { stdout?: string }) => ({ stdout: err.stdout ?? '' }));
  const output = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as ChildOutput;
  assert.equal(output.error, undefined, `${backend}: ${output.error}`);
  return output;
}

let wasm: ChildOutput;
let webgpu: ChildOutput;
before(async () => {
  if (skip) return;
  [wasm, webgpu] = [await runOn('wasm'), await runOn('webgpu')];
  console.log(`# WebGPU on ${driver.name}: kernels ${webgpu.seconds[0].toFixed(1)} s, first run ${webgpu.seconds[1].toFixed(1)} s (shaders compiled), second ${webgpu.seconds[2].toFixed(1)} s`);
});

/** Largest |a − b| relative to the largest |b| (at least 1): float32 kernels that sum in another order differ by a few ulps of the largest term. */
function relativeGap(a: number[], b: number[]): number {
  assert.equal(a.length, b.length);
  const scale = Math.max(1, ...b.map(Math.abs));
  return Math.max(0, ...a.map((v, i) => Math.abs(v - b[i]))) / scale;
}

test('the run records the software adapter it computed on, and that it is not a GPU', { skip }, () => {
  assert.equal(webgpu.backend.name, 'webgpu');
  assert.equal(webgpu.backend.gpu, false);
  assert.equal(webgpu.backend.adapter?.software, true, JSON.stringify(webgpu.backend.adapter));
});

test('kernels and gradients the engine uses agree with wasm to float32 rounding (relative 1e-5)', { skip }, () => {
  // Sums of 16 products and a 128-term reduction: a reordered float32 sum differs by ~n·2⁻²⁴ ≈ 1e-6 relative.
  for (const [name, values] of Object.entries(wasm.kernels)) assert.ok(relativeGap(webgpu.kernels[name], values) <= 1e-5, `${name}: ${relativeGap(webgpu.kernels[name], values)}`);
});

test('a short DSM training of the MLP and an annealed Langevin run agree with wasm (relative 1e-4)', { skip }, () => {
  // 4 Adam steps and 12 Langevin steps: rounding differences grow through the steps but stay near float32's.
  assert.ok(wasm.first.losses.length > 0 && wasm.first.samples.length > 0);
  assert.ok(relativeGap(webgpu.first.losses, wasm.first.losses) <= 1e-4, `losses ${webgpu.first.losses} against ${wasm.first.losses}`);
  assert.ok(relativeGap(webgpu.first.samples, wasm.first.samples) <= 1e-4, `samples: ${relativeGap(webgpu.first.samples, wasm.first.samples)}`);
});

test('a seeded run on WebGPU repeats exactly', { skip }, () => {
  assert.deepEqual(webgpu.second, webgpu.first);
});
