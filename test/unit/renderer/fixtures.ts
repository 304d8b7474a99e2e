/** Run records as the API sends them, for the renderer's pure view logic. */
import type { RunSummary } from '../../../src-shared/api';
import { requireExperimentConfig, type ExperimentConfigInput } from '../../../src-shared/config';

/** A completed run `id` (version 1) with `fields` and the config `config` fills in with defaults. */
export function runRecord(id: number, fields: Partial<RunSummary> = {}, config: ExperimentConfigInput = {}): RunSummary {
  return {
    id,
    experimentId: id,
    name: `run ${id}`,
    status: 'completed',
    version: 1,
    createdAt: `2025-01-0${id}T00:00:00.000Z`,
    startedAt: null,
    finishedAt: null,
    backend: null,
    seed: 0,
    steps: 100,
    totalSteps: 100,
    trainSeconds: null,
    sampleSeconds: null,
    finalLoss: null,
    metrics: null,
    error: null,
    dataKind: 'gaussian-mixture',
    objectiveKind: 'dsm',
    scheduleKind: 'geometric',
    samplerKind: 'annealed-langevin',
    config: requireExperimentConfig(config),
    tags: [],
    notes: '',
    archived: false,
    ...fields,
  };
}
