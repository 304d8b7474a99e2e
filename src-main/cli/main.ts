/**
 * `scorebench`: every job the UI can start, headless, on the same engine, store and API handlers.
 *
 *   scorebench train <config.json> [--db <file>] [--name <name>] [--json]
 *   scorebench resume <runId> [--db <file>] [--steps <n>] [--lr <x>] [--json]
 *   scorebench runs [--db <file>] [--json]
 *   scorebench samples <runId> [--db <file>] [--format csv|json]
 *   scorebench serve [--db <file>] [--port <n>]     browser mode on 127.0.0.1
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createBackend, type Backend, type BackendOptions } from '../api/backend';
import { dataDirsFromEnv, resolveInScope, type FileScope } from '../platform/file-scope';
import { ApiError, type RunSummary } from '../common/api';
import { parseExperimentConfig } from '../common/config';
import { rendererDir } from '../platform/paths';
import { startServer } from '../server/http-server';
import { defaultDatabasePath, StoreOpenError } from '../store';
import { formatDuration, ProgressBar } from './progress-bar';

const USAGE = `Usage:
  scorebench train <config.json> [--db <file>] [--name <name>] [--json]
  scorebench resume <runId> [--db <file>] [--steps <n>] [--lr <x>] [--json]
                    trains a paused, interrupted, failed or cancelled run on from its last checkpoint
  scorebench runs [--db <file>] [--json]
  scorebench samples <runId> [--db <file>] [--format csv|json]
  scorebench serve [--db <file>] [--port <n>]

The database defaults to $SCOREBENCH_DB, else the app's user-data folder.
Data files (data.path) are read only from the config file's folder (train) or the working folder,
and from folders given with --data-dir <folder> (repeatable) or $SCOREBENCH_DATA_DIR.`;

/** An error that ends the command with a message and an exit code, without a stack trace. */
class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      db: { type: 'string' },
      json: { type: 'boolean', default: false },
      name: { type: 'string' },
      format: { type: 'string', default: 'csv' },
      port: { type: 'string' },
      steps: { type: 'string' },
      lr: { type: 'string' },
      'data-dir': { type: 'string', multiple: true, default: [] },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (!command || command === 'help' || command === '--help' || command === '-h' || values.help) {
    process.stdout.write(`${USAGE}\n`);
    return command ? 0 : 2;
  }
  const dbPath = values.db ? resolve(values.db) : defaultDatabasePath();
  // The folders data files may be read from: those named, then $SCOREBENCH_DATA_DIR's; `train` adds
  // its config's folder, every other command the working folder.
  const dataDirs = [...values['data-dir'].map((d) => resolve(d)), ...dataDirsFromEnv()];
  const scope = (baseDir: string): BackendScope => ({ baseDir, dataRoots: [baseDir, ...dataDirs] });

  switch (command) {
    case 'train': {
      const file = positionals[0];
      if (!file) throw new CliError(`train needs a config file\n${USAGE}`);
      return train(file, dbPath, scope(dirname(resolve(file))), values.name, values.json);
    }
    case 'resume': {
      const runId = parseRunId(positionals[0], 'resume');
      const train: Record<string, number> = {};
      // Numbers as given; the config schema says what is wrong with them.
      if (values.steps !== undefined) train.steps = Number(values.steps);
      if (values.lr !== undefined) train.lr = Number(values.lr);
      return withBackend(dbPath, scope(process.cwd()), async (backend) => {
        const run = await backend.call('resumeRun', { runId, ...(Object.keys(train).length ? { overrides: { train } } : {}) });
        return follow(backend, run.id, values.json, dbPath);
      });
    }
    case 'runs':
      return withBackend(dbPath, scope(process.cwd()), async (backend) => {
        const runs = await backend.call('listRuns', {});
        if (values.json) process.stdout.write(`${JSON.stringify(runs)}\n`);
        else printRunsTable(runs);
        return 0;
      });
    case 'samples': {
      const runId = parseRunId(positionals[0], 'samples');
      if (values.format !== 'csv' && values.format !== 'json')
        throw new CliError(`--format must be csv or json, not "${values.format}"`);
      return withBackend(dbPath, scope(process.cwd()), async (backend) => {
        const set = await backend.call('getSamples', { runId });
        if (!set) throw new CliError(`run ${runId} has no samples yet`, 1);
        if (values.format === 'json') process.stdout.write(`${JSON.stringify(set)}\n`);
        else {
          const lines: string[] = [];
          for (let i = 0; i < set.n; i++) lines.push(set.points.slice(i * set.dim, (i + 1) * set.dim).join(','));
          process.stdout.write(`${lines.join('\n')}\n`);
        }
        return 0;
      });
    }
    case 'serve':
      return serve(dbPath, scope(process.cwd()), values.port);
    default:
      throw new CliError(`unknown command "${command}"\n${USAGE}`);
  }
}

function parseRunId(text: string | undefined, command: string): number {
  const runId = Number(text);
  if (!Number.isInteger(runId) || runId <= 0) throw new CliError(`${command} needs a run id (a positive integer)\n${USAGE}`);
  return runId;
}

/** Reads a config file; relative data paths become absolute against the file's folder, and must lie in `files`' folders. */
function readConfigFile(file: string, files: FileScope): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read config ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new CliError(`config ${file} is not valid JSON: ${(err as Error).message}`);
  }
  const parsed = parseExperimentConfig(raw);
  if (!parsed.ok)
    throw new CliError(`config ${file} is invalid:\n${parsed.issues.map((i) => `  ${i.field}: ${i.message}`).join('\n')}`);
  const data = (raw as { data?: { kind?: string; path?: string } }).data;
  if (data?.kind === 'csv' && data.path) {
    data.path = resolve(dirname(file), data.path);
    // The backend checks this too, but only after opening (and maybe creating) the database.
    const where = resolveInScope(data.path, files);
    if ('error' in where) throw new CliError(`config ${file} is invalid:\n  data.path: ${where.error}`);
  }
  return raw;
}

async function train(file: string, dbPath: string, files: BackendScope, name: string | undefined, json: boolean): Promise<number> {
  // Validate before opening the database, so a bad config changes nothing on disk.
  const config = readConfigFile(file, { baseDir: files.baseDir, roots: files.dataRoots });
  return withBackend(dbPath, files, async (backend) => {
    const experiment = await backend.call('createExperiment', {
      name: name ?? basename(file).replace(/\.json$/i, ''),
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
  const unsubscribe = backend.events.subscribe((event) => {
    if (event.name === 'runProgress' && event.payload.runId === runId) bar.update(event.payload);
  });
  const onSignal = () => {
    process.stderr.write(`\npausing at the next step (a checkpoint is kept; \`scorebench resume ${runId}\` continues)…\n`);
    void backend.runs.pause(runId);
  };
  process.once('SIGINT', onSignal);
  await backend.runs.whenSettled(runId);
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
    steps: done.steps,
    trainSeconds: done.trainSeconds,
    stepsPerSecond: done.trainSeconds ? done.steps / done.trainSeconds : null,
    sampleSeconds: done.sampleSeconds,
    finalLoss: done.finalLoss,
    metrics: done.metrics,
    error: done.error,
    db: dbPath,
  };
  if (json) process.stdout.write(`${JSON.stringify(summary)}\n`);
  else {
    process.stderr.write(
      `run ${done.id} ${done.status} on ${summary.backend ?? '?'}: ${done.steps} steps in ${formatDuration(done.trainSeconds ?? NaN)}` +
        `${summary.stepsPerSecond ? ` (${summary.stepsPerSecond.toFixed(1)} steps/s)` : ''}` +
        `${done.metrics?.modeShareError !== undefined ? `, mode-share error ${done.metrics.modeShareError.toFixed(3)}` : ''}` +
        `${done.metrics?.offSupport !== undefined ? `, ${(100 * done.metrics.offSupport).toFixed(1)}% off support` : ''}` +
        `${done.metrics?.distances ? `, MMD² ${done.metrics.distances.mmd2.toExponential(2)} (${done.metrics.distances.nSamples} samples)` : ''}` +
        `${done.error ? `\nerror: ${done.error}` : ''}\n`,
    );
  }
  return done.status === 'completed' ? 0 : done.status === 'cancelled' || done.status === 'paused' ? 130 : 1;
}

async function serve(dbPath: string, files: BackendScope, port: string | undefined): Promise<number> {
  const backend = await createBackend({ dbPath, ...files, log: logToStderr });
  const server = await startServer({ backend, staticDir: rendererDir(), port: port ? Number(port) : 0 });
  process.stdout.write(`Scorebench (browser mode) on ${server.openUrl}\ndatabase: ${dbPath}\n`);
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

function printRunsTable(runs: RunSummary[]): void {
  const rows = runs.map((r) => [
    String(r.id),
    r.name,
    r.status,
    r.backend?.name ?? '',
    `${r.steps}/${r.totalSteps}`,
    r.finalLoss === null ? '' : r.finalLoss.toPrecision(4),
    r.metrics?.modeShareError === undefined ? '' : r.metrics.modeShareError.toFixed(3),
    r.createdAt,
  ]);
  const header = ['id', 'name', 'status', 'backend', 'steps', 'loss', 'mode err', 'created'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  process.stdout.write(`${[line(header), ...rows.map(line)].join('\n')}\n`);
}

function logToStderr(level: string, message: string): void {
  if (level !== 'info' || process.env.SCOREBENCH_VERBOSE) process.stderr.write(`[engine ${level}] ${message}\n`);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: Error) => {
    // Errors meant for the user print as they are; anything else is a bug, with its stack.
    const expected = err instanceof CliError || err instanceof ApiError || err instanceof StoreOpenError;
    process.stderr.write(`scorebench: ${expected ? err.message : (err.stack ?? err.message)}\n`);
    const badInput = err instanceof ApiError && (err.code === 'invalid-argument' || err.code === 'invalid-config');
    process.exit(err instanceof CliError ? err.exitCode : badInput ? 2 : 1);
  },
);
