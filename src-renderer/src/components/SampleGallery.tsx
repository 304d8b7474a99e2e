import { memo, useMemo, useRef } from 'react';
import type { PointSet, SampleMetrics } from '../../../src-shared/api';
import { sampleSetLabel } from '../../../src-shared/labels';
import { useSampleSet } from '../hooks/useSampleSet';
import { chartToPng } from '../lib/chart-png';
import { downloadBlob, fileSafe } from '../lib/download';
import { formatInt, formatNumber } from '../lib/format';
import { framesByData } from '../lib/gallery-frames';
import { imageShape } from '../lib/image-shape';
import { countOutside, framingBounds, type Bounds } from './DensityCanvas';
import { ErrorNote } from './ErrorNote';
import { ModeSharesTable } from './ModeSharesTable';
import { SampleMetricsTable } from './SampleMetricsTable';
import { SampleView } from './SampleView';
import { SAMPLE_COLOR } from './palette';

/** Which of a run's sample sets a card shows instead of its final samples (the checkpoint slider, the trajectory scrubber). */
export interface GalleryPick {
  /** The set's label; null: the run has none at this position. */
  label: string | null;
  /** When the set is missing, sample it on demand at this checkpoint step. */
  sampleStep?: number;
  /** What the card says it shows ("step 500", "σ = 0.1"). */
  caption: string;
  /** Changes when the run may have written the label again (it was resumed): see useSampleSet. */
  version?: string;
}

export interface GalleryItem {
  id: number;
  name: string;
  color: string;
  samples: (PointSet & { metrics: SampleMetrics }) | null;
  data: PointSet | null;
  /** Items with the same key (the same data config, see dataKeyOf) share one axis box. */
  dataKey: string;
  pick?: GalleryPick;
}

/**
 * The selected runs' samples side by side (final, at a checkpoint, or a trajectory frame), each
 * over a heat map of its training data's density (or as a grid of images), with the quality
 * metrics beside each and the sample count they were computed on. Runs on the same data share
 * axes; runs on different data each get their own.
 */
export function SampleGallery({ items }: { items: readonly GalleryItem[] }) {
  // Image rows are not points on a plane: they take no part in a frame.
  const frames = useMemo(
    () => framesByData(items, (group) => framingBounds(group.filter((item) => !imageShape(item.data?.dim ?? item.samples?.dim ?? 0)))),
    [items],
  );
  return (
    <div className="gallery" data-testid="sample-gallery">
      {items.map((item) => (
        <GalleryCard key={item.id} item={item} bounds={frames.get(item.id) ?? null} />
      ))}
    </div>
  );
}

const GalleryCard = memo(function GalleryCard({ item, bounds }: { item: GalleryItem; bounds: Bounds | null }) {
  const frame = useRef<HTMLDivElement>(null);
  const picked = useSampleSet(item.id, item.pick ? item.pick.label : null, item.pick?.sampleStep, item.pick?.version);
  const samples = item.pick ? picked.set : item.samples;
  const shownLabel = item.pick ? picked.shown : sampleSetLabel.final;
  const { data } = item;
  const metrics = samples?.metrics ?? null;
  const outside = useMemo(() => (imageShape(samples?.dim ?? 0) ? 0 : countOutside(samples, bounds)), [samples, bounds]);
  const exportPng = async () => {
    const blob = await chartToPng(frame.current!, [
      { name: `training data (${formatInt(data?.n ?? 0)})`, color: '#8a93a3' },
      { name: `samples (${formatInt(samples?.n ?? 0)})`, color: SAMPLE_COLOR },
    ]);
    downloadBlob(blob, `${fileSafe(item.name)}-${fileSafe(shownLabel ?? 'samples')}.png`);
  };
  const busy = item.pick && (picked.loading || picked.shown !== item.pick.label);
  return (
    <section className="gallery-card" data-testid={`gallery-${item.id}`} data-showing={shownLabel ?? ''}>
      <div className="gallery-head">
        <span className="swatch" style={{ background: item.color }} />
        <a href={`#/run/${item.id}`} className="gallery-name" title={item.name}>
          {item.name}
        </a>
        <button type="button" className="btn btn-link" onClick={exportPng} disabled={!bounds} title="Save this panel as PNG">
          PNG
        </button>
      </div>
      {item.pick && (
        <div className="gallery-pick small" data-testid={`gallery-pick-${item.id}`}>
          <span>{item.pick.caption}</span>
          {picked.sampling && <SamplingProgress runId={item.id} {...picked.sampling} />}
          {busy && !picked.sampling && <span className="muted">loading…</span>}
        </div>
      )}
      <div ref={frame} className={busy ? 'is-stale' : undefined} data-frame={bounds ? `${bounds.x.join(',')};${bounds.y.join(',')}` : undefined}>
        <SampleView samples={samples} data={data} bounds={bounds} label={shownLabel ?? undefined} />
      </div>
      {picked.error && <ErrorNote error={picked.error} title="Samples:" />}
      <div className="gallery-metrics" data-testid={`gallery-metrics-${item.id}`}>
        {samples ? (
          <>
            <span>
              <strong data-testid={`gallery-count-${item.id}`}>{formatInt(samples.n)}</strong> samples
            </span>
            {metrics?.modeShareError !== undefined && (
              <span title={`computed on ${formatInt(metrics.n)} samples`}>
                mode-share error <strong>{formatNumber(metrics.modeShareError, 3)}</strong>
              </span>
            )}
          </>
        ) : (
          <span className="muted">{item.pick && item.pick.label === null ? 'Nothing at this position' : 'No samples'}</span>
        )}
        {outside > 0 && (
          <span className="muted" data-testid={`gallery-outside-${item.id}`} title="Samples beyond the frame around the training data">
            {formatInt(outside)} outside the view
          </span>
        )}
        {data && <span className="muted">data n = {formatInt(data.n)}</span>}
      </div>
      {metrics?.modeShares && metrics.modeShares.length > 0 && <ModeSharesTable shares={metrics.modeShares} compact />}
      {metrics && <SampleMetricsTable metrics={metrics} compact testId={`gallery-sample-metrics-${item.id}`} />}
    </section>
  );
});

/** The engine sampling a checkpoint for this card: queued (0 / 0), then sampler steps done. */
function SamplingProgress({ runId, done, total }: { runId: number; done: number; total: number }) {
  return (
    <span className="sampling-progress" data-testid={`gallery-sampling-${runId}`}>
      {total === 0 ? 'queued on the engine…' : `sampling ${Math.round((100 * done) / total)}%`}
      <progress max={total || 1} value={total ? done : 0} aria-label="Sampling progress" />
    </span>
  );
}
