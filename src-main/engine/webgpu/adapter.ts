/**
 * WebGPU for Node: Dawn's prebuilt `dawn.node` (the `webgpu` package) gives Node a `navigator.gpu`,
 * on which `@tensorflow/tfjs-backend-webgpu` runs the engine's kernels (Vulkan on Linux, Metal on
 * macOS, D3D12 on Windows). Nothing to install beyond the GPU's own driver.
 *
 * The tfjs backend registers itself only when `navigator.gpu` exists as its module loads, so the
 * navigator is set up first and the module is loaded after it, by `loadWebGpuBackend`.
 */
import { createRequire } from 'node:module';
import type { GpuAdapterInfo } from '../../../src-shared/api';

const nodeRequire = createRequire(__filename);

/** Adapters that compute on the CPU (Mesa's lavapipe/llvmpipe, Google's SwiftShader): correct, but slower than wasm. */
const SOFTWARE_ADAPTER = /llvmpipe|lavapipe|swiftshader/i;

interface AdapterLike {
  readonly info?: { vendor?: string; architecture?: string; device?: string; description?: string; isFallbackAdapter?: boolean };
  readonly isFallbackAdapter?: boolean;
}

/** What the adapter says of itself, and whether it is a software one (the spec's fallback flag, or a known CPU driver's name). */
export function describeAdapter(adapter: AdapterLike): GpuAdapterInfo {
  const info = adapter.info ?? {};
  const fields = { vendor: info.vendor ?? '', architecture: info.architecture ?? '', device: info.device ?? '', description: info.description ?? '' };
  const named = Object.values(fields).some((v) => SOFTWARE_ADAPTER.test(v));
  return { ...fields, software: Boolean(adapter.isFallbackAdapter ?? info.isFallbackAdapter) || named };
}

let gpu: Promise<GpuAdapterInfo | string> | null = null;

/**
 * Sets up `navigator.gpu` (once per process) and asks it for an adapter: the adapter's description,
 * or why there is none, in one line. Asking first matters: with no adapter, tfjs's own setBackend
 * fails with a logged TypeError instead of an answer.
 */
export function requestWebGpuAdapter(): Promise<GpuAdapterInfo | string> {
  gpu ??= request();
  return gpu;
}

async function request(): Promise<GpuAdapterInfo | string> {
  let dawn: { create(options: string[]): unknown; globals: Record<string, unknown> };
  try {
    dawn = nodeRequire('webgpu');
  } catch (err) {
    return `the webgpu package did not load: ${firstLine(err)}`;
  }
  // Mesa warns on every start when it has no runtime folder; any private folder quiets it.
  process.env.XDG_RUNTIME_DIR ??= '/tmp';
  Object.assign(globalThis, dawn.globals);
  const navigatorGpu = dawn.create([]) as { requestAdapter(): Promise<AdapterLike | null> };
  // Node 21+ has a navigator of its own (without gpu); Node 20 has none.
  const current = (globalThis as { navigator?: object }).navigator;
  Object.defineProperty(globalThis, 'navigator', { value: Object.assign(Object.create(current ?? null), current, { gpu: navigatorGpu }), configurable: true, writable: true });
  let adapter: AdapterLike | null;
  try {
    adapter = await navigatorGpu.requestAdapter();
  } catch (err) {
    return `no adapter: ${firstLine(err)}`;
  }
  if (!adapter) return 'no adapter (no GPU, or no Vulkan driver: see README, "GPU")';
  return describeAdapter(adapter);
}

/** Loads the tfjs WebGPU backend into our tfjs core, after requestWebGpuAdapter found an adapter. */
export function loadWebGpuBackend(): void {
  nodeRequire('@tensorflow/tfjs-backend-webgpu');
}

/** An error's first line (messages from native code run on for pages). */
export function firstLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split('\n')[0].trim() || 'unknown error';
}
