/** A scrubber over a sampling trajectory's frames, with a play button that steps through them. */
import { useEffect } from 'react';
import type { TrajectoryFrame } from '../../../src-shared/api';
import { formatInt, formatNumber } from '../lib/format';

/** Milliseconds per frame while playing: a 20-frame trajectory plays in about three seconds. */
const FRAME_MS = 150;

interface Props {
  /** Frames to scrub over (the longest trajectory's count when several runs share the scrubber). */
  count: number;
  index: number;
  onIndex(index: number): void;
  playing: boolean;
  onPlaying(playing: boolean): void;
  /** The frame shown at `index` (for its σ and step); null when no run has one there. */
  frame: TrajectoryFrame | null;
  testId?: string;
}

export function TrajectoryScrubber({ count, index, onIndex, playing, onPlaying, frame, testId = 'trajectory' }: Props) {
  useEffect(() => {
    if (!playing) return;
    if (index >= count - 1) {
      onPlaying(false);
      return;
    }
    const timer = setTimeout(() => onIndex(index + 1), FRAME_MS);
    return () => clearTimeout(timer);
  }, [playing, index, count, onIndex, onPlaying]);

  if (count === 0) return <p className="muted small">This run kept no trajectory frames.</p>;
  const play = () => {
    // Playing from the last frame starts over.
    if (!playing && index >= count - 1) onIndex(0);
    onPlaying(!playing);
  };
  return (
    <div className="scrubber" data-testid={`${testId}-scrubber`}>
      <button type="button" className="btn btn-small" data-testid={`${testId}-play`} onClick={play} aria-pressed={playing}>
        {playing ? 'Pause' : 'Play'}
      </button>
      <input
        type="range"
        min={0}
        max={count - 1}
        step={1}
        value={Math.min(index, count - 1)}
        aria-label="Trajectory frame"
        data-testid={`${testId}-slider`}
        onChange={(e) => {
          onPlaying(false);
          onIndex(Number(e.target.value));
        }}
      />
      <span className="scrubber-label" data-testid={`${testId}-label`}>
        frame {index + 1} / {count}
        {frame && (
          <>
            {' '}
            · σ = <strong>{formatNumber(frame.sigma, 3)}</strong> · step {formatInt(frame.step)} / {formatInt(frame.total)}
          </>
        )}
      </span>
    </div>
  );
}
