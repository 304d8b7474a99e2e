/**
 * The grammar of sample-set labels: every label a run or an inspect job writes is built here, and
 * a label from outside (a run bundle) is recognised here, so the two never drift apart.
 */

export const SAMPLE_SET_LABELS = {
  /** The run's samples. */
  final: 'final',
  /** Inpainting: each chain's known values (full rows; the masked coordinates are the ones kept). */
  inpaintReference: 'inpaint/reference',
  /** Interpolation: the paths, pair-major, `points` rows per pair from sample 2p to sample 2p + 1. */
  interpolation: 'interpolation',
  trajectory: (index: number) => `trajectory/${index}`,
  /** Samples drawn on demand with the weights of training step `step`. */
  checkpoint: (step: number) => `checkpoint/${step}`,
} as const;

const INDEX = '(?:0|[1-9][0-9]*)';
const LABEL = new RegExp(`^(?:final|inpaint/reference|interpolation|trajectory/${INDEX}|checkpoint/${INDEX})$`);

/** Whether `label` is one that SAMPLE_SET_LABELS builds. */
export function isSampleSetLabel(label: string): boolean {
  return LABEL.test(label);
}
