import type { SampleMetrics } from '../../../../src-shared/api';
import { formatInt, formatNumber } from '../../lib/format';
import { ModeSharesTable } from '../ModeSharesTable';
import { SampleMetricsTable } from '../SampleMetricsTable';

export function MetricsView({ metrics }: { metrics: SampleMetrics | null }) {
  if (!metrics) return <p className="muted">Metrics are computed on the final samples.</p>;
  return (
    <div className="metrics" data-testid="metrics">
      <div className="metric-headline">
        {metrics.modeShareError !== undefined && (
          <div>
            <div className="stat-label">Mode-share error</div>
            <div className="stat-value big" data-testid="mode-share-error">
              {formatNumber(metrics.modeShareError, 3)}
            </div>
            <div className="muted small">max over modes of |share − weight|</div>
          </div>
        )}
        <div>
          <div className="stat-label">Samples</div>
          <div className="stat-value big" data-testid="metrics-n">
            {formatInt(metrics.n)}
          </div>
        </div>
      </div>
      {metrics.modeShares && metrics.modeShares.length > 0 && <ModeSharesTable shares={metrics.modeShares} testId="mode-shares" />}
      <SampleMetricsTable metrics={metrics} testId="sample-metrics" />
    </div>
  );
}
