/**
 * A point of the Archimedean spiral r = t, turned by `phase`: scale·(t·cos(t + phase), t·sin(t + phase)).
 * The swiss roll and the spirals are both made of it.
 */
export function spiralPoint(t: number, phase: number, scale: number): [number, number] {
  return [scale * t * Math.cos(t + phase), scale * t * Math.sin(t + phase)];
}
