/**
 * The Electron app itself, where an Electron binary exists (its download is unreachable on some
 * machines, and it needs a display): the window opens on the workbench, the preload bridge answers
 * through IPC, and the renderer is sandboxed with no Node.js.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { _electron } from 'playwright-core';
import { projectRoot } from '../../src-main/platform/paths';
import { tempDir } from '../support/fixtures';

function electronBinary(): { path: string } | { skip: string } {
  const require = createRequire(__filename);
  let pkgDir: string;
  try {
    pkgDir = dirname(require.resolve('electron/package.json'));
  } catch {
    return { skip: 'the electron package is not installed' };
  }
  const pathFile = join(pkgDir, 'path.txt');
  const binary = existsSync(pathFile) ? join(pkgDir, 'dist', readFileSync(pathFile, 'utf8').trim()) : null;
  if (!binary || !existsSync(binary)) return { skip: 'no Electron binary here (node_modules/electron/dist is missing: its download is unreachable)' };
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY)
    return { skip: 'no display (DISPLAY is not set); run under xvfb-run to include this test' };
  return { path: binary };
}

const found = electronBinary();
if ('skip' in found) console.log(`# SKIPPED Electron end-to-end test: ${found.skip}`);

test('the Electron window shows the workbench and talks to the backend through the preload', { skip: 'skip' in found ? found.skip : false }, async () => {
  const tmp = tempDir();
  const app = await _electron.launch({
    executablePath: (found as { path: string }).path,
    args: [projectRoot(), '--no-sandbox'],
    env: { ...process.env, SCOREBENCH_DB: join(tmp.dir, 'electron.sqlite') } as Record<string, string>,
  });
  try {
    const window = await app.firstWindow();
    await window.getByTestId('new-experiment-button').waitFor();
    const bridge = await window.evaluate(async () => {
      const w = window as unknown as { scorebench?: { invoke(m: string, a: unknown): Promise<{ ok: boolean; result?: unknown[] }> }; require?: unknown; process?: unknown };
      const reply = await w.scorebench!.invoke('listPresets', {});
      return { ok: reply.ok, presets: reply.result?.length ?? 0, node: typeof w.require !== 'undefined' || typeof w.process !== 'undefined' };
    });
    assert.equal(bridge.ok, true);
    assert.ok(bridge.presets >= 1);
    assert.equal(bridge.node, false, 'no Node.js in the renderer');
  } finally {
    await app.close();
    tmp.cleanup();
  }
});
