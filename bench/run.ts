/**
 * `npm run bench`: Scorebench against a PyTorch reference on the same machine (issue 5).
 *
 *   npm run bench [-- --json] [-- --rounds N]      (npm run -s … keeps --json's stdout pure JSON)
 *
 * Workloads (both sides: the same network, batch, optimizer, float32; PyTorch on 2 threads):
 *   1. training, 2D: noise-conditional MLP (sinusoidal σ embedding, 3 hidden layers of 128),
 *      multi-scale DSM, batch 512, Adam: steps/s, through the engine's own run loop;
 *   2. training, images: the 'mnist-unet-dsm' preset's U-Net and DSM at batch 64, Adam: steps/s
 *      (issue 5 sets no target for it);
 *   3. sampling: annealed Langevin over 10 levels, 10,000 chains: chain-steps/s. Each round runs
 *      every level at SAMPLE_STEPS_PER_LEVEL steps (the cost of a step does not depend on the
 *      level), so the full 10 × 100 = 1,000 steps are not waited for on every round;
 *   4. logging: metric points written to the store per second while a second connection polls
 *      the curve;
 *   5. reading: one downsampled read (2,000 points) of a 10⁶-point curve, in ms.
 * Plus the cost of logging to training: steps/s with logEvery = 1 against 1000, every point
 * written to a store in this process (the host's work, here competing for the same cores).
 *
 * Scorebench and PyTorch rounds alternate (A B C A B C …) after a warm-up of each; the table shows
 * each side's median round and its range. PyTorch runs on 2 threads, the issue's reference that the
 * targets compare with, and on 1 thread for context (on 2 cores its OpenMP threads beside
 * OpenBLAS's own can be the slower choice); a PyTorch round stops early past TORCH_MAX_SECONDS. Each
 * PyTorch row shows Scorebench / that row. The machine may be shared, so the CPU pressure over the
 * run is printed with the table.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { BackendInfo } from '../src-shared/api';
import { initBackend } from '../src-main/engine/backend';
import type { MetricPoint, NamedTensor } from '../src-main/engine/types';
import { imageReferenceWorkload, imageTrainingConfig, referenceWorkload, sampleRound, samplingConfig, samplingNetwork, trainingConfig, trainRound, type Timed } from './engine-workloads';
import { TorchReference, type ReferenceInfo } from './reference';
import { curveQueryMs, fillLongCurve, logWithReader, openBenchStore } from './store-workloads';

const TRAIN_STEPS = 150;
/** The U-Net's steps take about a second on 2 cores: a round of 20 keeps the workload to a few minutes. */
const IMAGE_TRAIN_STEPS = 20;
const SAMPLE_STEPS_PER_LEVEL = 10;
const LOG_STEPS = 10_000;
const CURVE_POINTS = 1_000_000;
const CURVE_QUERIES = 15;
const OVERHEAD_STEPS = 200;
/** PyTorch on 2 threads is the issue's reference; on 1 thread it is shown for context. */
const TORCH_THREADS = [2, 1];
/** A PyTorch round stops early past this (its OpenMP threads stall when the machine is busy). */
const TORCH_MAX_SECONDS = 8;

const TARGETS = { trainingRatio: 1, samplingRatio: 1, loggingPointsPerSecond: 100_000, curveQueryMs: 50 };

interface Row {
  workload: string;
  implementation: string;
  backend: string;
  /** Median over rounds, in `unit`; null when skipped. */
  value: number | null;
  unit: string;
  /** Slowest and fastest round, same unit. */
  spread: [number, number] | null;
  /** Scorebench / PyTorch (or the reverse sense for ms), on Scorebench rows. */
  ratio: number | null;
  target: string | null;
  met: boolean | null;
  note?: string;
}

const args = process.argv.slice(2);
const asJson = args.includes('--json');
const roundsArg = args.indexOf('--rounds');
const ROUNDS = roundsArg >= 0 ? Number(args[roundsArg + 1]) : 3;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const rate = (t: Timed): number => t.work / t.seconds;
const log = (line: string): void => void process.stderr.write(line + '\n');

/** CPU pressure (Linux PSI): the share of time some task waited for a CPU, over an interval. */
function cpuPressureTotalUs(): number | null {
  try {
    const match = /some .*total=(\d+)/.exec(readFileSync('/proc/pressure/cpu', 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

function machine() {
  return { cpu: cpus()[0]?.model.trim() ?? 'unknown', cores: availableParallelism(), node: process.version, platform: `${process.platform} ${process.arch}` };
}

function backendLabel(info: BackendInfo): string {
  return `${info.name}${info.threads ? `, ${info.threads} thread${info.threads > 1 ? 's' : ''}` : ''}`;
}

function referenceLabel(info: ReferenceInfo): string {
  const blas = info.blas.includes('openblas') ? 'OpenBLAS' : info.blas.includes('/blas/') ? 'reference BLAS' : info.blas.split('/').at(-1);
  return `cpu, ${info.threads} thread${info.threads > 1 ? 's' : ''}, ${blas}`;
}

type Side = [label: string, run: () => Promise<Timed>];

/** `rounds` rounds, each running every side once in order (A B C A B C …): the rate of each round, per side. */
async function alternate(sides: Side[], rounds: number): Promise<number[][]> {
  const rates = sides.map((): number[] => []);
  for (let r = 0; r < rounds; r++) {
    for (const [i, [, run]] of sides.entries()) rates[i].push(rate(await run()));
    log(`  round ${r + 1}/${rounds}: ${sides.map(([label], i) => `${label} ${fmt(rates[i].at(-1)!)}`).join(', ')}`);
  }
  return rates;
}

function fmt(x: number): string {
  return x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toPrecision(3);
}

/**
 * Scorebench's row, judged against the first PyTorch side (the issue's reference: 2 threads),
 * then one row per PyTorch side with Scorebench / that side.
 */
function compareRows(workload: string, unit: string, backend: string, sb: number[], torchSides: { label: string; rates: number[] }[], targetRatio: number | null): Row[] {
  const value = median(sb);
  const spread = (xs: number[]): [number, number] => [Math.min(...xs), Math.max(...xs)];
  const reference = torchSides.length ? median(torchSides[0].rates) : null;
  const ratio = reference ? value / reference : null;
  return [
    {
      workload,
      implementation: 'Scorebench',
      backend,
      value,
      unit,
      spread: spread(sb),
      ratio: null,
      target: targetRatio === null ? null : `ratio ≥ ${targetRatio.toFixed(1)}`,
      met: ratio === null || targetRatio === null ? null : ratio >= targetRatio,
    },
    ...torchSides.map(({ label, rates }): Row => ({
      workload,
      implementation: 'PyTorch',
      backend: label,
      value: median(rates),
      unit,
      spread: spread(rates),
      ratio: value / median(rates),
      target: null,
      met: null,
    })),
  ];
}

function printTable(rows: Row[]): void {
  const cells = rows.map((r) => [
    r.workload,
    r.implementation,
    r.backend,
    r.value === null ? (r.note ?? 'skipped') : `${fmt(r.value)} ${r.unit}` + (r.spread && r.spread[0] !== r.spread[1] ? ` (${fmt(r.spread[0])}–${fmt(r.spread[1])})` : ''),
    r.ratio === null ? '' : r.ratio.toFixed(2),
    r.target === null ? '' : `${r.target}: ${r.met === null ? '—' : r.met ? 'met' : 'missed'}`,
  ]);
  const header = ['workload', 'implementation', 'backend', 'throughput (median, range)', 'Scorebench / this', 'target (vs 2 threads)'];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => '| ' + c.map((x, i) => x.padEnd(widths[i])).join(' | ') + ' |';
  console.log(line(header));
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  for (const c of cells) console.log(line(c));
}

async function main(): Promise<void> {
  const started = performance.now();
  const pressure0 = cpuPressureTotalUs();
  const backend = await initBackend();
  const sbLabel = backendLabel(backend);
  const skipped = TorchReference.unavailable();
  const torch = skipped ? null : TorchReference.start();
  const refInfo = torch ? await torch.call<ReferenceInfo>({ cmd: 'info', threads: 2 }) : null;
  referenceInfo = refInfo;
  const refLabel = refInfo ? referenceLabel(refInfo) : null;
  if (skipped) log(`PyTorch reference: skipped (${skipped}); Scorebench rows only.`);
  else log(`Scorebench on ${sbLabel}; PyTorch ${refInfo!.torch} on ${refLabel} (${refInfo!.blas})`);
  const rows: Row[] = [];
  const scratch = mkdtempSync(join(tmpdir(), 'scorebench-bench-'));
  try {
    // 1. Training, 2D.
    log('training 2D: warm-up');
    const warm = await trainRound(trainingConfig(30, 10));
    const trainRef = torch ? await referenceWorkload(trainingConfig(TRAIN_STEPS, 10)) : null;
    if (torch) await torch.call({ ...trainRef, cmd: 'train', steps: 30, threads: 2, maxSeconds: TORCH_MAX_SECONDS });
    let weights: NamedTensor[] = warm.weights;
    const torchTrain = (threads: number): Side => [
      `PyTorch ${threads}T`,
      async () => toTimed(await torch!.call({ ...trainRef, cmd: 'train', threads, maxSeconds: TORCH_MAX_SECONDS }), 'steps'),
    ];
    const [sbTrain, ...ptTrain] = await alternate(
      [
        [
          'Scorebench',
          async () => {
            const round = await trainRound(trainingConfig(TRAIN_STEPS, 10));
            weights = round.weights;
            return round;
          },
        ],
        ...(torch ? TORCH_THREADS.map(torchTrain) : []),
      ],
      ROUNDS,
    );
    rows.push(...compareRows('training 2D (MLP 3×128, batch 512)', 'steps/s', sbLabel, sbTrain, torchRows(ptTrain), TARGETS.trainingRatio));

    // 2. Training, images.
    log('training images: warm-up');
    await trainRound(imageTrainingConfig(3));
    const imageRef = torch ? await imageReferenceWorkload(imageTrainingConfig(IMAGE_TRAIN_STEPS)) : null;
    if (torch) await torch.call({ ...imageRef, cmd: 'train', steps: 3, threads: 2, maxSeconds: TORCH_MAX_SECONDS });
    const torchImage = (threads: number): Side => [
      `PyTorch ${threads}T`,
      async () => toTimed(await torch!.call({ ...imageRef, cmd: 'train', threads, maxSeconds: TORCH_MAX_SECONDS }), 'steps'),
    ];
    const [sbImage, ...ptImage] = await alternate(
      [['Scorebench', () => trainRound(imageTrainingConfig(IMAGE_TRAIN_STEPS))], ...(torch ? TORCH_THREADS.map(torchImage) : [])],
      ROUNDS,
    );
    rows.push(...compareRows('training images (MNIST U-Net, batch 64)', 'steps/s', sbLabel, sbImage, torchRows(ptImage), null));

    // 3. Sampling.
    log('sampling: warm-up');
    const net = samplingNetwork(samplingConfig(1), weights);
    try {
      await sampleRound(samplingConfig(1), net);
      const sampleRef = torch ? await referenceWorkload(samplingConfig(SAMPLE_STEPS_PER_LEVEL), weights) : null;
      if (torch) await torch.call({ ...sampleRef, cmd: 'sample', stepsPerLevel: 1, threads: 2, maxSeconds: TORCH_MAX_SECONDS });
      const torchSample = (threads: number): Side => [
        `PyTorch ${threads}T`,
        async () => toTimed(await torch!.call({ ...sampleRef, cmd: 'sample', threads, maxSeconds: TORCH_MAX_SECONDS }), 'chainSteps'),
      ];
      const [sbSample, ...ptSample] = await alternate(
        [['Scorebench', () => sampleRound(samplingConfig(SAMPLE_STEPS_PER_LEVEL), net)], ...(torch ? TORCH_THREADS.map(torchSample) : [])],
        ROUNDS,
      );
      rows.push(...compareRows('sampling (ALD, 10 levels, 10,000 chains)', 'chain-steps/s', sbLabel, sbSample, torchRows(ptSample), TARGETS.samplingRatio));
    } finally {
      net.dispose();
    }
    torch?.close();

    // 4. Logging with a reader open.
    log('logging: 3 rounds');
    const logging: number[] = [];
    let reads = 0;
    let slowestReadMs = 0;
    for (let r = 0; r < ROUNDS; r++) {
      const result = await logWithReader(join(scratch, `log-${r}.sqlite`), LOG_STEPS);
      logging.push(result.points / result.seconds);
      reads += result.reads;
      slowestReadMs = Math.max(slowestReadMs, result.slowestReadMs);
    }
    const loggingRate = median(logging);
    rows.push({
      workload: 'logging (reader polling)',
      implementation: 'Scorebench',
      backend: 'SQLite, WAL',
      value: loggingRate,
      unit: 'points/s',
      spread: [Math.min(...logging), Math.max(...logging)],
      ratio: null,
      target: '≥ 100,000 points/s',
      met: loggingRate >= TARGETS.loggingPointsPerSecond,
    });

    // 5. Reading a downsampled curve over 10⁶ points.
    log(`reading: filling a ${CURVE_POINTS.toLocaleString('en-US')}-point curve`);
    const filled = await fillLongCurve(join(scratch, 'curve.sqlite'), CURVE_POINTS);
    const queries: number[] = [];
    try {
      for (let i = 0; i < CURVE_QUERIES; i++) queries.push(await curveQueryMs(filled.store, filled.runId));
    } finally {
      await filled.store.close();
    }
    const queryMs = median(queries.slice(1));
    rows.push({
      workload: 'reading (2,000 of 10⁶ points)',
      implementation: 'Scorebench',
      backend: 'SQLite, WAL',
      value: queryMs,
      unit: 'ms/query',
      spread: [Math.min(...queries.slice(1)), Math.max(...queries.slice(1))],
      ratio: null,
      target: '≤ 50 ms',
      met: queryMs <= TARGETS.curveQueryMs,
    });

    // Logging's cost to training: every step logged (and stored) against every 1000th.
    log('logging overhead: logEvery 1 against 1000');
    const { store, runId } = await openBenchStore(join(scratch, 'overhead.sqlite'));
    const writes: Promise<void>[] = [];
    const storing = (points: MetricPoint[]) => void writes.push(store.appendMetrics(runId, points));
    const [every1, every1000] = await alternate(
      [
        ['logEvery 1', () => trainRound(trainingConfig(OVERHEAD_STEPS, 1), storing)],
        ['logEvery 1000', () => trainRound(trainingConfig(OVERHEAD_STEPS, 1000), storing)],
      ],
      ROUNDS,
    );
    await Promise.all(writes);
    await store.close();
    const overhead = {
      logEvery1: median(every1),
      logEvery1000: median(every1000),
      slowdown: 1 - median(every1) / median(every1000),
    };

    const pressure1 = cpuPressureTotalUs();
    const wallSeconds = (performance.now() - started) / 1000;
    const contention = pressure0 !== null && pressure1 !== null ? (pressure1 - pressure0) / 1e6 / wallSeconds : null;
    const report = {
      machine: machine(),
      scorebench: backend,
      reference: skipped ? { skipped } : refInfo,
      rounds: ROUNDS,
      rows,
      loggingOverhead: overhead,
      reads: { duringLogging: reads, slowestMs: slowestReadMs },
      fill: { points: CURVE_POINTS, pointsPerSecond: CURVE_POINTS / filled.seconds },
      cpuPressure: contention,
      loadAverage: loadavg()[0],
      seconds: wallSeconds,
    };
    if (asJson) {
      console.log(JSON.stringify(report, null, 2));
      return;
    }
    const m = report.machine;
    console.log(`Machine: ${m.cpu}, ${m.cores} cores, ${m.platform}, Node ${m.node}`);
    if (skipped) console.log(`PyTorch reference: skipped (${skipped})`);
    else console.log(`PyTorch ${refInfo!.torch}, BLAS ${refInfo!.blas}; the target compares with PyTorch on 2 threads, the issue's reference.`);
    console.log(`Median of ${ROUNDS} alternating rounds (Scorebench, PyTorch 2 threads, PyTorch 1 thread, Scorebench, …) after a warm-up; range in parentheses.\n`);
    printTable(rows);
    console.log(
      `\nLogging's cost to training (points stored in-process): ${fmt(overhead.logEvery1)} steps/s logging every step, ` +
        `${fmt(overhead.logEvery1000)} every 1000th: ${(overhead.slowdown * 100).toFixed(1)}% slower.`,
    );
    console.log(`While logging, the reader's getCurve ran ${reads} times, the slowest in ${slowestReadMs.toFixed(1)} ms; the ${CURVE_POINTS.toLocaleString('en-US')}-point fill ran at ${fmt(report.fill.pointsPerSecond)} points/s.`);
    if (contention !== null) console.log(`CPU pressure over the run: some task waited for a CPU ${(contention * 100).toFixed(0)}% of the time (load average ${report.loadAverage.toFixed(1)}).`);
    console.log(`Bench time: ${wallSeconds.toFixed(0)} s.`);
  } finally {
    torch?.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

function torchRows(rates: number[][]): { label: string; rates: number[] }[] {
  return rates.map((r, i) => ({ label: `${refLabelFor(TORCH_THREADS[i])}`, rates: r }));
}

let referenceInfo: ReferenceInfo | null = null;

function refLabelFor(threads: number): string {
  return referenceInfo ? referenceLabel({ ...referenceInfo, threads }) : `${threads} threads`;
}

function toTimed(reply: unknown, workKey: 'steps' | 'chainSteps'): Timed {
  const r = reply as { seconds: number } & Record<string, number>;
  return { seconds: r.seconds, work: r[workKey] };
}

void main().then(
  () => {
    // Unused tensors would hint at a leak in the workloads themselves.
    if (process.env.BENCH_DEBUG) log(`tensors left: ${tf.memory().numTensors}`);
  },
  (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  },
);
