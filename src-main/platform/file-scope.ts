/**
 * Which files a config may name. A person chooses the folders Scorebench may read data from (the
 * config file's folder for `scorebench train`, `--data-dir`, $SCOREBENCH_DATA_DIR); a path in a
 * config — from the UI, over HTTP, from a bundle — is resolved, symbolic links followed, and
 * refused unless it lies inside one of them. So a page or a config cannot make the engine read
 * (and the UI show, or an error message echo) an arbitrary file of the machine.
 */
import { realpathSync } from 'node:fs';
import { basename, delimiter, dirname, isAbsolute, join, relative, resolve } from 'node:path';

export interface FileScope {
  /** The folder relative paths resolve against. */
  baseDir: string;
  /** The folders whose files may be read; each also covers its subfolders. */
  roots: readonly string[];
}

/** The real path of `path`, symbolic links followed, for a file that may not exist (yet). */
function realPath(path: string): string {
  try {
    return realpathSync.native(path);
  } catch {
    const parent = dirname(path);
    return parent === path ? path : join(realPath(parent), basename(path));
  }
}

const isInside = (file: string, root: string): boolean => {
  const rel = relative(root, file);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
};

/**
 * The absolute path `requested` names within `scope`, or why it may not be read: a message meant
 * for the person who wrote the path.
 */
export function resolveInScope(requested: string, scope: FileScope): { file: string } | { error: string } {
  const file = resolve(scope.baseDir, requested);
  const real = realPath(file);
  if (scope.roots.some((root) => isInside(real, realPath(resolve(root))))) return { file };
  const shown = real === file ? file : `${file} (→ ${real})`;
  return {
    error:
      `${JSON.stringify(requested)} resolves to ${shown}, outside the folders this Scorebench may read data from ` +
      `(${scope.roots.join(', ') || 'none'}); move the file into one of them, or allow its folder with --data-dir ` +
      'or $SCOREBENCH_DATA_DIR',
  };
}

/** The folders listed in $SCOREBENCH_DATA_DIR (separated like PATH), resolved. */
export function dataDirsFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.SCOREBENCH_DATA_DIR ?? '')
    .split(delimiter)
    .filter((d) => d.trim() !== '')
    .map((d) => resolve(d));
}
