/**
 * A run's score field: arrows of normalised length, coloured by the score's magnitude, over a heat
 * map of the perturbed density p_σ; the learned field beside the true one where it is known,
 * both on one colour scale so their magnitudes compare.
 */
import { useMemo, useState } from 'react';
import type { ScheduleLevel, ScoreField } from '../../../src-shared/api';
import { api } from '../api';
import { useApiData } from '../hooks/useApiData';
import { formatNumber } from '../lib/format';
import { squareBounds } from '../lib/scale';
import { cssVar, drawAxes, useSquareCanvas } from './DensityCanvas';
import { ErrorNote } from './ErrorNote';

/** Viridis at five stops: perceptually even, readable on light and dark backgrounds. */
const STOPS: [number, number, number][] = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];

/** The colour of t ∈ [0, 1] on the scale. */
function colorAt(t: number): string {
  const x = Math.max(0, Math.min(1, t)) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(x));
  const f = x - i;
  const [r, g, b] = STOPS[i].map((c, k) => Math.round(c + f * (STOPS[i + 1][k] - c)));
  return `rgb(${r}, ${g}, ${b})`;
}

/** log₁₀ of the smallest and largest finite non-zero magnitude over the vectors: magnitudes span decades near and far from the data. */
function magnitudeRange(fields: readonly (number[] | null)[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of fields) {
    if (!v) continue;
    for (let i = 0; i + 1 < v.length; i += 2) {
      const m = Math.hypot(v[i], v[i + 1]);
      if (!Number.isFinite(m) || m <= 0) continue;
      lo = Math.min(lo, m);
      hi = Math.max(hi, m);
    }
  }
  return lo <= hi ? [Math.log10(lo), Math.log10(hi)] : [0, 1];
}

function FieldCanvas({ field, vectors, range, which }: { field: ScoreField; vectors: number[]; range: [number, number]; which: 'learned' | 'true' }) {
  const bounds = useMemo(() => squareBounds([field.box.x[0], field.box.x[1]], [field.box.y[0], field.box.y[1]], 0), [field]);
  const ref = useSquareCanvas(
    (ctx, size, canvas) => {
      if (!bounds) return;
      const { side, left, top, px, py } = drawAxes(ctx, size, bounds);
      ctx.save();
      ctx.beginPath();
      ctx.rect(left, top, side, side);
      ctx.clip();
      // Density: opacity ∝ √(p / max p), as the galleries draw the data's histogram.
      const { resolution: r, values } = field.density;
      const top1 = Math.max(...values);
      const cw = (px(field.box.x[1]) - px(field.box.x[0])) / r;
      ctx.fillStyle = cssVar('--density', '#3b4a6b');
      if (top1 > 0)
        for (let j = 0; j < r; j++)
          for (let i = 0; i < r; i++) {
            const p = values[j * r + i] / top1;
            if (p < 1e-4) continue;
            ctx.globalAlpha = 0.05 + 0.7 * Math.sqrt(p);
            ctx.fillRect(px(field.box.x[0]) + i * cw, py(field.box.y[0]) - (j + 1) * cw, Math.ceil(cw), Math.ceil(cw));
          }
      ctx.globalAlpha = 1;
      // Arrows: all one length (0.8 of a cell), so direction reads everywhere; colour is the magnitude.
      const g = field.grid;
      const cell = (px(field.box.x[1]) - px(field.box.x[0])) / g;
      const length = 0.8 * cell;
      const head = Math.max(2.5, 0.28 * length);
      let drawn = 0;
      ctx.lineWidth = 1.4;
      for (let j = 0; j < g; j++)
        for (let i = 0; i < g; i++) {
          const k = (j * g + i) * 2;
          const vx = vectors[k];
          const vy = vectors[k + 1];
          const m = Math.hypot(vx, vy);
          if (!Number.isFinite(m) || m === 0) continue;
          // Canvas y grows downwards.
          const ux = vx / m;
          const uy = -vy / m;
          const cx = px(field.box.x[0]) + (i + 0.5) * cell;
          const cy = py(field.box.y[0]) - (j + 0.5) * cell;
          const x0 = cx - (ux * length) / 2;
          const y0 = cy - (uy * length) / 2;
          const x1 = cx + (ux * length) / 2;
          const y1 = cy + (uy * length) / 2;
          ctx.strokeStyle = ctx.fillStyle = colorAt((Math.log10(m) - range[0]) / (range[1] - range[0] || 1));
          ctx.beginPath();
          ctx.moveTo(x0, y0);
          ctx.lineTo(x1, y1);
          ctx.stroke();
          ctx.beginPath();
          ctx.moveTo(x1, y1);
          ctx.lineTo(x1 - head * ux + head * 0.5 * uy, y1 - head * uy - head * 0.5 * ux);
          ctx.lineTo(x1 - head * ux - head * 0.5 * uy, y1 - head * uy + head * 0.5 * ux);
          ctx.closePath();
          ctx.fill();
          drawn++;
        }
      ctx.restore();
      ctx.strokeStyle = cssVar('--axis', '#8a93a3');
      ctx.strokeRect(left + 0.5, top + 0.5, side, side);
      canvas.dataset.arrows = String(drawn);
    },
    [field, vectors, range, bounds],
  );
  return (
    <figure className="score-field-figure">
      <canvas
        ref={ref}
        className="density-canvas"
        data-testid={`score-field-${which}`}
        role="img"
        aria-label={`${which} score at σ = ${formatNumber(field.sigma, 3)}, over the perturbed density`}
      />
      <figcaption className="muted small">{which === 'learned' ? `learned s_θ(x, σ), step ${field.step}` : 'true ∇ log p_σ(x)'}</figcaption>
    </figure>
  );
}

/** The learned field beside the true one (when known), with the colour scale's range. */
export function ScoreFieldFigures({ field }: { field: ScoreField }) {
  const range = useMemo(() => magnitudeRange([field.learned, field.true]), [field]);
  return (
    <div className="score-field" data-testid={`score-field-${field.runId}`} data-level={field.level}>
      <div className="score-field-pair">
        <FieldCanvas field={field} vectors={field.learned} range={range} which="learned" />
        {field.true && <FieldCanvas field={field} vectors={field.true} range={range} which="true" />}
      </div>
      <div className="score-field-legend small">
        <span className="muted">|score|</span> {formatNumber(10 ** range[0], 3)}
        <span className="score-field-ramp" style={{ background: `linear-gradient(to right, ${STOPS.map((_, i) => colorAt(i / (STOPS.length - 1))).join(', ')})` }} />
        {formatNumber(10 ** range[1], 3)} <span className="muted">(log scale) · density: {field.density.source === 'mixture' ? 'the mixture' : 'training data'} at σ</span>
      </div>
    </div>
  );
}

/** Picks a noise level of the schedule: σ_i beside each index. */
export function LevelSelect({ levels, level, onLevel, testId }: { levels: ScheduleLevel[]; level: number; onLevel(level: number): void; testId: string }) {
  return (
    <label className="inline-field">
      level{' '}
      <select data-testid={testId} value={level} onChange={(e) => onLevel(Number(e.target.value))}>
        {levels.map((l) => (
          <option key={l.level} value={l.level}>
            {l.level}: σ = {formatNumber(l.sigma, 3)}
          </option>
        ))}
      </select>
    </label>
  );
}

/** One run's score field at `step` (the last weights when undefined) and `level`, fetched when they change. */
export function RunScoreField({ runId, step, level, open }: { runId: number; step?: number; level: number; open: boolean }) {
  const field = useApiData(() => (open ? api.getScoreField({ runId, step, level }) : undefined), [runId, step, level, open]);
  if (field.error) return <ErrorNote error={field.error} title="Score field:" />;
  if (!field.data) return <p className="muted small" data-testid={`score-field-loading-${runId}`}>{open ? 'Computing the score field…' : ''}</p>;
  return (
    <div className={field.loading ? 'is-stale' : undefined}>
      <ScoreFieldFigures field={field.data} />
    </div>
  );
}

/**
 * The score field's card body for one run page: level and checkpoint selectors and the figures;
 * opened on demand (each field is an engine job).
 */
export function ScoreFieldCard({ runId, levels, refreshKey }: { runId: number; levels: ScheduleLevel[]; refreshKey: string }) {
  const [open, setOpen] = useState(false);
  const [level, setLevel] = useState(Math.max(0, levels.length - 1));
  const steps = useApiData(() => api.listCheckpointSteps({ runId }), [runId, refreshKey]);
  const [step, setStep] = useState<number | undefined>(undefined);
  if (levels.length === 0) return <p className="muted small">The score field needs the run's noise schedule.</p>;
  return (
    <>
      <div className="card-toolbar">
        <LevelSelect levels={levels} level={Math.min(level, levels.length - 1)} onLevel={setLevel} testId="score-field-level" />
        {(steps.data?.length ?? 0) > 1 && (
          <label className="inline-field">
            weights at{' '}
            <select
              data-testid="score-field-step"
              value={step ?? steps.data!.at(-1)}
              onChange={(e) => setStep(Number(e.target.value))}
            >
              {steps.data!.map((s) => (
                <option key={s} value={s}>
                  step {s}
                </option>
              ))}
            </select>
          </label>
        )}
        {!open && (
          <button type="button" className="btn btn-small" data-testid="score-field-open" onClick={() => setOpen(true)}>
            Show score field
          </button>
        )}
      </div>
      {open && <RunScoreField runId={runId} step={step} level={Math.min(level, levels.length - 1)} open={open} />}
    </>
  );
}
