import { useMemo } from 'react';
import { diffConfigs } from '../lib/config-diff';

export interface DiffRun {
  id: number;
  name: string;
  color: string;
  config: unknown;
}

/** The config fields that differ between the runs, and nothing else. */
export function ConfigDiffTable({ runs }: { runs: readonly DiffRun[] }) {
  const rows = useMemo(() => diffConfigs(runs.map((r) => r.config)), [runs]);
  if (rows.length === 0)
    return (
      <p className="muted" data-testid="config-diff-none">
        The {runs.length} runs have the same config.
      </p>
    );
  return (
    <div className="table-scroll tall">
      <table className="data-table compact config-diff" data-testid="config-diff">
        <thead>
          <tr>
            <th>field</th>
            {runs.map((r) => (
              <th key={r.id}>
                <span className="swatch" style={{ background: r.color }} /> {r.name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.path} data-field={row.path}>
              <td>
                <code>{row.path}</code>
              </td>
              {row.values.map((v, i) => (
                <td key={runs[i].id} className={v === undefined ? 'muted' : undefined}>
                  <code>{v ?? '(not set)'}</code>
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
