/**
 * How an error message quotes the input it complains about: a short, clipped excerpt. Quoting a
 * whole line once put a `.env` file's secret into a run's error (and so into the UI and exported
 * bundles), and a 6.5 MB first line into an 8.3 MB error that every listRuns returned.
 */

/** The most characters of input an error message quotes. */
export const EXCERPT_CHARS = 20;

/** `text` as JSON string literal, cut to `max` characters with an ellipsis and the full length when longer. */
export function excerpt(text: string, max = EXCERPT_CHARS): string {
  // Array.from counts code points, so a cut never splits a surrogate pair.
  const chars = Array.from(text);
  if (chars.length <= max) return JSON.stringify(text);
  return `${JSON.stringify(chars.slice(0, max).join(''))}… (${chars.length} characters)`;
}
