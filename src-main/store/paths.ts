/** Where the store lives by default. Pure path logic plus creating the folder; no Electron. */
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

export const APP_FOLDER = 'Scorebench';
export const DATABASE_FILE = 'scorebench.sqlite';

/**
 * The per-user folder for the app's data, the same one Electron's app.getPath('userData') gives
 * (so the CLI and the desktop app share a database): `$XDG_CONFIG_HOME/Scorebench` or
 * `~/.config/Scorebench` on Linux, `~/Library/Application Support/Scorebench` on macOS,
 * `%APPDATA%\Scorebench` on Windows. Arguments default to this process's; tests pass others.
 */
export function appDataDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
): string {
  if (platform === 'win32') return path.win32.join(env.APPDATA || path.win32.join(home, 'AppData', 'Roaming'), APP_FOLDER);
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Application Support', APP_FOLDER);
  // The XDG spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
  const xdg = env.XDG_CONFIG_HOME;
  return path.posix.join(xdg && path.posix.isAbsolute(xdg) ? xdg : path.posix.join(home, '.config'), APP_FOLDER);
}

/**
 * The database file: `SCOREBENCH_DB` if set, else `<userData>/scorebench.sqlite`, where userData
 * defaults to appDataDir(). Touches nothing: a command that only reads must not create the folder.
 */
export function databasePath(userData?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env.SCOREBENCH_DB) return env.SCOREBENCH_DB;
  return path.join(userData ?? appDataDir(process.platform, env), DATABASE_FILE);
}

/** databasePath(), with the userData folder created, so the file can be created in it. */
export function defaultDatabasePath(userData?: string, env: NodeJS.ProcessEnv = process.env): string {
  const file = databasePath(userData, env);
  if (!env.SCOREBENCH_DB) mkdirSync(path.dirname(file), { recursive: true });
  return file;
}
