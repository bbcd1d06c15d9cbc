/**
 * Timing utility: warm-up, then interleaved repetitions of several functions in the same
 * process, so that load from other processes on the shared machine hits all alike. The order
 * rotates each repetition (ABC, BCA, CAB, ...) to cancel drift. Results are medians in
 * milliseconds; what matters is their ratio, not the absolute value.
 */
export type Job = () => Promise<void>;

export interface TimingPlan {
  /** Untimed runs of each function first (compilation, allocation, JIT). */
  warmup: number;
  /**
   * Sequence length of the warm-up runs; `null`: the full length. A short warm-up runs the same
   * code paths (kernels, JIT) for a fraction of the cost, for the slow pure-JS cpu backend.
   */
  warmupSteps: number | null;
  /** Timed runs of each function. */
  reps: number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Wall time of one awaited run, in ms. */
export async function timeOnce(job: Job): Promise<number> {
  const start = performance.now();
  await job();
  return performance.now() - start;
}

/** A job to time and the (possibly cheaper) job that warms it up. */
export interface TimedJob {
  run: Job;
  warmup: Job;
}

/**
 * Warms up every job, then times them interleaved: repetition i runs the jobs in the order
 * rotated by i (for two jobs: AB, BA, AB, ...), so drift and load hit all alike. Returns the
 * times per job, in run order.
 */
export async function timeJobs<K extends string>(
  jobs: Record<K, TimedJob>,
  plan: TimingPlan,
): Promise<Record<K, number[]>> {
  const names = Object.keys(jobs) as K[];
  for (let i = 0; i < plan.warmup; i++) {
    for (const name of names) await jobs[name].warmup();
  }
  const times = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<K, number[]>;
  for (let i = 0; i < plan.reps; i++) {
    for (let j = 0; j < names.length; j++) {
      const name = names[(i + j) % names.length];
      times[name].push(await timeOnce(jobs[name].run));
    }
  }
  return times;
}
