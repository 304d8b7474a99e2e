import type { NamedTensor } from '../types';
import type { Rng } from '../random';
import type { TrainingState } from '../training/state';

/** An axis-aligned box, per coordinate: where fresh chains start (uniformly). */
export interface Box {
  lo: number[];
  hi: number[];
}

/** Writes a point uniform on the box into row `row` of `out` (row-major, the box's dimension). */
export function uniformPoint(box: Box, out: Float32Array, row: number, rng: Rng): void {
  const dim = box.lo.length;
  for (let k = 0; k < dim; k++) out[row * dim + k] = box.lo[k] + (box.hi[k] - box.lo[k]) * rng.uniform();
}

/**
 * The persistent replay buffer of contrastive divergence's negative chains (persistent CD,
 * Tieleman 2008; the buffer of Du & Mordatch 2019, §3.1), one per noise level: `size` slots of
 * points per level. A chain at level i starts from a slot of level i's buffer and its end point is
 * written back to that slot, so chains run on across training steps; with probability
 * `reinitFraction` a chain starts afresh from uniform noise over the data box instead (which keeps
 * the buffer from collapsing onto the modes it has found). A slot never written yet is empty and
 * always starts afresh, so the buffer needs no random fill before the first step.
 *
 * The points live on the host: the chains' end points are read back anyway, which is also what
 * stops their gradient (they re-enter the loss as constants).
 */
export class ReplayBuffer implements TrainingState {
  private readonly points: Float32Array;
  private readonly filled: Uint8Array;

  constructor(
    readonly levels: number,
    readonly size: number,
    readonly dim: number,
    private readonly box: Box,
    private readonly reinitFraction: number,
  ) {
    this.points = new Float32Array(levels * size * dim);
    this.filled = new Uint8Array(levels * size);
  }

  /**
   * Start points for one chain per row, row j at level `level[j]`: a distinct slot of that level's
   * buffer per row (so no two chains write one slot), its point or, when the slot is empty or with
   * probability `reinitFraction`, a uniform point of the box. Draws per row, in order: the slot,
   * the restart coin, then (on a restart) the point. Returns the starts [n, D] and their slots.
   */
  draw(level: Int32Array, rng: Rng): { starts: Float32Array; slots: Int32Array } {
    const { size, dim } = this;
    const n = level.length;
    const starts = new Float32Array(n * dim);
    const slots = new Int32Array(n);
    const taken = new Set<number>();
    const perLevel = new Int32Array(this.levels);
    for (let j = 0; j < n; j++) {
      if (++perLevel[level[j]] > size)
        throw new Error(`replay buffer: ${perLevel[level[j]]} chains at level ${level[j]} for ${size} slots (objective.bufferSize must be ≥ train.batchSize)`);
      let slot: number;
      do slot = level[j] * size + rng.int(size);
      while (taken.has(slot));
      taken.add(slot);
      slots[j] = slot;
      if (rng.uniform() < this.reinitFraction || !this.filled[slot]) uniformPoint(this.box, starts, j, rng);
      else starts.set(this.points.subarray(slot * dim, (slot + 1) * dim), j * dim);
    }
    return { starts, slots };
  }

  /** Writes the chains' end points [n, D] to the slots they started from. */
  write(slots: Int32Array, ends: Float32Array): void {
    slots.forEach((slot, j) => {
      this.points.set(ends.subarray(j * this.dim, (j + 1) * this.dim), slot * this.dim);
      this.filled[slot] = 1;
    });
  }

  /** The stored point of `slot` (a copy), or null while the slot is empty. */
  slot(slot: number): Float32Array | null {
    return this.filled[slot] ? this.points.slice(slot * this.dim, (slot + 1) * this.dim) : null;
  }

  save(): Promise<NamedTensor[]> {
    return Promise.resolve([
      { name: 'points', shape: [this.levels, this.size, this.dim], data: this.points.slice() },
      { name: 'filled', shape: [this.levels, this.size], data: Float32Array.from(this.filled) },
    ]);
  }

  restore(tensors: readonly NamedTensor[]): void {
    const find = (name: string, shape: number[]) => {
      const t = tensors.find((s) => s.name === name);
      if (!t) throw new Error(`replay buffer: the checkpoint has no ${name}`);
      if (t.shape.join('x') !== shape.join('x'))
        throw new Error(`replay buffer: ${name} has shape [${t.shape}], expected [${shape}] (objective.bufferSize or the data changed)`);
      return t.data;
    };
    this.points.set(find('points', [this.levels, this.size, this.dim]));
    find('filled', [this.levels, this.size]).forEach((v, i) => (this.filled[i] = v ? 1 : 0));
  }
}
