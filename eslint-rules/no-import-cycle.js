// @ts-check
/**
 * Reports an import that closes a circle: the imported file leads, through relative imports,
 * back to the file that imports it. Type-only imports count (`import type`, `export type … from`):
 * a circle of types still ties two modules' meanings together, and is where a declaration sits
 * in the wrong file.
 *
 * The rule builds the graph of relative imports from the files on disk (TypeScript's
 * `preProcessFile` lists a file's module specifiers without parsing it in full), cached by each
 * file's modification time; the file being linted is read from its source text, so an editor's
 * unsaved change is seen. Package imports ('zod', 'node:fs') cannot lead back and are skipped.
 */
const { existsSync, readFileSync, statSync } = require('node:fs');
const { dirname, relative, resolve } = require('node:path');
const ts = require('typescript');

const EXTENSIONS = ['.ts', '.tsx', '.d.ts', '.js', '.mjs', '.cjs'];

/** @type {Map<string, { mtimeMs: number; imports: string[] }>} */
const specifierCache = new Map();

/** Every module specifier in `text`: imports, `export … from`, `import()` and `require()`. */
function specifiersOf(text) {
  return ts.preProcessFile(text, true, true).importedFiles.map((file) => file.fileName);
}

/** A relative specifier's file, as the bundler and tsc resolve it (extensionless, or a folder's index). */
function resolveImport(fromFile, specifier, isFile) {
  if (!specifier.startsWith('.')) return null;
  const base = resolve(dirname(fromFile), specifier);
  const stem = base.replace(/\.(m|c)?js$/, '');
  const candidates = [base, ...EXTENSIONS.map((ext) => stem + ext), ...EXTENSIONS.map((ext) => resolve(base, `index${ext}`))];
  return candidates.find(isFile) ?? null;
}

function fileSpecifiers(file) {
  const { mtimeMs } = statSync(file);
  const cached = specifierCache.get(file);
  if (cached && cached.mtimeMs === mtimeMs) return cached.imports;
  const imports = specifiersOf(readFileSync(file, 'utf8'));
  specifierCache.set(file, { mtimeMs, imports });
  return imports;
}

/** @type {import('eslint').Rule.RuleModule} */
module.exports = {
  meta: {
    type: 'problem',
    docs: { description: 'Forbid relative imports (type-only ones included) that lead back to the importing file.' },
    messages: { cycle: 'Import cycle: {{path}}. Move the shared declaration to a module both can import.' },
    schema: [],
  },
  create(context) {
    const self = resolve(context.filename);
    const isFile = (path) => path === self || (existsSync(path) && statSync(path).isFile());
    const importsOf = (file) =>
      (file === self ? specifiersOf(context.sourceCode.text) : fileSpecifiers(file))
        .map((specifier) => resolveImport(file, specifier, isFile))
        .filter((path) => path !== null);

    /** A path of files from `start` to `self` (both included), or null: depth-first, each file visited once. */
    function pathBack(start) {
      const seen = new Set([start]);
      /** @type {string[][]} */
      const stack = [[start]];
      while (stack.length > 0) {
        const path = /** @type {string[]} */ (stack.pop());
        const file = path[path.length - 1];
        if (file === self) return path;
        for (const next of importsOf(file)) {
          if (seen.has(next)) continue;
          seen.add(next);
          stack.push([...path, next]);
        }
      }
      return null;
    }

    const root = context.cwd;
    const checked = new Set();
    function check(node, specifier) {
      const target = typeof specifier === 'string' ? resolveImport(self, specifier, isFile) : null;
      if (target === null || checked.has(target)) return;
      checked.add(target);
      const path = pathBack(target);
      if (path) context.report({ node, messageId: 'cycle', data: { path: [self, ...path].map((f) => relative(root, f)).join(' → ') } });
    }

    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};
