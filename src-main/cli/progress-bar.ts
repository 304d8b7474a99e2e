/** A one-line progress bar on stderr: redrawn in place on a terminal, a line every few seconds otherwise. */
import type { RunProgress } from '../../src-shared/api';

const WIDTH = 28;

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

export class ProgressBar {
  private lastLineAt = 0;
  private drawn = false;

  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly interactive = Boolean(process.stderr.isTTY),
  ) {}

  update(p: RunProgress): void {
    const fraction = p.total > 0 ? Math.min(1, p.done / p.total) : 0;
    const filled = Math.round(fraction * WIDTH);
    const bar = `${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}`;
    const loss = p.loss === null ? '' : ` loss ${p.loss.toPrecision(4)}`;
    const eta = p.etaSeconds === null ? '' : ` ETA ${formatDuration(p.etaSeconds)}`;
    const line = `[${bar}] ${(fraction * 100).toFixed(0).padStart(3)}% ${p.phase} ${p.done}/${p.total}${loss}${eta}`;
    if (this.interactive) {
      this.stream.write(`\r${line}\x1b[K`);
      this.drawn = true;
    } else if (Date.now() - this.lastLineAt > 2000 || p.phase === 'done') {
      this.stream.write(`${line}\n`);
      this.lastLineAt = Date.now();
    }
  }

  end(): void {
    if (this.drawn) this.stream.write('\n');
    this.drawn = false;
  }
}
