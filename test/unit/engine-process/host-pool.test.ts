import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EngineChannel } from '../../../src-main/engine-process/channel';
import { EngineHost, type JobMessage } from '../../../src-main/engine-process/host';
import type { EngineToHost, HostToEngine } from '../../../src-main/engine-process/protocol';
import type { ExperimentConfig } from '../../../src-shared/config';

const BACKEND = { name: 'cpu', package: '@tensorflow/tfjs', gpu: false, fallbacks: [] };

/** Fake engine processes: each says 'ready' at once and records what it was sent; `exit` ends one. */
function fakeProcesses() {
  const processes: { sent: HostToEngine[]; emit: (m: EngineToHost) => void; exit: (reason: string) => void }[] = [];
  const factory = (): EngineChannel => {
    let onMessage: (m: EngineToHost) => void = () => {};
    const exits: ((code: number | null, reason: string) => void)[] = [];
    const proc = { sent: [] as HostToEngine[], emit: (m: EngineToHost) => onMessage(m), exit: (reason: string) => exits.forEach((l) => l(1, reason)) };
    processes.push(proc);
    return {
      send: (m) => proc.sent.push(m),
      onMessage: (l) => {
        onMessage = l;
        queueMicrotask(() => l({ type: 'ready', backend: BACKEND }));
      },
      onExit: (l) => exits.push(l),
      kill: () => proc.exit('killed'),
      pid: 1000 + processes.length,
    };
  };
  return { processes, factory };
}

const config = {} as ExperimentConfig;
const startsOn = (p: { sent: HostToEngine[] }) => p.sent.filter((m) => m.type === 'start').map((m) => (m as { jobId: number }).jobId);

test('engine host: with a limit of 1 every job queues on one process (one at a time, as before)', async () => {
  const { processes, factory } = fakeProcesses();
  const host = new EngineHost('entry', factory);
  for (const id of [1, 2, 3]) await host.start(id, config, '.', () => {});
  assert.equal(processes.length, 1);
  assert.deepEqual(startsOn(processes[0]), [1, 2, 3]);
});

test('engine host: with a limit of N, jobs go to idle processes first, up to N, then behind the fewest jobs; a cancel reaches the job\'s process', async () => {
  const { processes, factory } = fakeProcesses();
  const host = new EngineHost('entry', factory, () => {}, 2);
  for (const id of [1, 2, 3]) await host.start(id, config, '.', () => {});
  assert.deepEqual(processes.map(startsOn), [[1, 3], [2]]);
  // Job 2 finishes: its process is idle again and takes the next job rather than spawning a third.
  processes[1].emit({ type: 'finished', jobId: 2, status: 'completed', steps: 1, trainSeconds: 0, sampleSeconds: 0, finalLoss: null } as EngineToHost);
  await host.start(4, config, '.', () => {});
  assert.deepEqual(processes.map(startsOn), [[1, 3], [2, 4]]);
  host.cancel(4);
  assert.deepEqual(processes[1].sent.at(-1), { type: 'cancel', jobId: 4 });
  assert.deepEqual(processes[0].sent.filter((m) => m.type === 'cancel'), []);
});

test('engine host: a process that dies crashes only its own jobs; the others go on, and allowProcesses raises the limit', async () => {
  const { processes, factory } = fakeProcesses();
  const host = new EngineHost('entry', factory);
  host.allowProcesses(2);
  const heard = new Map<number, JobMessage[]>();
  for (const id of [1, 2]) await host.start(id, config, '.', (m) => heard.set(id, [...(heard.get(id) ?? []), m]));
  assert.equal(processes.length, 2);
  processes[0].exit('killed by SIGKILL');
  assert.deepEqual(heard.get(1)?.map((m) => m.type), ['crashed']);
  assert.equal(heard.get(2), undefined);
  assert.deepEqual(host.runningJobs, [2]);
  assert.equal(host.pid, 1002);
});
