import type { SampleMetrics } from '../../../src-main/common/api';
import { formatInt, formatNumber } from '../lib/format';

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
        <table className={tableClass}>
          <caption className="muted small" data-testid={testId && `${testId}-counts`}>
            {formatInt(distances.nSamples)} samples vs {formatInt(distances.nReference)}{' '}
            {distances.reference === 'held-out' ? 'held-out data points' : 'training points'}
            {distances.nonFinite > 0 && ` · ${formatInt(distances.nonFinite)} non-finite samples left out`}
          </caption>
          <thead>
            <tr>
              <th>metric</th>
              <th className="num">value</th>
            </tr>
          </thead>
          <tbody>
            <tr data-metric="mmd2" title="Unbiased MMD², RBF kernel exp(−‖x − y‖²/(2h²)), h the median pairwise distance of the pooled points">
              <td>MMD² (RBF, h = {formatNumber(distances.mmdBandwidth, 3)})</td>
              <td className="num">{formatNumber(distances.mmd2, 3)}</td>
            </tr>
            <tr data-metric="sliced-wasserstein" title="√(mean over random unit directions of the 1-D W₂²)">
              <td>sliced W₂ ({formatInt(distances.projections)} directions)</td>
              <td className="num">{formatNumber(distances.slicedWasserstein, 3)}</td>
            </tr>
            <tr data-metric="energy-distance" title="2E‖X − Y‖ − E‖X − X′‖ − E‖Y − Y′‖, unbiased">
              <td>energy distance</td>
              <td className="num">{formatNumber(distances.energyDistance, 3)}</td>
            </tr>
          </tbody>
        </table>
      )}
      {image && (
        <table className={tableClass} data-metric="image">
          <caption className="muted small" data-testid={testId && `${testId}-image-counts`}>
            {formatInt(image.nSamples)} samples vs {formatInt(image.nReference)} held-out digits, in the features of {image.features} (
            {formatInt(image.featureDim)}-D; test accuracy {(100 * image.classifierAccuracy).toFixed(1)}% on {formatInt(image.classifierTestN)} digits)
            {image.nonFinite > 0 && ` · ${formatInt(image.nonFinite)} non-finite samples left out`}
          </caption>
          <thead>
            <tr>
              <th>metric</th>
              <th className="num">value</th>
            </tr>
          </thead>
          <tbody>
            <tr data-metric="fid" title="Fréchet distance between Gaussians fitted to the two feature sets">
              <td>FID</td>
              <td className="num">{formatNumber(image.fid, 3)}</td>
            </tr>
            <tr data-metric="kid" title="Unbiased MMD² with the kernel (xᵀy/d + 1)³ in the same features">
              <td>KID</td>
              <td className="num">{formatNumber(image.kid, 3)}</td>
            </tr>
          </tbody>
        </table>
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
        {fisher.levels.map((level, i) => (
          <tr key={i}>
            <td>{i + 1}</td>
            <td className="num">{formatNumber(level.sigma, 3)}</td>
            <td className="num">{level.value === null ? 'not finite' : formatNumber(level.value, 3)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
