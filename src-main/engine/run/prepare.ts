/**
 * What every job on a run starts from: its data (drawn from the run's own seed, so a later job
 * sees the very points the run trained on) and its noise schedule.
 */
import type { ScheduleLevel } from '../../common/api';
import { formatFieldPath, sizeIssues } from '../../common/config';
import type { ExperimentConfig } from '../../common/config';
import { loadDataset } from '../data';
import type { Dataset } from '../data';
import { createRng } from '../random';
import { buildSchedule } from './schedule-table';

export async function loadRunData(config: ExperimentConfig, baseDir: string): Promise<{ data: Dataset; schedule: ScheduleLevel[] }> {
  const data = await loadDataset(config.data, { rng: createRng(config.seed, 'data'), baseDir });
  // The schema checks a mixture's sizes; a CSV's are known only now.
  const misfit = sizeIssues(config, data);
  if (misfit.length > 0)
    throw new Error(`the config does not fit this data: ${misfit.map((i) => `${formatFieldPath(i.path)}: ${i.message}`).join('; ')}`);
  return { data, schedule: buildSchedule(config, data) };
}
