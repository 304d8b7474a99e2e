/**
 * Where the built pieces live. Bundled code (out/main/*.js) finds them beside itself; code run from
 * source (tests under tsx) finds the build under the repository root.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The folder holding package.json, searching up from this module. */
export function projectRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/** A file of the build: `out/<part>/<file>`. */
export function builtFile(part: 'main' | 'preload' | 'renderer', file: string): string {
  return join(projectRoot(), 'out', part, file);
}

/** The engine process entry (out/main/engine.js); SCOREBENCH_ENGINE_ENTRY overrides it. */
export function resolveEngineEntry(): string {
  const entry = process.env.SCOREBENCH_ENGINE_ENTRY ?? builtFile('main', 'engine.js');
  if (!existsSync(entry)) throw new Error(`engine entry not found at ${entry}: run "npm run build" first`);
  return entry;
}

/** The built renderer folder (out/renderer). */
export function rendererDir(): string {
  return join(projectRoot(), 'out', 'renderer');
}

/** A file of resources/ (the app icon, desktop metadata): in the repository, and in app.asar when packaged. */
export function resourceFile(file: string): string {
  return join(projectRoot(), 'resources', file);
}
