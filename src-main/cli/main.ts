/**
 * `scorebench`: every job the UI can start, headless, on the same engine, store and API handlers.
 *
 *   scorebench train <config.json> [--db <file>] [--name <name>] [--json]
 *   scorebench resume <runId> [--db <file>] [--steps <n>] [--lr <x>] [--json]
 *   scorebench runs [--db <file>] [--sweep <id>] [--json]
 *   scorebench sweep <sweep.json> | --resume <sweepId> [--db <file>] [--concurrency <n>] [--json]
 *   scorebench samples <runId> [--db <file>] [--format csv|json]
 *   scorebench serve [--db <file>] [--port <n>]     browser mode on 127.0.0.1
 */
import { existsSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createBackend, type Backend, type BackendOptions } from '../api/backend';
import { dataDirsFromEnv } from '../platform/file-scope';
import { ACTIVE_STATUSES, ApiError, type RunSummary, type SampleDistances } from '../../src-shared/api';
import { excerpt } from '../../src-shared/excerpt';
import { rendererDir } from '../platform/paths';
import { startServer } from '../server/http-server';
import { databasePath, defaultDatabasePath, StoreOpenError } from '../store';
import { exitWhenDrained, writeErr, writeOut } from './output';
import { printable } from './printable';
import { CliError } from './cli-error';
import { readConfigFile } from './config-file';
import { formatDuration, ProgressBar } from './progress-bar';
import { backendLabel } from '../../src-shared/backend-label';
import { parseConcurrency, readSweepFile, resumeSweep, runSweep } from './sweep';

const USAGE = `Usage:
  scorebench train <config.json> [--db <file>] [--name <name>] [--json]
  scorebench resume <runId> [--db <file>] [--steps <n>] [--lr <x>] [--json]
                    trains a paused, interrupted, failed or cancelled run on from its last checkpoint
  scorebench runs [--db <file>] [--sweep <id>] [--json]
  scorebench sweep <sweep.json> [--db <file>] [--concurrency <n>] [--json]
                   expands a sweep (a base config and axes), runs it n at a time (default: from the cores)
  scorebench sweep --resume <sweepId> [--db <file>] [--concurrency <n>] [--json]
                   runs a stopped sweep's paused and interrupted runs again
  scorebench samples <runId> [--db <file>] [--format csv|json]
  scorebench serve [--db <file>] [--port <n>]

The database defaults to $SCOREBENCH_DB, else the app's user-data folder; only train and serve
create it. Config files are JSON; // and /* */ comments and trailing commas are allowed.
Data files (data.path) are read only from the config file's folder (train) or the working folder,
and from folders given with --data-dir <folder> (repeatable) or $SCOREBENCH_DATA_DIR.`;

/** Bad input on the command line: what is wrong, then how the commands are called. */
const usageError = (problem: string): CliError => new CliError(`${problem}\n${USAGE}`);

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values, positionals } = parseOptions(rest);
  if (!command || command === 'help' || command === '--help' || command === '-h' || values.help) {
    await writeOut(`${USAGE}\n`);
    return command ? 0 : 2;
  }
  // The database as named; creating it (and the user-data folder) is for the commands that write.
  const namedDb = values.db ? resolve(values.db) : databasePath();
  const writableDb = () => (values.db ? namedDb : defaultDatabasePath());
  // The folders data files may be read from: those named, then $SCOREBENCH_DATA_DIR's; `train` adds
  // its config's folder, every other command the working folder.
  const dataDirs = [...values['data-dir'].map((d) => resolve(d)), ...dataDirsFromEnv()];
  const scope = (baseDir: string): BackendScope => ({ baseDir, dataRoots: [baseDir, ...dataDirs] });

  switch (command) {
    case 'train': {
      const file = positionals[0];
      if (!file) throw usageError('train needs a config file');
      return train(file, writableDb, scope(dirname(resolve(file))), values.name, values.json);
    }
    case 'resume': {
      const runId = parseRunId(positionals[0], 'resume');
      const train: Record<string, number> = {};
      // Numbers as given; the config schema says what is wrong with them.
      if (values.steps !== undefined) train.steps = Number(values.steps);
      if (values.lr !== undefined) train.lr = Number(values.lr);
      return withBackend(existingDb(namedDb), scope(process.cwd()), async (backend) => {
        const run = await backend.call('resumeRun', { runId, ...(Object.keys(train).length ? { overrides: { train } } : {}) });
        return follow(backend, run.id, values.json, namedDb);
      });
    }
    case 'runs': {
      const sweepId = values.sweep === undefined ? undefined : parseId(values.sweep, '--sweep', 'a sweep id');
      return withBackend(existingDb(namedDb), scope(process.cwd()), async (backend) => {
        const runs = await backend.call('listRuns', sweepId === undefined ? {} : { sweepId });
        await writeOut(values.json ? `${JSON.stringify(runs)}\n` : runsTable(runs));
        return 0;
      });
    }
    case 'sweep': {
      const concurrency = parseConcurrency(values.concurrency);
      if (values.resume !== undefined) {
        const sweepId = parseId(values.resume, '--resume', 'a sweep id');
        return withBackend(existingDb(namedDb), scope(process.cwd()), (backend) => resumeSweep(backend, sweepId, concurrency, values.json, namedDb));
      }
      const file = positionals[0];
      if (!file) throw new CliError(`sweep needs a sweep file (or --resume <sweepId>)\n${USAGE}`);
      // Expanded and checked before the database is named or opened: a bad sweep changes nothing on disk.
      const { document } = readSweepFile(file);
      const dbPath = writableDb();
      return withBackend(dbPath, scope(dirname(resolve(file))), (backend) => runSweep(backend, document, concurrency, values.json, dbPath));
    }
    case 'samples': {
      const runId = parseRunId(positionals[0], 'samples');
      if (values.format !== 'csv' && values.format !== 'json')
        throw new CliError(`--format must be csv or json, not ${excerpt(values.format)}`);
      return withBackend(existingDb(namedDb), scope(process.cwd()), async (backend) => {
        const set = await backend.call('getSamples', { runId });
        if (!set) throw new CliError(`run ${runId} has no samples yet`, 1);
        if (values.format === 'json') await writeOut(`${JSON.stringify(set)}\n`);
        else {
          const lines: string[] = [];
          for (let i = 0; i < set.n; i++) lines.push(set.points.slice(i * set.dim, (i + 1) * set.dim).join(','));
          await writeOut(`${lines.join('\n')}\n`);
        }
        return 0;
      });
    }
    case 'serve': {
      // Checked before the database is opened, so a bad port changes nothing on disk.
      const port = values.port === undefined ? 0 : parsePort(values.port);
      return serve(writableDb(), scope(process.cwd()), port);
    }
    default:
      throw usageError(`unknown command ${excerpt(command)}`);
  }
}

/** The options every command shares; an unknown or malformed option is bad input (exit 2), not a crash. */
function parseOptions(args: string[]) {
  try {
    return parseArgs({
      args,
      allowPositionals: true,
      options: {
        db: { type: 'string' },
        json: { type: 'boolean', default: false },
        name: { type: 'string' },
        format: { type: 'string', default: 'csv' },
        port: { type: 'string' },
        steps: { type: 'string' },
        lr: { type: 'string' },
        sweep: { type: 'string' },
        resume: { type: 'string' },
        concurrency: { type: 'string' },
        'data-dir': { type: 'string', multiple: true, default: [] },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    throw usageError((err as Error).message);
  }
}

function parseRunId(text: string | undefined, command: string): number {
  return parseId(text, command, 'a run id');
}

function parseId(text: string | undefined, what: string, kind: string): number {
  const id = Number(text);
  if (!Number.isInteger(id) || id <= 0) throw usageError(`${what} needs ${kind} (a positive integer)`);
  return id;
}

/**
 * A TCP port as a person types it: decimal digits, 0 (any free port) to 65535. Number() alone would
 * take "0x50" as port 80, "1e3" as 1000 and "" as 0, and "abc" would reach listen() as NaN.
 */
function parsePort(text: string): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(port <= 65535)) throw new CliError(`--port must be a decimal number from 0 to 65535, not ${excerpt(text)}`);
  return port;
}

/** The database a command that only reads (or resumes) may open: it must exist, since opening would create it. */
function existingDb(file: string): string {
  if (!existsSync(file))
    throw new CliError(`no database at ${file}; check --db (or $SCOREBENCH_DB); \`scorebench train\` creates one`);
  return file;
}

async function train(
  file: string,
  database: () => string,
  files: BackendScope,
  name: string | undefined,
  json: boolean,
): Promise<number> {
  // Validate before opening (or even naming, which creates the user-data folder) the database, so a
  // bad config changes nothing on disk.
  const config = readConfigFile(file, { baseDir: files.baseDir, roots: files.dataRoots });
  const dbPath = database();
  return withBackend(dbPath, files, async (backend) => {
    const experiment = await backend.call('createExperiment', {
      name: name ?? basename(file).replace(/\.jsonc?$/i, ''),
      config,
    });
    const run = await backend.call('startRun', { experimentId: experiment.id });
    return follow(backend, run.id, json, dbPath);
  });
}

/**
 * Shows a live run's progress until it ends (Ctrl-C pauses it: a checkpoint at the next step, so
 * `scorebench resume` continues it), then its summary: one JSON line with --json. The exit code
 * says how it ended: 0 completed, 130 paused or cancelled, 1 otherwise.
 */
async function follow(backend: Backend, runId: number, json: boolean, dbPath: string): Promise<number> {
  const bar = new ProgressBar();
  // The run has ended once an update says so: its last state is stored before it is announced.
  let unsubscribe = () => {};
  const ended = new Promise<void>((resolveEnded) => {
    unsubscribe = backend.events.subscribe((event) => {
      if (event.name === 'runProgress' && event.payload.runId === runId) bar.update(event.payload);
      if (event.name === 'runUpdated' && event.payload.id === runId && !ACTIVE_STATUSES.includes(event.payload.status)) resolveEnded();
    });
  });
  const onSignal = () => {
    void writeErr(`\npausing at the next step (a checkpoint is kept; \`scorebench resume ${runId}\` continues)…\n`);
    // A run that ended meanwhile has nothing to pause.
    backend.call('pauseRun', { runId }).catch(() => undefined);
  };
  process.once('SIGINT', onSignal);
  // It may have ended before the subscription (a job refused at once).
  if (ACTIVE_STATUSES.includes((await backend.call('getRun', { runId })).status)) await ended;
  process.off('SIGINT', onSignal);
  unsubscribe();
  bar.end();

  const done = await backend.call('getRun', { runId });
  const summary = {
    runId: done.id,
    status: done.status,
    backend: done.backend?.name ?? null,
    backendPackage: done.backend?.package ?? null,
    gpu: done.backend?.gpu ?? false,
    adapter: done.backend?.adapter ?? null,
    device: done.backend ? backendLabel(done.backend) : null,
    steps: done.steps,
    trainSeconds: done.trainSeconds,
    stepsPerSecond: done.trainSeconds ? done.steps / done.trainSeconds : null,
    sampleSeconds: done.sampleSeconds,
    finalLoss: done.finalLoss,
    metrics: done.metrics,
    error: done.error,
    db: dbPath,
  };
  if (json) await writeOut(`${JSON.stringify(summary)}\n`);
  else {
    await writeErr(
      `run ${done.id} ${done.status} on ${summary.device ?? '?'}: ${done.steps} steps in ${formatDuration(done.trainSeconds ?? NaN)}` +
        `${summary.stepsPerSecond ? ` (${summary.stepsPerSecond.toFixed(1)} steps/s)` : ''}` +
        `${done.metrics?.modeShareError !== undefined ? `, mode-share error ${done.metrics.modeShareError.toFixed(3)}` : ''}` +
        `${done.metrics?.offSupport !== undefined ? `, ${(100 * done.metrics.offSupport).toFixed(1)}% off support` : ''}` +
        `${done.metrics?.distances ? `, MMD² ${mmdText(done.metrics.distances)}` : ''}` +
        `${done.error ? `\nerror: ${done.error.split('\n').map(printable).join('\n')}` : ''}\n`,
    );
  }
  return done.status === 'completed' ? 0 : done.status === 'cancelled' || done.status === 'paused' ? 130 : 1;
}

/** "8.697e-4 ± 2.1e-4 (n = 1000)": four significant digits, the standard error where the record has it. */
function mmdText(d: SampleDistances): string {
  return `${d.mmd2.toExponential(3)}${d.mmd2StdErr !== undefined ? ` ± ${d.mmd2StdErr.toExponential(1)}` : ''} (n = ${d.nSamples})`;
}

async function serve(dbPath: string, files: BackendScope, port: number): Promise<number> {
  const backend = await createBackend({ dbPath, ...files, log: logToStderr });
  const server = await startServer({ backend, staticDir: rendererDir(), port });
  await writeOut(`Scorebench (browser mode) on ${server.openUrl}\ndatabase: ${dbPath}\n`);
  await new Promise<void>((resolveStop) => {
    const stop = () => resolveStop();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  await backend.close();
  return 0;
}

/** Where a command's relative data paths resolve, and the folders data may be read from. */
type BackendScope = Required<Pick<BackendOptions, 'baseDir' | 'dataRoots'>>;

async function withBackend(dbPath: string, files: BackendScope, work: (backend: Backend) => Promise<number>): Promise<number> {
  const backend = await createBackend({ dbPath, ...files, log: logToStderr });
  try {
    return await work(backend);
  } finally {
    await backend.close();
  }
}

/** The runs as a table for a terminal: every cell printable(), since names and errors are anyone's text. */
function runsTable(runs: RunSummary[]): string {
  const rows = runs.map((r) => [
    String(r.id),
    r.name,
    r.status,
    r.backend?.name ?? '',
    `${r.steps}/${r.totalSteps}`,
    r.finalLoss === null ? '' : r.finalLoss.toPrecision(4),
    r.metrics?.modeShareError === undefined ? '' : r.metrics.modeShareError.toFixed(3),
    r.createdAt,
  ].map(printable));
  const header = ['id', 'name', 'status', 'backend', 'steps', 'loss', 'mode err', 'created'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

function logToStderr(level: string, message: string): void {
  if (level !== 'info' || process.env.SCOREBENCH_VERBOSE) void writeErr(`[engine ${level}] ${message}\n`);
}

main(process.argv.slice(2)).then(exitWhenDrained, async (err: Error) => {
  // Errors meant for the user print as they are; anything else is a bug, with its stack.
  const expected = err instanceof CliError || err instanceof ApiError || err instanceof StoreOpenError;
  await writeErr(`scorebench: ${expected ? err.message : (err.stack ?? err.message)}\n`);
  const badInput = err instanceof ApiError && (err.code === 'invalid-argument' || err.code === 'invalid-config');
  await exitWhenDrained(err instanceof CliError ? err.exitCode : badInput ? 2 : 1);
});
