/** Field builders shared by the config's sections, so every message reads the same way. */
import { z } from 'zod';

export const positive = (what: string) => z.number({ error: `${what} must be a number` }).positive(`${what} must be > 0`);

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
