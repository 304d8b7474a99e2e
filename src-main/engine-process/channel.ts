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

export const forkNodeEngine: EngineChannelFactory = (entry) => {
  // 'advanced' serialization is structured clone, so Float32Arrays cross without JSON.
  const child = fork(entry, [], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let exited = false;
  const exitListeners: ((code: number | null, reason: string) => void)[] = [];
  const finish = (code: number | null, reason: string) => {
    if (exited) return;
    exited = true;
    for (const l of exitListeners) l(code, reason);
  };
  child.on('exit', (code, signal) => finish(code, signal ? `killed by ${signal}` : `exited with code ${code}`));
  child.on('error', (err) => finish(null, err.message));
  return {
    send: (message) => {
      if (!exited && child.connected) child.send(message);
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
