/**
 * Field issues, the one shape every layer reports bad input in (a config, an API call's
 * arguments, a bundle): the field at fault and why. Built here from a zod error, and written here
 * as one line of text for an error message.
 */
import type { z } from 'zod';
import { clip } from './excerpt';

/** One problem with an input: the field at fault and why it is wrong. */
export interface FieldIssue {
  field: string;
  message: string;
}

/**
 * A zod error's issues, each named by `fieldOf(path)`. Unknown keys are listed by name, each
 * clipped: a key is the caller's input, and an error message quotes input only as an excerpt.
 */
export function zodFieldIssues(error: z.ZodError, fieldOf: (path: readonly PropertyKey[]) => string): FieldIssue[] {
  return error.issues.map((iss) => ({
    field: fieldOf(iss.path),
    message: iss.code === 'unrecognized_keys' ? `unknown key(s): ${iss.keys.map((key) => clip(key)).join(', ')}` : iss.message,
  }));
}

/** The issues as `field: message` items, `separator` between them (one line by default). */
export function formatIssues(issues: readonly FieldIssue[], separator = '; '): string {
  return issues.map((i) => `${i.field}: ${i.message}`).join(separator);
}
