/**
 * Timing utility: warm-up, then interleaved repetitions of two functions ("ours" and
 * "baseline") in the same process, so that load from other processes on the shared machine
 * hits both alike. The order alternates each repetition (AB, BA, AB, ...) to cancel drift.
 * Results are medians in milliseconds; what matters is their ratio, not the absolute value.
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

/** A pair of jobs to compare, with the (possibly cheaper) jobs that warm them up. */
export interface JobPair {
  ours: Job;
  baseline: Job;
  oursWarmup: Job;
  baselineWarmup: Job;
}

export interface PairTiming {
  ours: number[];
  baseline: number[];
  oursMedian: number;
  baselineMedian: number;
  /** baseline / ours: above 1 means ours is faster. */
  ratio: number;
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

/** Warms up both jobs, then times them interleaved. */
export async function timePair(jobs: JobPair, plan: TimingPlan): Promise<PairTiming> {
  const { ours, baseline } = jobs;
  for (let i = 0; i < plan.warmup; i++) {
    await jobs.oursWarmup();
    await jobs.baselineWarmup();
  }
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < plan.reps; i++) {
    if (i % 2 === 0) {
      a.push(await timeOnce(ours));
      b.push(await timeOnce(baseline));
    } else {
      b.push(await timeOnce(baseline));
      a.push(await timeOnce(ours));
    }
  }
  const oursMedian = median(a);
  const baselineMedian = median(b);
  return { ours: a, baseline: b, oursMedian, baselineMedian, ratio: baselineMedian / oursMedian };
}
