/**
 * The PyTorch reference process (bench/reference.py) seen from the benchmark: started once with
 * /usr/bin/python3, sent one JSON command per line, answering one JSON line each.
 */
import { spawn, spawnSync, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export const PYTHON = '/usr/bin/python3';
const SCRIPT = join(__dirname, 'reference.py');

export interface ReferenceInfo {
  torch: string;
  threads: number;
  /** The BLAS library torch loaded: Debian's reference libblas is far slower than OpenBLAS. */
  blas: string;
}

export class TorchReference {
  private pending: { resolve: (line: string) => void; reject: (err: Error) => void } | null = null;
  private exited: Error | null = null;

  private constructor(private readonly child: ChildProcessByStdio<Writable, Readable, null>) {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const pending = this.pending;
      this.pending = null;
      pending?.resolve(line);
    });
    child.on('exit', (code) => {
      this.exited = new Error(`the PyTorch reference exited (code ${code})`);
      this.pending?.reject(this.exited);
      this.pending = null;
    });
  }

  /** Null, with the reason, when PyTorch cannot be imported by /usr/bin/python3. */
  static unavailable(): string | null {
    const probe = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
    if (probe.error) return `${PYTHON} not found`;
    if (probe.status !== 0) return `${PYTHON} cannot import torch (${probe.stderr.trim().split('\n').at(-1)})`;
    return null;
  }

  static start(): TorchReference {
    return new TorchReference(spawn(PYTHON, [SCRIPT], { stdio: ['pipe', 'pipe', 'inherit'] }));
  }

  /** Sends one command and waits for its answer (one command at a time). */
  async call<T>(command: Record<string, unknown>): Promise<T> {
    if (this.exited) throw this.exited;
    const reply = new Promise<string>((resolve, reject) => (this.pending = { resolve, reject }));
    this.child.stdin.write(JSON.stringify(command) + '\n');
    const parsed = JSON.parse(await reply) as T & { error?: string };
    if (parsed.error) throw new Error(`PyTorch reference: ${parsed.error}`);
    return parsed;
  }

  close(): void {
    this.child.stdin.end();
  }
}
