import type { ReactNode } from 'react';
import type { SampleMetrics } from '../../../src-shared/api';
import { formatEstimate, formatInt, formatNumber, METRIC_DIGITS } from '../lib/format';

/**
 * The sample-quality metrics beyond mode shares, each with the counts it was computed on: the
 * two-sample distances to the reference set (FID and KID for images), and the Fisher divergence
 * per noise level where the data's score is known. Renders nothing when the run has neither. The compact form (under a
 * compare gallery) folds the per-level table away.
 */
export function SampleMetricsTable({ metrics, compact = false, testId }: { metrics: SampleMetrics; compact?: boolean; testId?: string }) {
  const { distances, fisher, image } = metrics;
  if (!distances && !fisher && !image) return null;
  const tableClass = `data-table${compact ? ' compact sample-metrics-table' : ''}`;
  return (
    <div className="sample-metrics" data-testid={testId}>
      {distances && (
        <ValuesTable
          className={tableClass}
          captionTestId={testId && `${testId}-counts`}
          caption={
            <>
              {formatInt(distances.nSamples)} samples vs {formatInt(distances.nReference)}{' '}
              {distances.reference === 'held-out' ? 'held-out data points' : 'training points'}
              {distances.nonFinite > 0 && ` · ${formatInt(distances.nonFinite)} non-finite samples left out`}
            </>
          }
          rows={[
            {
              metric: 'mmd2',
              label: `MMD² (RBF, h = ${formatNumber(distances.mmdBandwidth, 3)})`,
              title: 'Unbiased MMD², RBF kernel exp(−‖x − y‖²/(2h²)), h the median pairwise distance of the pooled points',
              value: distances.mmd2,
              standardError: distances.mmd2StdErr,
            },
            {
              metric: 'sliced-wasserstein',
              label: `sliced W₂ (${formatInt(distances.projections)} directions)`,
              title: '√(mean over random unit directions of the 1-D W₂²)',
              value: distances.slicedWasserstein,
            },
            {
              metric: 'energy-distance',
              label: 'energy distance',
              title: '2E‖X − Y‖ − E‖X − X′‖ − E‖Y − Y′‖, unbiased',
              value: distances.energyDistance,
              standardError: distances.energyDistanceStdErr,
            },
          ]}
        />
      )}
      {image && (
        <ValuesTable
          className={tableClass}
          captionTestId={testId && `${testId}-image-counts`}
          caption={
            <>
              {formatInt(image.nSamples)} samples vs {formatInt(image.nReference)} held-out digits, in the features of {image.features} (
              {formatInt(image.featureDim)}-D; test accuracy {(100 * image.classifierAccuracy).toFixed(1)}% on {formatInt(image.classifierTestN)} digits)
              {image.nonFinite > 0 && ` · ${formatInt(image.nonFinite)} non-finite samples left out`}
            </>
          }
          rows={[
            { metric: 'fid', label: 'FID', title: 'Fréchet distance between Gaussians fitted to the two feature sets', value: image.fid },
            { metric: 'kid', label: 'KID', title: 'Unbiased MMD² with the kernel (xᵀy/d + 1)³ in the same features', value: image.kid },
          ]}
        />
      )}
      {fisher && (compact ? (
        <details>
          <summary className="small">Fisher divergence per level ({formatInt(fisher.nPerLevel)} points each)</summary>
          <FisherTable fisher={fisher} className={tableClass} />
        </details>
      ) : (
        <FisherTable fisher={fisher} className={tableClass} caption={`${formatInt(fisher.nPerLevel)} fresh data points per level`} />
      ))}
    </div>
  );
}

/** A caption (what was compared, on how many) over metric | value rows. */
function ValuesTable({
  className,
  caption,
  captionTestId,
  rows,
}: {
  className: string;
  caption: ReactNode;
  captionTestId?: string;
  /** standardError: of an estimate that has one (the unbiased MMD²s), shown as ± beside the value. */
  rows: { metric: string; label: string; title: string; value: number; standardError?: number }[];
}) {
  const withErrors = rows.some((row) => row.standardError !== undefined);
  return (
    <table className={className}>
      <caption className="muted small" data-testid={captionTestId}>
        {caption}
      </caption>
      <thead>
        <tr>
          <th>metric</th>
          <th className="num" title={withErrors ? 'value ± its standard error, over the counts above' : undefined}>
            {withErrors ? 'value ± s.e.' : 'value'}
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.metric} data-metric={row.metric} title={row.title}>
            <td>{row.label}</td>
            <td className="num">{formatEstimate(row.value, row.standardError)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function FisherTable({ fisher, className, caption }: { fisher: NonNullable<SampleMetrics['fisher']>; className: string; caption?: string }) {
  return (
    <table className={className} data-metric="fisher">
      {caption && <caption className="muted small">{caption}</caption>}
      <thead>
        <tr>
          <th>level</th>
          <th className="num">σ</th>
          <th className="num" title="½E over x̃ ~ p_σ of ‖s_θ(x̃, σ) − ∇log p_σ(x̃)‖²">
            Fisher divergence
          </th>
        </tr>
      </thead>
      <tbody>
        {/* Levels are numbered from 0 (the largest σ) everywhere, as in the schedule and `loss/level/<i>`. */}
        {fisher.levels.map((level, i) => (
          <tr key={i} data-level={i}>
            <td>{i}</td>
            <td className="num">{formatNumber(level.sigma, 3)}</td>
            <td className="num">{level.value === null ? 'not finite' : formatNumber(level.value, METRIC_DIGITS)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
