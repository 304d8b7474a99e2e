/**
 * Seeded randomness for the engine. Every random number a run uses (training data, batches, noise
 * levels, noise, initial weights, sampler chains) comes from here, generated in JavaScript, so a
 * seeded run repeats exactly on the same backend: tensors are built from these numbers, never from
 * tf.random* (whose seeding differs between backends and across tfjs versions).
 *
 * Each consumer gets its own named stream (`createRng(seed, 'batches')`), so changing how much one
 * part draws (a larger batch, more chains) does not shift the numbers another part sees.
 */
import type { RngState } from './types';

export interface Rng {
  /** Uniform on [0, 1), 32 bits of resolution. */
  uniform(): number;
  /** Standard normal. */
  normal(): number;
  /** Uniform integer in [0, n); the bias of the float method is < n/2³², negligible for any n here. */
  int(n: number): number;
  /** Fills (or allocates) a Float32Array with standard normals. */
  normals(length: number, out?: Float32Array): Float32Array;
  /** Where the stream is: restoring it (setState) makes the stream go on with the same numbers. */
  getState(): RngState;
  /** Moves the stream to a position getState gave; throws on a malformed state. */
  setState(state: RngState): void;
}

/** FNV-1a: turns a stream name into 32 bits to mix into the seed. */
function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** splitmix32 (Steele, Lea & Flood 2014, 32-bit variant): expands a seed into well-mixed state words. */
function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

const TWO_POW_32 = 4294967296;

/**
 * xoshiro128** (Blackman & Vigna 2018): small, fast, and good enough statistically for Monte Carlo
 * with 32-bit outputs. State seeded by splitmix32 as its authors recommend.
 */
class Xoshiro128 implements Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  /** Box–Muller yields normals in pairs; the second waits here. */
  private spare: number | null = null;

  constructor(seed: number) {
    const sm = { s: seed | 0 };
    this.a = splitmix32(sm);
    this.b = splitmix32(sm);
    this.c = splitmix32(sm);
    this.d = splitmix32(sm);
  }

  private nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  uniform(): number {
    return this.nextUint32() / TWO_POW_32;
  }

  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    // Box–Muller; 1 − u ∈ (0, 1] keeps the log finite.
    const r = Math.sqrt(-2 * Math.log(1 - this.uniform()));
    const theta = 2 * Math.PI * this.uniform();
    this.spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  }

  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  normals(length: number, out: Float32Array = new Float32Array(length)): Float32Array {
    for (let i = 0; i < length; i++) out[i] = this.normal();
    return out;
  }

  getState(): RngState {
    return { words: [this.a >>> 0, this.b >>> 0, this.c >>> 0, this.d >>> 0], spare: this.spare };
  }

  setState(state: RngState): void {
    const { words, spare } = state;
    if (!Array.isArray(words) || words.length !== 4 || !words.every((w) => Number.isInteger(w) && w >= 0 && w < TWO_POW_32))
      throw new Error('random state: expected four 32-bit words');
    // xoshiro's all-zero state is a fixed point: it would yield zeros forever.
    if (words.every((w) => w === 0)) throw new Error('random state: all four words are zero');
    if (spare !== null && !Number.isFinite(spare)) throw new Error('random state: the spare normal must be a finite number or null');
    [this.a, this.b, this.c, this.d] = words.map((w) => w | 0);
    this.spare = spare;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** The random stream `stream` of a run seeded with `seed`. */
export function createRng(seed: number, stream: string): Rng {
  return new Xoshiro128((Math.imul(seed | 0, 0x9e3779b1) ^ hashString(stream)) | 0);
}
