// `npm start`: the Electron app where Electron can start, else the same UI in browser mode.
// Says in one line why it fell back. `npm start -- --browser` asks for browser mode directly.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const passThrough = args.filter((a) => a !== '--browser');

/** The Electron executable, or the reason there is none. */
function findElectron() {
  let pkgDir;
  try {
    pkgDir = dirname(require.resolve('electron/package.json'));
  } catch {
    return { reason: 'the electron package is not installed' };
  }
  const pathFile = join(pkgDir, 'path.txt');
  const binary = () => (existsSync(pathFile) ? join(pkgDir, 'dist', readFileSync(pathFile, 'utf8').trim()) : null);
  if (binary() && existsSync(binary())) return { path: binary() };
  // electron ≥ 42 downloads its binary on first use; try once, briefly.
  const attempt = spawnSync(process.execPath, [join(pkgDir, 'install.js')], { stdio: 'pipe', timeout: 120_000 });
  if (attempt.status === 0 && binary() && existsSync(binary())) return { path: binary() };
  const detail = `${attempt.stderr ?? ''}`.split('\n').find((l) => /error|failed/i.test(l))?.trim();
  return { reason: `the Electron binary is not installed and could not be downloaded${detail ? ` (${detail})` : ''}` };
}

function electronBlocker() {
  if (args.includes('--browser')) return 'browser mode was asked for (--browser)';
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY)
    return 'there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set)';
  const electron = findElectron();
  return electron.path ? null : electron.reason;
}

const blocker = electronBlocker();
let child;
if (blocker === null) {
  const { path } = findElectron();
  child = spawn(path, [root, ...passThrough], { stdio: 'inherit' });
  child.on('error', (err) => {
    console.error(`Electron could not start (${err.message}); run "npm start -- --browser" for browser mode.`);
    process.exit(1);
  });
} else {
  console.log(`Electron cannot start: ${blocker}. Serving the same UI in browser mode instead.`);
  child = spawn(process.execPath, [join(root, 'out/main/cli.js'), 'serve', ...passThrough], { stdio: 'inherit' });
}
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
