/**
 * Run bundles (see src-shared/bundle.ts for the format): reading a whole run out of the store into
 * one document, and checking one and writing it back as a new run. The store writes an import in
 * one transaction, so a bundle that fails any check, or a write that fails midway, leaves nothing.
 */
import { createHash } from 'node:crypto';
import { ApiError, type RunDetail } from '../../src-shared/api';
import { BUNDLE_FORMAT, BUNDLE_FORMAT_VERSION, MAX_BUNDLE_REQUEST_BYTES, digestInput, parseRunBundle, type RunBundle } from '../../src-shared/bundle';
import { formatIssues } from '../../src-shared/issues';
import type { RunRecord, Store } from '../store/store';

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

const toBase64 = (data: Float32Array): string => Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64');

function fromBase64(text: string): Float32Array {
  const bytes = Buffer.from(text, 'base64');
  // Copied into a fresh buffer: a Buffer may start at an offset a Float32Array cannot view.
  const out = new Float32Array(bytes.byteLength / 4);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

/**
 * Everything the store holds for `run`, curves at full resolution; refused when importing it would
 * take more than `maxBytes` (the import limit).
 */
export async function exportRunBundle(store: Store, run: RunDetail, maxBytes = MAX_BUNDLE_REQUEST_BYTES): Promise<RunBundle> {
  const experiment = await store.getExperiment(run.experimentId);
  if (!experiment) throw new ApiError('not-found', `experiment ${run.experimentId} of run ${run.id} does not exist`);
  if (run.status === 'running' || run.status === 'queued')
    throw new ApiError('conflict', `run ${run.id} is ${run.status}: export it once it has finished`);

  const curves: RunBundle['curves'] = [];
  for (const key of await store.listMetricKeys(run.id)) {
    const points = await store.getCurve(run.id, key, Infinity);
    curves.push({
      key,
      steps: points.map((p) => p.step),
      times: points.map((p) => p.time),
      // NaN (a diverged loss) has no JSON form; null stands for it.
      values: points.map((p) => (Number.isFinite(p.value) ? p.value : null)),
    });
  }
  const content: Omit<RunBundle, 'digest'> = {
    format: BUNDLE_FORMAT,
    formatVersion: BUNDLE_FORMAT_VERSION,
    exportedAt: new Date().toISOString(),
    // The run's own config: the experiment's may differ if it was ever edited after the run.
    experiment: { name: experiment.name, config: run.config },
    run: {
      name: run.name,
      status: run.status,
      createdAt: run.createdAt,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      backend: run.backend,
      seed: run.seed,
      steps: run.steps,
      totalSteps: run.totalSteps,
      trainSeconds: run.trainSeconds,
      sampleSeconds: run.sampleSeconds,
      finalLoss: run.finalLoss !== null && Number.isFinite(run.finalLoss) ? run.finalLoss : null,
      metrics: run.metrics,
      error: run.error,
      tags: run.tags,
      notes: run.notes,
    },
    curves,
    schedule: await store.getSchedule(run.id),
    trainingData: await store.getTrainingData(run.id),
    sampleSets: (await store.listSampleSets(run.id)).map(({ label, frame, n, dim, points, metrics }) => ({
      label,
      ...(frame ? { frame } : {}),
      n,
      dim,
      points: points.map((v) => (Number.isFinite(v) ? v : null)),
      metrics,
    })),
    weights: (await store.listWeights(run.id)).map((w) => ({
      step: w.step,
      tensors: w.tensors.map((t) => ({ name: t.name, shape: t.shape, data: toBase64(t.data) })),
    })),
  };
  // JSON round trip first, so the digest is over exactly what the file will hold.
  const written = JSON.parse(JSON.stringify(content)) as Omit<RunBundle, 'digest'>;
  const bundle: RunBundle = { ...written, digest: { algorithm: 'sha256', value: sha256(digestInput(written)) } };
  const bytes = importRequestBytes(JSON.stringify(bundle));
  if (bytes > maxBytes)
    throw new ApiError(
      'invalid-argument',
      `run ${run.id}'s bundle would take ${bytes} bytes to import, more than the ${maxBytes} bytes import accepts; delete some of its sample sets or checkpoints' weights and export again`,
    );
  return bundle;
}

/**
 * The bytes of the importRunBundle request that carries a bundle file's text, as the UI sends it:
 * `{"bundle":"<text>"}`, the text a JSON string, so each `"` and `\` in it gains a backslash.
 * (JSON.stringify's output has no raw control characters, the only other characters escaped.)
 */
export function importRequestBytes(fileText: string): number {
  let escaped = 0;
  for (let i = 0; i < fileText.length; i++) {
    const c = fileText.charCodeAt(i);
    if (c === 0x22 || c === 0x5c) escaped++;
  }
  return Buffer.byteLength(fileText, 'utf8') + escaped + '{"bundle":""}'.length;
}

/**
 * Checks a bundle (object or JSON text) and returns what the store writes for it; throws
 * ApiError('invalid-argument') naming the field at fault, before anything is written.
 */
export function checkRunBundle(input: unknown): RunRecord {
  const raw = typeof input === 'string' ? safeParse(input) : input;
  const parsed = parseRunBundle(raw);
  if (!parsed.ok)
    throw new ApiError('invalid-argument', `importRunBundle: ${formatIssues(parsed.issues)}`, parsed.issues);
  const { bundle } = parsed;
  if (sha256(digestInput(raw as object)) !== bundle.digest.value) {
    const issue = { field: 'bundle.digest', message: 'does not match the content: the bundle was altered or damaged after export' };
    throw new ApiError('invalid-argument', `importRunBundle: ${issue.field}: ${issue.message}`, [issue]);
  }
  const nanForNull = (v: number | null): number => v ?? NaN;
  return {
    experiment: bundle.experiment,
    run: { ...bundle.run },
    curves: bundle.curves.map((c) => ({
      key: c.key,
      points: c.steps.map((step, i) => ({ step, time: c.times[i], value: nanForNull(c.values[i]) })),
    })),
    schedule: bundle.schedule,
    trainingData: bundle.trainingData,
    sampleSets: bundle.sampleSets.map((s) => ({ ...s, points: s.points.map(nanForNull) })),
    weights: bundle.weights.map((w) => ({
      step: w.step,
      tensors: w.tensors.map((t) => ({ name: t.name, shape: t.shape, data: fromBase64(t.data) })),
    })),
  };
}

/** JSON text to a value, or the text itself when it is not JSON (parseRunBundle reports it). */
function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export async function importRunBundle(store: Store, input: unknown): Promise<RunDetail> {
  return store.importRun(checkRunBundle(input));
}
