/** Where each run stands on the compare view's shared checkpoint slider and trajectory scrubber. */
import type { SampleSetInfo, TrajectoryFrame } from '../../../src-shared/api';
import { parseSampleSetLabel } from '../../../src-shared/labels';

/** Every step some run kept weights at, ascending: the shared slider's positions. */
export function unionSteps(perRun: readonly (readonly number[])[]): number[] {
  return [...new Set(perRun.flat())].sort((a, b) => a - b);
}

/**
 * The run's own step for slider position `step`: its latest kept step at or before it (runs
 * checkpoint at different intervals), else its first; null when it kept none.
 */
export function stepAt(kept: readonly number[], step: number): number | null {
  if (kept.length === 0) return null;
  let best: number | null = null;
  for (const s of kept) if (s <= step) best = s;
  return best ?? kept[0];
}

/** The run's trajectory frames, in frame order. */
export function trajectoryFrames(sets: readonly SampleSetInfo[]): (TrajectoryFrame & { label: string })[] {
  return sets
    .filter((s): s is SampleSetInfo & { frame: TrajectoryFrame } => s.frame !== undefined && parseSampleSetLabel(s.label)?.kind === 'trajectory')
    .map((s) => ({ ...s.frame, label: s.label }))
    .sort((a, b) => a.index - b.index);
}
