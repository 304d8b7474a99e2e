/** The mean loss of each level among a batch's samples; null for levels the batch did not draw. */
export function levelMeans(losses: ArrayLike<number>, levels: Int32Array, count: number): (number | null)[] {
  const sums = new Float64Array(count);
  const counts = new Int32Array(count);
  for (let j = 0; j < levels.length; j++) {
    sums[levels[j]] += losses[j];
    counts[levels[j]]++;
  }
  return Array.from(sums, (sum, i) => (counts[i] > 0 ? sum / counts[i] : null));
}
