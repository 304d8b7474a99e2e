/** The config file `scorebench train` reads: JSON with comments (JSONC), validated before anything is written. */
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseExperimentConfig } from '../../src-shared/config';
import { formatIssues } from '../../src-shared/issues';
import { parseJsonc } from '../../src-shared/jsonc';
import { resolveInScope, type FileScope } from '../platform/file-scope';
import { CliError } from './cli-error';

/** Reads a config file; relative data paths become absolute against the file's folder, and must lie in `files`' folders. */
export function readConfigFile(file: string, files: FileScope): unknown {
  const raw = readJsoncFile(file, 'config');
  const parsed = parseExperimentConfig(raw);
  if (!parsed.ok)
    throw new CliError(`config ${file} is invalid:\n  ${formatIssues(parsed.issues, '\n  ')}`);
  const data = (raw as { data?: { kind?: string; path?: string } }).data;
  if (data?.kind === 'csv' && data.path) {
    data.path = resolve(dirname(file), data.path);
    // The backend checks this too, but only after opening (and maybe creating) the database.
    const where = resolveInScope(data.path, files);
    if ('error' in where) throw new CliError(`config ${file} is invalid:\n  data.path: ${where.error}`);
    // A missing file would otherwise only fail inside the run, as a failed run in the database.
    const found = statSync(data.path, { throwIfNoEntry: false });
    if (!found?.isFile())
      throw new CliError(`config ${file} is invalid:\n  data.path: ${data.path} ${found ? 'is not a file' : 'does not exist'}`);
  }
  return raw;
}

/** Reads a JSONC file; a file that cannot be read or parsed ends the command (exit 2), naming `what` it is. */
export function readJsoncFile(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read ${what} ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  try {
    return parseJsonc(text);
  } catch (err) {
    throw new CliError(`${what} ${file} is not valid JSON: ${(err as Error).message}`);
  }
}
