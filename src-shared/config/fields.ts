/** Field builders shared by the config's sections, so every message reads the same way. */
import { z } from 'zod';

/**
 * What the engine can carry in float32 (normals from 1.2e-38 to 3.4e38, spacing 1.2e-7 at 1):
 * - a length (σ, a std, a radius, a proposal's std) lies in [1e-5, 1e4], so σ² ∈ [1e-10, 1e8] and
 *   1/σ² ≤ 1e10 stay normals with room for the products a loss or a step forms from them;
 * - a step α lies in [1e-12, 1e8]: its noise √α between 1e-6 (above the spacing of O(1)
 *   coordinates, so a step still moves them) and the largest σ;
 * - a coordinate given in the config (a mixture's mean) has |x| ≤ 1e6, so squared distances in
 *   the most dimensions a run takes (4096·(2e6)² ≈ 1.6e16) stay far below float32's largest.
 */
export const FLOAT_BOUNDS = {
  length: { min: 1e-5, max: 1e4, text: { min: '1e-5', max: '1e4' } },
  step: { min: 1e-12, max: 1e8, text: { min: '1e-12', max: '1e8' } },
  coordinate: { max: 1e6, text: '1e6' },
} as const;

/** The most coordinates a data point may have (a CSV's columns, a mixture's dimension); MNIST has 784. */
export const MAX_DATA_DIM = 4096;

const number = (what: string) => z.number({ error: `${what} must be a number` });

/** A positive number within [min, max]; ≤ 0 gets the one message "must be > 0". */
export const bounded = (what: string, min: number, max: number, text = { min: String(min), max: String(max) }) =>
  number(what)
    .positive({ error: `${what} must be > 0`, abort: true })
    .min(min, `${what} must be ≥ ${text.min}`)
    .max(max, `${what} must be ≤ ${text.max}`);

/** A length in data units (σ, a std, a radius): see FLOAT_BOUNDS. */
export const length = (what: string) => bounded(what, FLOAT_BOUNDS.length.min, FLOAT_BOUNDS.length.max, FLOAT_BOUNDS.length.text);

/** A sampler's step size α (or the ε it is scaled from): see FLOAT_BOUNDS. */
export const stepSize = (what: string) => bounded(what, FLOAT_BOUNDS.step.min, FLOAT_BOUNDS.step.max, FLOAT_BOUNDS.step.text);

/** A coordinate in data units: see FLOAT_BOUNDS. */
export const coordinate = (what: string) =>
  number(what)
    .min(-FLOAT_BOUNDS.coordinate.max, `${what} must be ≥ -${FLOAT_BOUNDS.coordinate.text}`)
    .max(FLOAT_BOUNDS.coordinate.max, `${what} must be ≤ ${FLOAT_BOUNDS.coordinate.text}`);

export const positiveInt = (what: string) =>
  z.number({ error: `${what} must be a number` }).int(`${what} must be an integer`).positive(`${what} must be > 0`);

/** A number in [0, 1). */
export const fraction = (what: string) =>
  z.number({ error: `${what} must be a number` }).min(0, `${what} must be ≥ 0`).lt(1, `${what} must be < 1`);

/** The error message of a discriminated union whose `kind` matches none of its options. */
export function kindError(kinds: readonly string[]) {
  return (iss: { code?: string }) => (iss.code === 'invalid_union' ? `kind must be one of: ${kinds.join(', ')}` : undefined);
}

/**
 * The kinds whose entry in a section's trait table passes `test`, in the table's order (for the
 * cross-section checks, and for messages that list them). The tables are typed
 * `Record<Kind, Traits>` over the section's kind union, so a kind left out or misspelt fails to compile.
 */
export function kindsWith<K extends string, T>(traits: Record<K, T>, test: (traits: T) => boolean): readonly K[] {
  return (Object.keys(traits) as K[]).filter((kind) => test(traits[kind]));
}
