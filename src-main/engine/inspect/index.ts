/**
 * On-demand jobs on a run's model at one of its kept weight snapshots: samples at a checkpoint (the
 * compare view's slider) and the score field. Like runExperiment, a job streams what it computes
 * through `emit` and never touches the store; the host persists.
 */
import type { InspectOptions, InspectRequest } from '../jobs';
import { createNetwork } from '../networks';
import { createRng } from '../random';
import { loadRunData } from '../run/prepare';
import { sampleWithWeights } from './sample-at';
import { scoreField } from './score-field';

/** Runs one inspect job; rejects with a message meant for the user when it cannot be done. */
export async function runInspection(request: InspectRequest, opts: InspectOptions): Promise<void> {
  const { config } = request;
  const { data, schedule } = await loadRunData(config, request.baseDir);
  // Built as the run built it (its initial weights are overwritten at once), so the snapshot's
  // names and shapes are checked against the very architecture that wrote them.
  const net = createNetwork(config.model, data.dim, createRng(config.seed, 'weights'), data);
  try {
    net.setWeights(request.weights);
    const result =
      request.kind === 'sample'
        ? await sampleWithWeights(config, data, schedule, net, request.n, request.baseDir, opts)
        : { kind: 'score-field' as const, field: await scoreField(data, schedule, net, request.level, request.grid) };
    opts.emit({ type: 'inspected', result });
  } finally {
    net.dispose();
  }
}
