import { useState } from 'react';
import type { RefObject } from 'react';
import { chartToPng, type LegendEntry } from '../lib/chart-png';
import { downloadBlob, fileSafe } from '../lib/download';

/** Saves the chart inside `target` as a PNG, its legend drawn below it. */
export function PngButton({
  target,
  fileName,
  legend = [],
  testId,
}: {
  target: RefObject<HTMLElement | null>;
  fileName: string;
  legend?: readonly LegendEntry[];
  testId?: string;
}) {
  const [error, setError] = useState<string | null>(null);
  const save = async () => {
    setError(null);
    try {
      if (!target.current) throw new Error('the chart is not on the page');
      downloadBlob(await chartToPng(target.current, legend), `${fileSafe(fileName)}.png`);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <button type="button" className="btn btn-small" data-testid={testId} onClick={save} title={error ?? 'Save this chart as PNG'}>
      {error ? 'PNG failed' : 'PNG'}
    </button>
  );
}
