/** The engine as an Electron utilityProcess: the same EngineChannel the Node hosts use. */
import { utilityProcess } from 'electron';
import type { EngineChannelFactory } from '../engine-process/channel';
import type { EngineToHost } from '../engine-process/protocol';

export const forkUtilityEngine: EngineChannelFactory = (entry) => {
  const child = utilityProcess.fork(entry, [], { serviceName: 'Scorebench engine', stdio: 'inherit' });
  let exited = false;
  const exitListeners: ((code: number | null, reason: string) => void)[] = [];
  child.on('exit', (code) => {
    exited = true;
    for (const l of exitListeners) l(code, `exited with code ${code}`);
  });
  return {
    send: (message) => {
      if (!exited) child.postMessage(message);
    },
    onMessage: (listener) => child.on('message', (m) => listener(m as EngineToHost)),
    onExit: (listener) => exitListeners.push(listener),
    kill: () => {
      if (!exited) child.kill();
    },
    get pid() {
      return child.pid;
    },
  };
};
