/**
 * A message channel to one engine process. Two small implementations: a Node child process
 * (browser mode, CLI, tests) here, and an Electron utilityProcess in src-main/electron.
 */
import { fork } from 'node:child_process';
import type { EngineToHost, HostToEngine } from './protocol';

export interface EngineChannel {
  send(message: HostToEngine): void;
  onMessage(listener: (message: EngineToHost) => void): void;
  /** Called once when the process is gone, whatever the reason. */
  onExit(listener: (code: number | null, reason: string) => void): void;
  kill(): void;
  /** The process id, once it has started. */
  readonly pid: number | undefined;
}

export type EngineChannelFactory = (entry: string) => EngineChannel;

type ExitListener = (code: number | null, reason: string) => void;

/**
 * The exit bookkeeping both channels share: listeners are told once, however many of the
 * process's events report its end, and nothing is sent to or killed in a process that has gone.
 */
export function exitTracker(): { readonly exited: boolean; onExit(listener: ExitListener): void; finish: ExitListener } {
  let exited = false;
  const listeners: ExitListener[] = [];
  return {
    get exited() {
      return exited;
    },
    onExit: (listener) => listeners.push(listener),
    finish: (code, reason) => {
      if (exited) return;
      exited = true;
      for (const l of listeners) l(code, reason);
    },
  };
}

export const forkNodeEngine: EngineChannelFactory = (entry) => {
  // 'advanced' serialization is structured clone, so Float32Arrays cross without JSON.
  const child = fork(entry, [], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exit = exitTracker();
  child.on('exit', (code, signal) => exit.finish(code, signal ? `killed by ${signal}` : `exited with code ${code}`));
  child.on('error', (err) => exit.finish(null, err.message));
  return {
    send: (message) => {
      if (!exit.exited && child.connected) child.send(message);
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
