/** Axis domains for the charts: a log axis needs positive, power-of-ten bounds to look right. */

const MANTISSAS = [1, 2, 5];
const MAX_TICKS = 9;

/**
 * A log axis over the positive values: bounds and ticks on the 1-2-5 grid when the data span
 * few decades (a loss between 0.9 and 3.5 gets 0.5, 1, 2, 5), else powers of ten, thinned to
 * about nine ticks.
 */
export function logDomain(values: Iterable<number>): { domain: [number, number]; ticks: number[] } | null {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v > 0 && Number.isFinite(v)) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  if (min === Infinity) return null;
  const e0 = Math.floor(Math.log10(min));
  const e1 = Math.ceil(Math.log10(max));
  const grid: number[] = [];
  for (let e = e0; e <= e1; e++) for (const m of MANTISSAS) grid.push(m * 10 ** e);
  const clean = (v: number) => Number(v.toPrecision(12));
  const lo = clean(grid.filter((g) => g <= min * (1 + 1e-12)).pop() ?? 10 ** e0);
  const hi = clean(grid.find((g) => g >= max * (1 - 1e-12)) ?? 10 ** e1);
  const fine = grid.map(clean).filter((g) => g >= lo && g <= hi);
  if (fine.length >= 2 && fine.length <= MAX_TICKS) return { domain: [lo === hi ? lo / 2 : lo, hi], ticks: fine };

  let dLo = e0;
  const dHi = Math.max(e1, e0 + 1);
  const stride = Math.max(1, Math.ceil((dHi - dLo) / (MAX_TICKS - 1)));
  dLo = dHi - Math.ceil((dHi - dLo) / stride) * stride;
  const ticks: number[] = [];
  for (let e = dLo; e <= dHi; e += stride) ticks.push(clean(10 ** e));
  return { domain: [ticks[0], ticks[ticks.length - 1]], ticks };
}

/**
 * Equal-aspect axes for a scatter of (x, y) points: both axes get the same span and the same
 * 1-2-5 tick step, so circles look like circles in a square chart and the tick labels are round.
 */
export function squareBounds(
  xs: number[],
  ys: number[],
  pad = 0.05,
): { x: [number, number]; y: [number, number]; xTicks: number[]; yTicks: number[] } | null {
  if (xs.length === 0) return null;
  const [x0, x1] = extent(xs);
  const [y0, y1] = extent(ys);
  const span = Math.max(x1 - x0, y1 - y0, 1e-9) * (1 + 2 * pad);
  const step = niceStep(span / 8);
  const cells = (lo: number, hi: number) => Math.ceil((hi + span * pad) / step) - Math.floor((lo - span * pad) / step);
  const n = Math.max(cells(x0, x1), cells(y0, y1));
  const axis = (lo: number, hi: number): [number, number] => {
    // n cells centred on the data, snapped to the step grid; one step's shift fixes the rounding.
    let begin = Math.round(((lo + hi) / 2 - (n * step) / 2) / step) * step;
    if (begin > lo) begin -= step;
    else if (begin + n * step < hi) begin += step;
    return [round(begin), round(begin + n * step)];
  };
  const x = axis(x0, x1);
  const y = axis(y0, y1);
  const ticks = ([lo]: [number, number]) => Array.from({ length: n + 1 }, (_, i) => round(lo + i * step));
  return { x, y, xTicks: ticks(x), yTicks: ticks(y) };
}

/**
 * A linear axis over the finite values: bounds on the 1-2-5 grid just outside them, with about
 * `count` round ticks; a constant series gets a band around its value.
 */
export function linearDomain(values: Iterable<number>, count = 6): { domain: [number, number]; ticks: number[] } | null {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values)
    if (Number.isFinite(v)) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
  if (min === Infinity) return null;
  if (min === max) {
    const pad = Math.abs(min) * 0.1 || 1;
    min -= pad;
    max += pad;
  }
  const step = niceStep((max - min) / count);
  const domain: [number, number] = [round(Math.floor(min / step) * step), round(Math.ceil(max / step) * step)];
  return { domain, ticks: linearTicks(domain[0], domain[1], count) };
}

/** Round ticks inside [lo, hi], about `count` of them, on the 1-2-5 grid. */
export function linearTicks(lo: number, hi: number, count = 6): number[] {
  if (!(hi > lo) || !Number.isFinite(lo) || !Number.isFinite(hi)) return [];
  const step = niceStep((hi - lo) / count);
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) ticks.push(round(t));
  return ticks;
}

/** The 1, 2 or 5 × 10^k nearest above `raw`. */
function niceStep(raw: number): number {
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

const round = (v: number) => Number(v.toPrecision(12));

function extent(values: number[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}
