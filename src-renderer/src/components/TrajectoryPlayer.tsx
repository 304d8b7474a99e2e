/** One run's sampling trajectory: its frames over the training data, scrubbed or played. */
import { useMemo, useState } from 'react';
import type { PointSet } from '../../../src-shared/api';
import { api } from '../api';
import { useApiData } from '../hooks/useApiData';
import { useSampleSet } from '../hooks/useSampleSet';
import { formatInt, formatNumber } from '../lib/format';
import { trajectoryFrames } from '../lib/gallery-positions';
import { framingBounds } from './DensityCanvas';
import { ErrorNote } from './ErrorNote';
import { SampleView } from './SampleView';
import { TrajectoryScrubber } from './TrajectoryScrubber';

export function TrajectoryPlayer({ runId, data, refreshKey }: { runId: number; data: PointSet | null; refreshKey: string }) {
  const sets = useApiData(() => api.listSampleSets({ runId }), [runId, refreshKey]);
  const frames = useMemo(() => trajectoryFrames(sets.data ?? []), [sets.data]);
  const [index, setIndex] = useState(0);
  const [playing, setPlaying] = useState(false);
  const at = Math.min(index, Math.max(0, frames.length - 1));
  const frame = frames[at] ?? null;
  const current = useSampleSet(runId, frame?.label ?? null, undefined, refreshKey);
  // Framed on the data, so the chains visibly arrive from wherever they started.
  const bounds = useMemo(() => framingBounds([{ data, samples: null }]), [data]);
  if (sets.error) return <ErrorNote error={sets.error} title="Trajectory:" />;
  return (
    <div className="trajectory-player" data-testid="trajectory-player">
      <TrajectoryScrubber count={frames.length} index={at} onIndex={setIndex} playing={playing} onPlaying={setPlaying} frame={frame} />
      {frames.length > 0 && (
        <>
          <div className={current.shown !== frame?.label ? 'is-stale' : undefined}>
            <SampleView samples={current.set} data={data} bounds={bounds} label={current.shown ?? undefined} />
          </div>
          <p className="muted small">
            {current.set ? `${formatInt(current.set.n)} chains` : ''}
            {frame && frame.level >= 0 ? ` · level ${frame.level} (σ = ${formatNumber(frame.sigma, 3)})` : frame ? ' · final denoising step' : ''}
          </p>
        </>
      )}
      {current.error && <ErrorNote error={current.error} title="Frame:" />}
    </div>
  );
}
