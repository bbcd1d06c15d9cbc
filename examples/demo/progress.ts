/**
 * Progress display of the demo: on a terminal one status line rewritten in place (at most
 * five times a second) showing every run in progress; otherwise (a log file, CI) one line per
 * phase start, every 10th warmup step and every epoch.
 */
import type { RunProgress } from './experiment';
import { formatDuration, formatMse } from './format';

export interface ProgressWriter {
  write(text: string): void;
  isTTY: boolean;
}

const stdoutWriter: ProgressWriter = {
  write: (text) => process.stdout.write(text),
  isTTY: process.stdout.isTTY === true,
};

export class ProgressPrinter {
  private lastDraw = 0;
  private lastLength = 0;
  private readonly started = performance.now();
  /** Status text of each run in progress, by label. */
  private readonly active = new Map<string, string>();

  constructor(private readonly out: ProgressWriter = stdoutWriter) {}

  /** Reports progress of the run called `label` (e.g. `[3/18] gru · warmup · seed 0`). */
  update(label: string, p: RunProgress): void {
    const status = `${describe(p)} (${formatDuration(p.elapsedMs)})`;
    this.active.set(label, status);
    if (this.out.isTTY) {
      const now = performance.now();
      if (now - this.lastDraw < 200 && !isMilestone(p)) return;
      this.lastDraw = now;
      this.draw();
    } else if (isMilestone(p)) {
      this.out.write(`${label} | ${status} | total ${formatDuration(performance.now() - this.started)}\n`);
    }
  }

  /** Prints a line that stays, e.g. when a run ends (`label` then leaves the status line). */
  line(text: string, finishedLabel?: string): void {
    if (finishedLabel !== undefined) this.active.delete(finishedLabel);
    if (this.out.isTTY) this.clear();
    this.out.write(`${text}\n`);
    if (this.out.isTTY && this.active.size > 0) this.draw();
  }

  private draw(): void {
    const runs = [...this.active].map(([label, status]) => `${label}: ${status}`).join('  ‖  ');
    const text = `${runs}  ‖  total ${formatDuration(performance.now() - this.started)}`;
    const columns = process.stdout.columns ?? 160;
    const shown = text.length > columns - 1 ? `${text.slice(0, columns - 2)}…` : text;
    this.out.write(`\r${shown.padEnd(this.lastLength)}`);
    this.lastLength = shown.length;
  }

  private clear(): void {
    if (this.lastLength > 0) this.out.write(`\r${' '.repeat(this.lastLength)}\r`);
    this.lastLength = 0;
  }
}

function describe(p: RunProgress): string {
  switch (p.phase) {
    case 'vaa-init':
      return 'measuring VAA at init';
    case 'vaa-after':
      return 'measuring VAA after warmup';
    case 'test':
      return 'test MSE';
    case 'warmup':
      return `warmup ${p.step}/${p.steps}, VAA* ${p.vaaStar.toFixed(2)}`;
    case 'train':
      return (
        `epoch ${p.epoch}/${p.epochs} batch ${p.batch}/${p.batches}` +
        (p.valMse == null ? '' : `, val MSE ${formatMse(p.valMse)}`)
      );
  }
}

/** Events worth a line of their own in a log: phase starts, every 10th warmup step, epoch ends. */
function isMilestone(p: RunProgress): boolean {
  if (p.phase === 'warmup') return p.step % 10 === 0 || p.step === p.steps;
  if (p.phase === 'train') return p.epochEnd;
  return true;
}
