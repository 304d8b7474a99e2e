/**
 * Trains the `mixture-narrow-mode` preset over several seeds and prints, per seed, one JSON line:
 * every mode's share, the narrow mode's (the last), the mode-share error, the off-support fraction
 * and the Fisher divergence at each level (README, "Narrow modes"; bench/narrow-mode.py is
 * PyTorch's side).
 *
 *   node --import tsx scripts/narrow-mode-metrics.ts [--seeds 0,1,2] [--base '<json>'] [--ncsn] [--before] [--set '<json>']
 *
 * --base replaces the preset's config by its own (`--base '{}'`: the default experiment, to check
 * that defaults chosen for the narrow mode still recover the default mixture's weights); the
 * options below apply over it all the same. --ncsn applies NCSN's settings (geometric σ 10 → 0.01,
 * ε = 2·10⁻⁵, lr 1e-3 given explicitly); --before restores the old defaults (Glorot initialisation,
 * cosine lr decay, no weights' average); --set merges a config fragment of its own over them.
 * Runs in-process on the engine's backend (wasm).
 */
import type { ExperimentConfigInput } from '../src-shared/config';
import { requireExperimentConfig } from '../src-shared/config';
import { PRESETS } from '../src-shared/presets';
import { initBackend } from '../src-main/engine/backend';
import { runExperiment } from '../src-main/engine/run/run-experiment';

const NCSN: ExperimentConfigInput = {
  schedule: { kind: 'geometric', sigmaMax: 10, sigmaMin: 0.01, levels: 10 },
  sampler: { kind: 'annealed-langevin', eps: 2e-5 },
  train: { lr: 1e-3 },
};
const BEFORE: ExperimentConfigInput = { model: { kind: 'mlp', init: 'glorot' }, train: { lrSchedule: 'cosine', ema: 0 } };

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
/** `over`'s fields over `base`'s, objects merged field by field. */
function merge(base: Json, over: Json): Json {
  const out: Json = { ...base };
  for (const [key, value] of Object.entries(over)) out[key] = isObject(value) && isObject(out[key]) ? merge(out[key], value) : value;
  return out;
}

const args = process.argv.slice(2);
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const seeds = (option('--seeds') ?? '0,1,2').split(',').map(Number);
let input = option('--base') ? (JSON.parse(option('--base')!) as Json) : (PRESETS.find((p) => p.id === 'mixture-narrow-mode')!.config as Json);
if (args.includes('--ncsn')) input = merge(input, NCSN as Json);
if (args.includes('--before')) input = merge(input, BEFORE as Json);
if (option('--set')) input = merge(input, JSON.parse(option('--set')!) as Json);

async function main(): Promise<void> {
  await initBackend();
  for (const seed of seeds) await measure(seed);
}

async function measure(seed: number): Promise<void> {
  const config = requireExperimentConfig({ ...input, seed });
  const outcome = await runExperiment(config, { baseDir: '.', isCancelled: () => false, emit: () => undefined });
  const m = outcome.metrics;
  const shares = m?.modeShares?.map((s) => +s.share.toFixed(3)) ?? [];
  console.log(
    JSON.stringify({
      seed,
      status: outcome.status,
      shares,
      narrowShare: shares.at(-1),
      modeShareError: m?.modeShareError === undefined ? undefined : +m.modeShareError.toFixed(3),
      offSupport: m?.offSupport,
      fisher: m?.fisher?.levels.map((l) => (l.value === null ? null : +l.value.toFixed(4))),
      sigmas: m?.fisher?.levels.map((l) => +l.sigma.toFixed(4)),
    }),
  );
}

void main().then(() => process.exit(0));
