/** resources/: the app icon the window and the packages use, and the Linux desktop entry. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { projectRoot, resourceFile } from '../../../src-main/platform/paths';

test('resources/icon.png is a 512×512 RGBA PNG, and icon.svg draws the same square', () => {
  const png = readFileSync(resourceFile('icon.png'));
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'the PNG signature');
  assert.equal(png.toString('latin1', 12, 16), 'IHDR');
  assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20), png[24], png[25]], [512, 512, 8, 6], 'width, height, 8 bits, RGBA');
  assert.match(readFileSync(resourceFile('icon.svg'), 'utf8'), /<svg [^>]*viewBox="0 0 512 512"/);
});

/** `Key=value` (desktop file) or `Key: value` (YAML) lines as a map. */
const entries = (lines: string[], separator: RegExp) =>
  new Map(lines.map((line) => line.trim().split(separator, 2) as [string, string]).filter(([, value]) => value !== undefined));

test("electron-builder's Linux desktop entry says what resources/scorebench.desktop says", () => {
  const desktop = entries(readFileSync(resourceFile('scorebench.desktop'), 'utf8').split('\n').slice(1), /=/);
  const yml = readFileSync(join(projectRoot(), 'electron-builder.yml'), 'utf8');
  const block = /^ {4}entry:\n((?: {6}.*\n)+)/m.exec(yml);
  assert.ok(block, 'electron-builder.yml has linux.desktop.entry');
  const builder = entries(block[1].split('\n').filter(Boolean), /: /);
  assert.ok(builder.size >= 5);
  for (const [key, value] of builder) assert.equal(value, desktop.get(key), key);
  assert.match(yml, /^ {2}executableName: scorebench$/m, 'Exec=scorebench is the packaged executable');
  for (const unpacked of ['node_modules/webgpu/**/*.node', 'node_modules/sqlite3/**/*.node'])
    assert.ok(yml.includes(`  - ${unpacked}\n`), `asarUnpack keeps ${unpacked} on disk`);
});
