/**
 * Measures the built-in presets: trains each with the CLI (`scorebench train <config> --json`, the
 * preset's config written to a file), one after another, and prints a Markdown row per preset with
 * the sample metrics of the run (MMD², sliced W₂, energy distance, mode-share error). Needs a build.
 *
 *   node --import tsx scripts/preset-metrics.ts [preset-id …]     (default: every preset)
 *
 * With --data-floor it trains nothing: it scores fresh draws from each preset's data (as many as the
 * preset samples) in place of samples, 5 times, and prints the MMD²'s mean ± sd, the value a
 * perfect sampler would get. Needs no build.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SampleMetrics } from '../src-shared/api';
import { requireExperimentConfig } from '../src-shared/config';
import { PRESETS } from '../src-shared/presets';
import { loadDataset } from '../src-main/engine/data';
import { createRng } from '../src-main/engine/random';
import { sampleDistances } from '../src-main/engine/run/evaluation';

const args = process.argv.slice(2);
const dataFloor = args.includes('--data-floor');
const ids = args.filter((a) => a !== '--data-floor');
const unknown = ids.filter((id) => !PRESETS.some((p) => p.id === id));
if (unknown.length > 0) {
  console.error(`unknown preset(s): ${unknown.join(', ')}; presets: ${PRESETS.map((p) => p.id).join(', ')}`);
  process.exit(2);
}
const chosen = ids.length > 0 ? PRESETS.filter((p) => ids.includes(p.id)) : PRESETS;
if (dataFloor) {
  void printDataFloor().then(() => process.exit(0));
} else {
  process.exit(trainEach());
}

/** MMD² of fresh data draws against the held-out reference, the way evaluateSamples scores samples. */
async function printDataFloor(): Promise<void> {
  console.log('| preset | MMD², data vs data (mean ± sd of 5) | points |');
  console.log('| --- | --- | --- |');
  for (const preset of chosen) {
    const config = requireExperimentConfig(preset.config);
    const data = await loadDataset(config.data, { rng: createRng(config.seed, 'data'), baseDir: '.' });
    if (!data.draw) {
      console.log(`| \`${preset.id}\` | — (no generator) | |`);
      continue;
    }
    const values = [0, 1, 2, 3, 4].map((r) => sampleDistances(data.draw!(config.sampler.n, createRng(r, 'data-floor')), data, config.seed)!);
    const mmd = values.map((d) => d.mmd2);
    const mean = mmd.reduce((a, b) => a + b, 0) / mmd.length;
    const sd = Math.sqrt(mmd.reduce((a, v) => a + (v - mean) ** 2, 0) / (mmd.length - 1));
    console.log(`| \`${preset.id}\` | ${mean.toExponential(1)} ± ${sd.toExponential(1)} | ${values[0].nSamples} vs ${values[0].nReference} |`);
  }
}

function trainEach(): number {
  const dir = mkdtempSync(join(tmpdir(), 'scorebench-presets-'));
  const cli = join(import.meta.dirname, '..', 'bin', 'scorebench.js');
  const fixed = (v: number | undefined, digits: number) => (v === undefined ? '—' : v.toFixed(digits));

  console.log('| preset | MMD² | sliced W₂ | energy distance | mode-share error | samples vs held-out | train s |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  let failed = 0;
  for (const preset of chosen) {
    const file = join(dir, `${preset.id}.json`);
    writeFileSync(file, JSON.stringify(preset.config));
    const run = spawnSync(process.execPath, [cli, 'train', file, '--db', join(dir, 'runs.sqlite'), '--json'], { encoding: 'utf8' });
    const last = run.stdout.trim().split('\n').pop() ?? '';
    let summary: { status?: string; error?: string; trainSeconds?: number; metrics?: SampleMetrics } = {};
    try {
      summary = JSON.parse(last) as typeof summary;
    } catch {
      summary = { error: run.stderr.trim().split('\n').pop() };
    }
    if (summary.status !== 'completed') {
      failed++;
      console.log(`| \`${preset.id}\` | failed: ${summary.error ?? summary.status} | | | | | |`);
      continue;
    }
    const m = summary.metrics;
    const d = m?.distances;
    console.log(
      `| \`${preset.id}\` | ${d ? d.mmd2.toExponential(1) : '—'} | ${fixed(d?.slicedWasserstein, 3)} | ${fixed(d?.energyDistance, 4)} | ` +
        `${fixed(m?.modeShareError, 3)} | ${d ? `${d.nSamples} vs ${d.nReference}` : '—'} | ${fixed(summary.trainSeconds, 0)} |`,
    );
  }
  rmSync(dir, { recursive: true, force: true });
  return failed > 0 ? 1 : 0;
}
