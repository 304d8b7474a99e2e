/**
 * The compare view's sample galleries: the runs side by side at the final samples, at a shared
 * checkpoint slider (samples drawn on demand where a run has none at that step), or at a shared
 * trajectory scrubber with playback; and, for 2-D data, each run's score field at a chosen level.
 */
import { useMemo, useState } from 'react';
import type { PointSet, SampleSet, ScheduleLevel } from '../../../../src-shared/api';
import { sampleSetLabel } from '../../../../src-shared/labels';
import { api } from '../../api';
import { useApiData } from '../../hooks/useApiData';
import { formatInt, formatNumber } from '../../lib/format';
import { dataKeyOf } from '../../lib/gallery-frames';
import { stepAt, trajectoryFrames, unionSteps } from '../../lib/gallery-positions';
import { imageShape } from '../../lib/image-shape';
import { describeLevel, scheduleMismatchNote, sigmasAt, type RunLevels } from '../../lib/level-sigmas';
import { ErrorNote } from '../ErrorNote';
import { SampleGallery, type GalleryItem } from '../SampleGallery';
import { LevelSelect, RunScoreField } from '../ScoreFieldView';
import { TrajectoryScrubber } from '../TrajectoryScrubber';
import type { ComparedRun } from './LossCurvesPanel';

type Mode = 'final' | 'checkpoint' | 'trajectory';

interface Props {
  runs: readonly ComparedRun[];
  /** Per run, in the order of `runs`: its final samples and training data (undefined while loading). */
  samples: readonly (SampleSet | null)[] | undefined;
  data: readonly PointSet[] | undefined;
  schedules: ReadonlyMap<number, ScheduleLevel[]>;
  /** Changes when a run's status does: the kept steps and frames are fetched again. */
  statusKey: string;
  /** Ask the store only once the view's first charts are in. */
  ready: boolean;
}

export function GalleryPanel({ runs, samples, data, schedules, statusKey, ready }: Props) {
  const ids = runs.map((r) => r.id);
  const idsKey = ids.join(',');
  const [mode, setMode] = useState<Mode>('final');
  const keptSteps = useApiData(
    () => (ready ? Promise.all(ids.map((runId) => api.listCheckpointSteps({ runId }))) : undefined),
    [idsKey, statusKey, ready],
  );
  const sets = useApiData(() => (ready ? Promise.all(ids.map((runId) => api.listSampleSets({ runId }))) : undefined), [idsKey, statusKey, ready]);
  const steps = useMemo(() => unionSteps(keptSteps.data ?? []), [keptSteps.data]);
  const frames = useMemo(() => (sets.data ?? []).map(trajectoryFrames), [sets.data]);
  const frameCount = Math.max(0, ...frames.map((f) => f.length));

  const [stepIndex, setStepIndex] = useState<number | null>(null);
  const position = steps.length ? Math.min(stepIndex ?? steps.length - 1, steps.length - 1) : 0;
  const [frameIndex, setFrameIndex] = useState(0);
  const [playing, setPlaying] = useState(false);

  const items: GalleryItem[] = useMemo(
    () =>
      runs.map((r, i) => {
        const base: GalleryItem = {
          id: r.id,
          name: r.label,
          color: r.color,
          samples: samples?.[i] ?? null,
          data: data?.[i] && data[i].n > 0 ? data[i] : null,
          dataKey: dataKeyOf(r.summary.config.data),
        };
        const version = r.summary.finishedAt ?? r.summary.status;
        if (mode === 'checkpoint') {
          const own = stepAt(keptSteps.data?.[i] ?? [], steps[position] ?? 0);
          return {
            ...base,
            pick:
              own === null
                ? { label: null, caption: 'no weights kept' }
                : { label: sampleSetLabel.checkpoint(own), sampleStep: own, caption: `step ${formatInt(own)}`, version },
          };
        }
        if (mode === 'trajectory') {
          const own = frames[i] ?? [];
          const frame = own[Math.min(frameIndex, own.length - 1)];
          return {
            ...base,
            pick: frame
              ? { label: frame.label, caption: `σ = ${formatNumber(frame.sigma, 3)} · step ${formatInt(frame.step)}`, version }
              : { label: null, caption: 'no trajectory kept' },
          };
        }
        return base;
      }),
    [runs, samples, data, mode, keptSteps.data, steps, position, frames, frameIndex],
  );

  const firstFrame = frames.find((f) => f.length > 0);
  const twoD = runs.filter((_, i) => data?.[i]?.dim === 2);
  const images = (data ?? []).some((d) => imageShape(d.dim) !== null);

  return (
    <>
      <div className="card-toolbar" role="group" aria-label="Which samples the galleries show">
        {(['final', 'checkpoint', 'trajectory'] as const).map((m) => (
          <label key={m} className="toggle">
            <input type="radio" name="gallery-mode" data-testid={`gallery-mode-${m}`} checked={mode === m} onChange={() => setMode(m)} />
            {m === 'final' ? 'Final samples' : m === 'checkpoint' ? 'At checkpoint' : 'Sampling trajectory'}
          </label>
        ))}
      </div>
      {mode === 'checkpoint' && (
        <div className="scrubber" data-testid="checkpoint-scrubber">
          {steps.length === 0 ? (
            <span className="muted small">No run kept weights yet.</span>
          ) : (
            <>
              <input
                type="range"
                min={0}
                max={steps.length - 1}
                step={1}
                value={position}
                aria-label="Checkpoint"
                data-testid="checkpoint-slider"
                onChange={(e) => setStepIndex(Number(e.target.value))}
              />
              <span className="scrubber-label" data-testid="checkpoint-label">
                step <strong>{formatInt(steps[position])}</strong> ({position + 1} of {steps.length} checkpoints)
              </span>
            </>
          )}
        </div>
      )}
      {mode === 'trajectory' && (
        <TrajectoryScrubber
          count={frameCount}
          index={Math.min(frameIndex, Math.max(0, frameCount - 1))}
          onIndex={setFrameIndex}
          playing={playing}
          onPlaying={setPlaying}
          frame={firstFrame?.[Math.min(frameIndex, firstFrame.length - 1)] ?? null}
          testId="compare-trajectory"
        />
      )}
      {(keptSteps.error || sets.error) && <ErrorNote error={keptSteps.error ?? sets.error} title="Galleries:" />}
      <SampleGallery items={items} />
      {images && <p className="muted small">Image samples: the first 64 of each set, black to white over the training data's range.</p>}
      {twoD.length > 0 && (
        <ScoreFields
          runs={twoD}
          schedules={schedules}
          stepFor={(runId) => {
            const i = ids.indexOf(runId);
            return mode === 'checkpoint' ? (stepAt(keptSteps.data?.[i] ?? [], steps[position] ?? 0) ?? undefined) : undefined;
          }}
        />
      )}
    </>
  );
}

/**
 * The 2-D runs' score fields at one shared level index (clamped to each run's schedule), opened on
 * demand: each is an engine job. Index i is σ_i of each run's own schedule: where the schedules
 * differ, the picker and each field's head give every run's own σ.
 */
function ScoreFields({ runs, schedules, stepFor }: { runs: readonly ComparedRun[]; schedules: ReadonlyMap<number, ScheduleLevel[]>; stepFor(runId: number): number | undefined }) {
  const [open, setOpen] = useState(false);
  const runLevels: RunLevels[] = runs.map((r) => ({ id: r.id, label: r.label, levels: schedules.get(r.id) ?? [] }));
  const longest = runLevels.map((r) => r.levels).reduce((a, b) => (b.length > a.length ? b : a), [] as readonly ScheduleLevel[]);
  const mismatch = scheduleMismatchNote(runLevels);
  const [level, setLevel] = useState<number | null>(null);
  const chosen = Math.min(level ?? longest.length - 1, longest.length - 1);
  if (longest.length === 0) return null;
  return (
    <div className="score-fields" data-testid="compare-score-fields">
      <div className="card-head">
        <h3>Score fields</h3>
        <div className="card-toolbar">
          {mismatch ? (
            <label className="inline-field">
              level{' '}
              <select data-testid="compare-score-level" value={chosen} onChange={(e) => setLevel(Number(e.target.value))}>
                {longest.map((l) => (
                  <option key={l.level} value={l.level}>
                    {l.level}: {describeLevel(sigmasAt(runLevels, l.level), 3)}
                  </option>
                ))}
              </select>
            </label>
          ) : (
            <LevelSelect levels={[...longest]} level={chosen} onLevel={setLevel} testId="compare-score-level" />
          )}
          <label className="toggle">
            <input type="checkbox" data-testid="compare-score-toggle" checked={open} onChange={(e) => setOpen(e.target.checked)} />
            Show (at the gallery's checkpoint)
          </label>
        </div>
      </div>
      {mismatch && (
        <p className="muted small" data-testid="compare-score-sigma-note">
          {mismatch} A level index is not the same noise in each run.
        </p>
      )}
      {open && (
        <div className="score-field-grid">
          {runs.map((r) => {
            const levels = schedules.get(r.id) ?? [];
            if (levels.length === 0) return null;
            const own = Math.min(chosen, levels.length - 1);
            return (
              <section key={r.id} className="gallery-card">
                <div className="gallery-head">
                  <span className="swatch" style={{ background: r.color }} />
                  <span className="gallery-name">{r.label}</span>
                  <span className="muted small" data-testid={`compare-score-sigma-${r.id}`}>
                    level {own} · σ = {formatNumber(levels[own].sigma, 4)}
                  </span>
                </div>
                <RunScoreField runId={r.id} step={stepFor(r.id)} level={own} open />
              </section>
            );
          })}
        </div>
      )}
    </div>
  );
}
