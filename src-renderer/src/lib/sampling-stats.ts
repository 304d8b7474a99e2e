/** How a sampler's running statistics read beside the sampling progress bar. */
import type { SamplingStats } from '../../../src-shared/api';
import { formatInt, formatNumber, formatPercent } from './format';

export interface StatItem {
  key: keyof SamplingStats;
  label: string;
  value: string;
}

/** The statistics the sampler reported, in a fixed order; the ones it does not have are left out. */
export function samplingStatItems(stats: SamplingStats): StatItem[] {
  const items: StatItem[] = [];
  if (stats.acceptanceRate !== undefined) items.push({ key: 'acceptanceRate', label: 'acceptance', value: formatPercent(stats.acceptanceRate) });
  if (stats.stepSize !== undefined) items.push({ key: 'stepSize', label: 'step', value: formatNumber(stats.stepSize, 3) });
  if (stats.nfe !== undefined) items.push({ key: 'nfe', label: 'NFE', value: formatInt(stats.nfe) });
  return items;
}
