import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseJsonc, stripJsonc } from '../../../src-shared/jsonc';

test('JSONC: line and block comments and trailing commas are accepted', () => {
  const text = `{
    // a line comment
    "a": 1, /* a block
    comment */ "b": [1, 2, 3,],
    "c": { "d": true, },
  }`;
  assert.deepEqual(parseJsonc(text), { a: 1, b: [1, 2, 3], c: { d: true } });
});

test('JSONC: comment markers and commas inside strings are data, escaped quotes included', () => {
  const text = '{ "url": "http://x//y", "glob": "/* not a comment */", "s": "a,]", "q": "say \\"//hi\\",}" }';
  assert.deepEqual(parseJsonc(text), { url: 'http://x//y', glob: '/* not a comment */', s: 'a,]', q: 'say "//hi",}' });
});

test('JSONC: stripping keeps the length and the line breaks, so parse errors point at the right place', () => {
  const text = '{\n  // note\n  "a": 1,\n  /* x\n */ "b": oops\n}';
  const stripped = stripJsonc(text);
  assert.equal(stripped.length, text.length);
  assert.deepEqual(stripped.split('\n').length, text.split('\n').length);
  assert.equal(stripped.indexOf('oops'), text.indexOf('oops'));
  assert.throws(() => parseJsonc(text), (err: Error) => err instanceof SyntaxError && /oops/.test(err.message));
});

test('JSONC: what is not JSON apart from comments and trailing commas is still refused', () => {
  for (const bad of ['{ a: 1 }', "{ 'a': 1 }", '[1,,2]', '{ "a": 1 /* unclosed', '[,]', '{,}', '[1,,]']) assert.throws(() => parseJsonc(bad), SyntaxError, bad);
});
