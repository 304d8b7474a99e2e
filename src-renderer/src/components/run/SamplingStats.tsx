import type { SamplingStats } from '../../../../src-shared/api';
import { samplingStatItems } from '../../lib/sampling-stats';

/** The sampler's running statistics (acceptance rate, step size, model evaluations) in the progress line. */
export function SamplingStatsLine({ stats }: { stats: SamplingStats }) {
  return (
    <span className="muted" data-testid="sampling-stats">
      {samplingStatItems(stats).map((item) => (
        <span key={item.key} className="sampling-stat">
          {item.label} <strong data-testid={`sampling-stat-${item.key}`}>{item.value}</strong>
        </span>
      ))}
    </span>
  );
}
