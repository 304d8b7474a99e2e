/**
 * How an error message quotes the input it complains about: a short, clipped excerpt. Quoting a
 * whole line once put a `.env` file's secret into a run's error (and so into the UI and exported
 * bundles), and a 6.5 MB first line into an 8.3 MB error that every listRuns returned.
 */

/** The most characters of input an error message quotes. */
export const EXCERPT_CHARS = 20;

/** `text` cut to `max` characters, with an ellipsis and the full length when it was longer. */
export function clip(text: string, max = EXCERPT_CHARS): string {
  if (text.length <= max) return text;
  // Array.from counts code points, so a cut never splits a surrogate pair.
  const chars = Array.from(text.slice(0, 2 * max));
  return chars.length <= max && text.length <= 2 * max ? text : `${chars.slice(0, max).join('')}… (${Array.from(text).length} characters)`;
}

/** `text` as a JSON string literal, clipped like clip() (the note on its length outside the quotes). */
export function excerpt(text: string, max = EXCERPT_CHARS): string {
  const clipped = clip(text, max);
  if (clipped === text) return JSON.stringify(text);
  const cut = clipped.slice(0, clipped.lastIndexOf('…'));
  return `${JSON.stringify(cut)}${clipped.slice(cut.length)}`;
}
