/** One sample set drawn as its data call for: a grid of images for image rows, else points over the data's density. */
import { useMemo } from 'react';
import type { PointSet } from '../../../src-shared/api';
import { histogram2d } from '../lib/density';
import { imageShape, pixelRange } from '../lib/image-shape';
import { DensityCanvas, type Bounds } from './DensityCanvas';
import { ImageGrid } from './ImageGrid';

const BINS = 56;

export function SampleView({ samples, data, bounds, label }: { samples: PointSet | null; data: PointSet | null; bounds: Bounds | null; label?: string }) {
  const shape = imageShape(samples?.dim ?? data?.dim ?? 0);
  const hist = useMemo(() => (!shape && data && bounds ? histogram2d(data.points, data.dim, bounds, BINS) : null), [shape, data, bounds]);
  const range = useMemo(() => pixelRange(data), [data]);
  if (shape) return samples ? <ImageGrid samples={samples} shape={shape} range={range} label={label} /> : <div className="image-grid-empty" />;
  return <DensityCanvas samples={samples} hist={hist} bounds={bounds} label={label} />;
}
