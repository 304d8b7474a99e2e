import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { excerpt } from '../../../src-shared/excerpt';
import { MAX_DATA_DIM } from '../../../src-shared/config';
import type { Dataset } from './types';

/** A CSV the engine cannot use; `line` and `column` (1-based) point at the culprit when there is one. */
export class CsvError extends Error {
  constructor(
    message: string,
    readonly line: number | null = null,
    readonly column: number | null = null,
  ) {
    super(message);
    this.name = 'CsvError';
  }
}

/** A plain decimal number: Number() alone would also accept '', '0x1f', 'Infinity' and whitespace. */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

const EXPECTED = 'expected a headerless CSV of N rows × D comma-separated numbers';

/**
 * Parses a headerless CSV of numbers, every row with the same number of columns. Blank lines are
 * skipped (a trailing newline is the common case). `source` names the file in error messages.
 */
export function parseCsv(text: string, source: string): { points: Float32Array; n: number; dim: number } {
  checkFirstRowWidth(text, source);
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const values: number[] = [];
  let dim = 0;
  let firstLine = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '') continue;
    const lineNo = i + 1;
    const fields = line.split(',').map((f) => f.trim());
    if (dim === 0) {
      // A first row with no number in it is a header; a row mixing numbers and words is bad data.
      // Only an excerpt of it is quoted: the file may be anything (a `.env` with a secret, one 6 MB line).
      if (fields.every((f) => !DECIMAL.test(f) && !isNonFiniteWord(f)))
        throw new CsvError(
          `${source}: line ${lineNo} looks like a header row (it starts ${excerpt(line)}); ${EXPECTED}`,
          lineNo,
          1,
        );
      dim = fields.length;
      firstLine = lineNo;
    } else if (fields.length !== dim) {
      throw new CsvError(
        `${source}: line ${lineNo} has ${fields.length} column${fields.length === 1 ? '' : 's'} but line ${firstLine} has ${dim}; ${EXPECTED}`,
        lineNo,
      );
    }
    for (let j = 0; j < fields.length; j++) values.push(parseField(fields[j], source, lineNo, j + 1));
  }
  if (dim === 0) throw new CsvError(`${source}: the file is empty; ${EXPECTED}`);
  return { points: Float32Array.from(values), n: values.length / dim, dim };
}

/**
 * Refuses a file whose first row has more columns than a data point may have, from that row alone:
 * a few rows of 100,000 columns would otherwise be split, parsed and sized up to gigabytes first.
 */
function checkFirstRowWidth(text: string, source: string): void {
  const first = /^(?:[ \t\uFEFF]*(?:\r\n|\n|\r))*([^\r\n]*)/.exec(text);
  if (!first) return;
  let columns = 1;
  for (let i = 0; i < first[1].length && columns <= MAX_DATA_DIM; i++) if (first[1].charCodeAt(i) === 0x2c) columns++;
  if (columns > MAX_DATA_DIM) {
    const lineNo = (first[0].slice(0, first[0].length - first[1].length).match(/\r\n|\n|\r/g)?.length ?? 0) + 1;
    throw new CsvError(`${source}: line ${lineNo} has more than ${MAX_DATA_DIM} columns; a data point has at most ${MAX_DATA_DIM} coordinates`, lineNo);
  }
}

function isNonFiniteWord(field: string): boolean {
  return /^[+-]?(nan|inf|infinity)$/i.test(field);
}

function parseField(field: string, source: string, line: number, column: number): number {
  const where = `${source}: line ${line}, column ${column}`;
  if (field === '') throw new CsvError(`${where} is empty; ${EXPECTED}`, line, column);
  if (!DECIMAL.test(field)) {
    const why = isNonFiniteWord(field) ? 'is not a finite number' : 'is not a number';
    throw new CsvError(`${where}: ${excerpt(field)} ${why}`, line, column);
  }
  const value = Number(field);
  // Float32 is what the tensors hold: 1e39 parses as a double but is Infinity there.
  if (!Number.isFinite(Math.fround(value)))
    throw new CsvError(`${where}: ${excerpt(field)} is out of float32 range`, line, column);
  return value;
}

/**
 * The largest CSV read, 256 MiB: its text is held whole while it is parsed, and V8's strings end at
 * 2²⁹ − 24 characters. At 8 characters a number that is about 33 million numbers, half of
 * SIZE_LIMITS.data.
 */
export const MAX_CSV_BYTES = 2 ** 28;

/** Reads the CSV at `path`, relative paths resolved against `baseDir` (the config file's folder). */
export async function loadCsv(config: { path: string }, baseDir: string): Promise<Dataset> {
  const file = isAbsolute(config.path) ? config.path : resolve(baseDir, config.path);
  let text: string;
  try {
    const { size } = await stat(file);
    if (size > MAX_CSV_BYTES)
      throw new CsvError(`CSV ${file} (data.path ${JSON.stringify(config.path)}) is ${size} bytes; at most ${MAX_CSV_BYTES} bytes are read`);
    text = await readFile(file, 'utf8');
  } catch (err) {
    if (err instanceof CsvError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a folder' : String((err as Error).message);
    throw new CsvError(`cannot read CSV ${file} (data.path ${JSON.stringify(config.path)}): ${why}`);
  }
  return parseCsv(text, file);
}
