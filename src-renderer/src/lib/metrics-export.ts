/** The selected runs' metrics as CSV (one row per logged point) and JSON (per run: outcome, config, curves). */
import type { Curve, RunSummary } from '../../../src-shared/api';

/** A plain decimal number, as a spreadsheet reads it: safe to leave as it is, sign included. */
const PLAIN_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * A text cell a spreadsheet would run as a formula (OWASP "CSV Injection": a cell starting with
 * = + - @, tab or carriage return) gets a leading `'`, so it shows as text; a run named
 * `=HYPERLINK(…)` stays a name. Plain numbers such as -1.5 stay numbers.
 */
const neutralised = (text: string): string => (/^[=+\-@\t\r]/.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text);

/** RFC 4180 quoting: fields with a comma, quote or line break are quoted, quotes doubled. */
const csvField = (value: string | number | null): string => {
  const text = value == null || (typeof value === 'number' && Number.isNaN(value)) ? '' : neutralised(String(value));
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

export function curvesToCsv(runs: readonly RunSummary[], curves: readonly Curve[]): string {
  const names = new Map(runs.map((r) => [r.id, r.name]));
  const lines = ['run_id,run_name,key,step,time,value'];
  for (const curve of curves)
    for (const p of curve.points)
      lines.push([curve.runId, names.get(curve.runId) ?? '', curve.key, p.step, p.time, p.value].map(csvField).join(','));
  return `${lines.join('\n')}\n`;
}

export function curvesToJson(runs: readonly RunSummary[], curves: readonly Curve[], exportedAt = new Date()): string {
  const document = {
    exportedAt: exportedAt.toISOString(),
    runs: runs.map((run) => ({
      id: run.id,
      name: run.name,
      status: run.status,
      tags: run.tags,
      finalLoss: run.finalLoss,
      metrics: run.metrics,
      steps: run.steps,
      trainSeconds: run.trainSeconds,
      sampleSeconds: run.sampleSeconds,
      backend: run.backend,
      config: run.config,
      // Columnar per key; a NaN loss is written as null.
      curves: Object.fromEntries(
        curves
          .filter((c) => c.runId === run.id)
          .map((c) => [
            c.key,
            { step: c.points.map((p) => p.step), time: c.points.map((p) => p.time), value: c.points.map((p) => p.value) },
          ]),
      ),
    })),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
