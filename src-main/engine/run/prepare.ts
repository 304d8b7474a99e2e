/**
 * What every job on a run starts from: its data (drawn from the run's own seed, so a later job
 * sees the very points the run trained on) and its noise schedule.
 */
import type { ScheduleLevel } from '../../../src-shared/api';
import { formatFieldPath, sizeIssues } from '../../../src-shared/config';
import type { ExperimentConfig, ScheduleSpan } from '../../../src-shared/config';
import { formatIssues } from '../../../src-shared/issues';
import { loadDataset } from '../data';
import type { Dataset } from '../data';
import { createRng } from '../random';
import { buildSchedule } from './schedule-table';

export async function loadRunData(config: ExperimentConfig, baseDir: string): Promise<{ data: Dataset; schedule: ScheduleLevel[] }> {
  const data = await loadDataset(config.data, { rng: createRng(config.seed, 'data'), baseDir });
  const schedule = buildSchedule(config, data);
  // The schema checks what the config alone fixes; a CSV's size and a schedule drawn from the data are known only now.
  const misfit = sizeIssues(config, data, scheduleSpan(schedule));
  if (misfit.length > 0)
    throw new Error(`the config does not fit this data: ${formatIssues(misfit.map((i) => ({ field: formatFieldPath(i.path), message: i.message })))}`);
  return { data, schedule };
}

/** What the size checks read of a built schedule: its number of levels and its σ range. */
export function scheduleSpan(schedule: readonly ScheduleLevel[]): ScheduleSpan {
  return { levels: schedule.length, sigmaMax: schedule[0].sigma, sigmaMin: schedule[schedule.length - 1].sigma };
}
