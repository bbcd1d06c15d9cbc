/** What every example records when a run starts, for its report. */
import { machineInfo, type MachineInfo } from '../demo/machine';

export interface RunContext {
  /** `performance.now()` at the start. */
  started: number;
  /** ISO date and time of the start. */
  startedAt: string;
  machine: MachineInfo;
  /** The command line as the user typed it, e.g. `npm run example:tmaze -- --seeds 0`. */
  command: string;
  /** seeds × cells × variants. */
  plannedRuns: number;
}

/** Call after the backend is set (the machine info names it). */
export async function startRun(
  script: string,
  options: { seeds: unknown[]; cells: unknown[]; variants: unknown[] },
): Promise<RunContext> {
  const args = process.argv.slice(2);
  return {
    started: performance.now(),
    startedAt: new Date().toISOString(),
    machine: await machineInfo(),
    command: ['npm run', script, ...(args.length > 0 ? ['--', ...args] : [])].join(' '),
    plannedRuns: options.seeds.length * options.cells.length * options.variants.length,
  };
}
