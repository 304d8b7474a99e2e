/**
 * JSON with comments (JSONC, as VS Code and tsconfig read it): `// line` and `/* block *\/`
 * comments and trailing commas before `]` or `}`. The README's example config is written this way.
 */

/**
 * `text` with its comments and trailing commas turned into spaces. Newlines are kept and the length
 * is unchanged, so JSON.parse's positions (and the line numbers an editor shows) still point at the
 * right place. Strings are copied as they are: `"http://x"` and `"a,]"` are not comments or commas.
 */
export function stripJsonc(text: string): string {
  const out = text.split('');
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (out[k] !== '\n' && out[k] !== '\r') out[k] = ' ';
  };
  // The index of the last comma outside strings and comments that follows a value, until another value follows it.
  let pendingComma = -1;
  // The last character outside strings and comments that is not white space: a comma after `[`, `{` or
  // another comma follows no value, and is left for JSON.parse to refuse (`[,]`, `[1,,]`).
  let last = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      // Skip the string, escapes included; an unterminated one is left for JSON.parse to report.
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      pendingComma = -1;
      last = '"';
      i = j + 1;
    } else if (c === '/' && text[i + 1] === '/') {
      let j = i + 2;
      while (j < text.length && text[j] !== '\n' && text[j] !== '\r') j++;
      blank(i, j);
      i = j;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      // An unclosed block comment is left as it is, for JSON.parse to point at.
      if (end < 0) break;
      blank(i, end + 2);
      i = end + 2;
    } else if (c === ',') {
      pendingComma = last === '' || '[{,'.includes(last) ? -1 : i;
      last = c;
      i++;
    } else if (c === ']' || c === '}') {
      if (pendingComma >= 0) out[pendingComma] = ' ';
      pendingComma = -1;
      last = c;
      i++;
    } else {
      if (!/\s/.test(c)) {
        pendingComma = -1;
        last = c;
      }
      i++;
    }
  }
  return out.join('');
}

/** JSON.parse for JSONC text; its errors are JSON.parse's, at the same positions. */
export function parseJsonc(text: string): unknown {
  return JSON.parse(stripJsonc(text));
}
