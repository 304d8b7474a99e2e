/**
 * Text from the database (run names, errors) made safe for a terminal. A run name holding
 * `\x1b]0;…\x07` or `\x1b[2J` would otherwise retitle or clear the terminal of whoever lists runs.
 */

/** C0 controls, DEL, C1 controls, and the Unicode bidirectional overrides ("Trojan Source"). */
// eslint-disable-next-line no-control-regex -- matching control characters is this regex's job
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** `text` with every control character written as a visible escape (`\x1b`, `\u202e`); the rest as it is. */
export function printable(text: string): string {
  return text.replace(CONTROL, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
