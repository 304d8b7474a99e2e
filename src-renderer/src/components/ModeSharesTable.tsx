import type { SampleMetrics } from '../../../src-shared/api';
import { formatPercent } from '../lib/format';

/**
 * Each mixture mode's share of the samples beside its true weight and their difference; the
 * full form also draws the two as bars.
 */
export function ModeSharesTable({
  shares,
  compact = false,
  testId,
}: {
  shares: NonNullable<SampleMetrics['modeShares']>;
  compact?: boolean;
  testId?: string;
}) {
  return (
    <table className={`data-table${compact ? ' compact mode-table' : ''}`} data-testid={testId}>
      <thead>
        <tr>
          <th>mode</th>
          <th className="num">weight</th>
          <th className="num">share</th>
          <th className="num">|Δ|</th>
          {!compact && <th className="bar-col" />}
        </tr>
      </thead>
      <tbody>
        {shares.map((m, k) => (
          <tr key={k}>
            <td>{k + 1}</td>
            <td className="num">{formatPercent(m.weight)}</td>
            <td className="num">{formatPercent(m.share)}</td>
            <td className="num">{formatPercent(Math.abs(m.share - m.weight))}</td>
            {!compact && (
              <td className="bar-col">
                <div className="share-bars" title={`weight ${formatPercent(m.weight)} · share ${formatPercent(m.share)}`}>
                  <div className="share-bar weight" style={{ width: `${m.weight * 100}%` }} />
                  <div className="share-bar share" style={{ width: `${m.share * 100}%` }} />
                </div>
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
