import assert from 'node:assert/strict';
import { test } from 'node:test';
import { printable } from '../../../src-main/cli/printable';

test('printable writes terminal control characters as visible escapes and keeps the rest', () => {
  assert.equal(printable('\x1b]0;pwned\x07run\x1b[2J #1'), '\\x1b]0;pwned\\x07run\\x1b[2J #1');
  assert.equal(printable('a\rb\nc\x7f\x9b'), 'a\\x0db\\x0ac\\x7f\\x9b');
  assert.equal(printable('evil\u202etxt.exe'), 'evil\\u202etxt.exe');
  assert.equal(printable('σ-sweep 2 · ünïcode ✓'), 'σ-sweep 2 · ünïcode ✓');
});
