/**
 * Exponential moving average, debiased, as TensorBoard smooths scalar charts (its
 * `classicSmoothing`, line_chart_v2): the average starts at 0, and dividing by 1 − w^t (t = the
 * finite points so far) removes the pull towards that start:
 *
 *   ema_t = w·ema_{t−1} + (1 − w)·y_t,   smoothed_t = ema_t / (1 − w^t)
 *
 * Non-finite values (a diverged loss) pass through and do not count; a constant series is
 * returned as it is (dividing would only add rounding noise). Weight 0 leaves the values as they are.
 */
export function emaSmooth(values: readonly number[], weight: number): number[] {
  if (!(weight >= 0 && weight < 1)) throw new RangeError(`smoothing weight must be in [0, 1), got ${weight}`);
  if (weight === 0 || values.every((v) => v === values[0])) return values.slice();
  const out = new Array<number>(values.length);
  let last = 0;
  let accumulated = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      out[i] = v;
      continue;
    }
    last = last * weight + (1 - weight) * v;
    accumulated++;
    out[i] = last / (1 - weight ** accumulated);
  }
  return out;
}
