import type { BackendInfo } from './api';

/**
 * One line naming what a run computed on, for summaries: "GPU: NVIDIA H100 via WebGPU",
 * "webgpu (software: llvmpipe)", "tensorflow (GPU)", "wasm".
 */
export function backendLabel(info: BackendInfo): string {
  const adapter = info.adapter;
  if (adapter) {
    const name = adapter.description || [adapter.vendor, adapter.architecture || adapter.device].filter(Boolean).join(' ') || 'unnamed adapter';
    return adapter.software ? `${info.name} (software: ${name})` : `GPU: ${name} via WebGPU`;
  }
  return info.gpu ? `${info.name} (GPU)` : info.name;
}
