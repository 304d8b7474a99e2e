/** The engine as an Electron utilityProcess: the same EngineChannel the Node hosts use. */
import { utilityProcess } from 'electron';
import { exitTracker, type EngineChannelFactory } from '../engine-process/channel';
import type { EngineToHost } from '../engine-process/protocol';

export const forkUtilityEngine: EngineChannelFactory = (entry) => {
  const child = utilityProcess.fork(entry, [], { serviceName: 'Scorebench engine', stdio: 'inherit' });
  const exit = exitTracker();
  child.on('exit', (code) => exit.finish(code, `exited with code ${code}`));
  return {
    send: (message) => {
      if (!exit.exited) child.postMessage(message);
    },
    onMessage: (listener) => child.on('message', (m) => listener(m as EngineToHost)),
    onExit: exit.onExit,
    kill: () => {
      if (!exit.exited) child.kill();
    },
    get pid() {
      return child.pid;
    },
  };
};
