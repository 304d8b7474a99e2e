/** How a run's phases end early: the orchestrator turns these into the run's outcome. */

/** Thrown when the run must end as 'failed' at a known step. */
export class RunFailure extends Error {
  constructor(
    message: string,
    readonly step: number | null,
  ) {
    super(message);
  }
}

/** Thrown by a phase that saw the run cancelled. */
export class Cancelled extends Error {}

/**
 * Ends the run failed when a sample set holds a non-finite coordinate: a sampler that diverged (a
 * step too large for the score, a score that overflowed float32) yields samples that mean nothing,
 * and, as a NaN loss ends training, it ends the run with what went non-finite and where.
 */
export function requireFiniteSamples(label: string, points: Float32Array, dim: number): void {
  let badRows = 0;
  let first = -1;
  for (let row = 0; row * dim < points.length; row++)
    for (let j = 0; j < dim; j++)
      if (!Number.isFinite(points[row * dim + j])) {
        if (first < 0) first = row * dim + j;
        badRows++;
        break;
      }
  if (badRows === 0) return;
  const n = points.length / dim;
  throw new RunFailure(
    `sampling diverged: ${badRows} of ${n} samples of '${label}' hold non-finite values (sample ${Math.floor(first / dim)}, coordinate ${first % dim}, is ${points[first]}); lower the sampler's step size or check the model's score`,
    null,
  );
}
