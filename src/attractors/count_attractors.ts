import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel, layers } from '@tensorflow/tfjs-layers';
import { InvalidArgumentError } from '../errors';
import { warnIfLowPrecision } from '../multistability/precision';
import { readVaa } from '../multistability/vaa';
import { DEFAULT_VAA_EPSILON } from '../multistability/validate_states';
import { checkInteger, describeValue } from '../utils/validate_options';
import { analyseFixedPoints, now, type FixedPointAnalysis } from './fixed_point_analysis';
import { resolveFixedPointOptions, type FindFixedPointsOptions } from './fixed_point_options';
import { RecurrentSystem } from './recurrent_system';
import { drawStartingPoints } from './starting_points';

/** Options of {@link countAttractors}: those of {@link findFixedPoints}, plus the horizon. */
export interface CountAttractorsOptions extends FindFixedPointsOptions {
  /** Steps each trajectory runs under the constant input before its basin is read. Default 10 000. */
  horizon?: number;
  /** Steps run per chunk (memory is bounded by one chunk). Default 100. */
  chunkSize?: number;
  /** ε of the VAA reported beside the count. Default 1e-4. */
  epsilon?: number;
  /**
   * A trajectory is in a stable point's basin when its state at the horizon is within this of
   * the point in every coordinate. Default: `uniqueTolerance` (1e-3).
   */
  basinTolerance?: number;
  /** States recorded per trajectory for pictures, at roughly log-spaced times (0 = none). Default 0. */
  recordPoints?: number;
}

/** One stable fixed point reached at the horizon and the share of trajectories in its basin. */
export interface Basin {
  /** Index of the point in {@link AttractorCount.analysis}`.points`. */
  point: number;
  /** Fraction of the n trajectories that end within `basinTolerance` of it. */
  fraction: number;
}

/** The result of {@link countAttractors}. */
export interface AttractorCount {
  /** Number of distinct stable fixed points at least one trajectory ends in at the horizon. */
  attractors: number;
  /** Those points and their basin fractions, largest first. */
  basins: Basin[];
  /**
   * Fraction of trajectories not within `basinTolerance` of any stable point found: still in
   * transit (near a slow point or a saddle) or on an attractor that is not a fixed point (cycle,
   * chaos) or that the search missed.
   */
  unresolved: number;
  /** VAA of the same trajectories' states at the horizon (ε-clusters / n), for comparison. */
  vaa: number;
  /** The horizon used. */
  horizon: number;
  /** The fixed-point analysis from the same starting states and input. */
  analysis: FixedPointAnalysis;
  /**
   * Recorded trajectories (when `recordPoints` > 0): the step numbers, and the states
   * `[n · times.length · dimension]` row-major (trajectory, time, value).
   */
  trajectories: { times: number[]; states: Float32Array } | null;
  /** Wall time in milliseconds. */
  ms: number;
}

const OWN_OPTIONS = ['horizon', 'chunkSize', 'epsilon', 'basinTolerance', 'recordPoints'];

/**
 * Counts the attractors a layer or model actually reaches: runs {@link findFixedPoints} from the
 * sampled starting states, runs the trajectories from those same states under the same constant
 * input for `horizon` steps, and assigns each final state to the stable fixed point it is within
 * `basinTolerance` of.
 *
 * How it differs from `measureVaa` (which, with the same `seed`, starts from the same states
 * under the same input): VAA counts ε-clusters of the final states, whatever they are. A
 * trajectory still drifting near a slow point or a saddle, a limit cycle or chaos all produce
 * final states that VAA counts as separate "attractors", so VAA at a short horizon over-counts,
 * and its value changes with the horizon. `attractors` counts only stable fixed points, found
 * independently of the horizon by minimising the speed q; the horizon only decides which
 * trajectories have arrived. Trajectories that have not are reported as `unresolved`, not
 * counted. When every trajectory has arrived (`unresolved` = 0) and the fixed points are
 * further apart than ε, `attractors` equals VAA · n.
 *
 * @param target a built model or one recurrent layer, as for {@link findFixedPoints}.
 * @throws InvalidArgumentError, ShapeError or NonFiniteError on bad arguments, before anything runs.
 * @example
 * ```ts
 * const count = await countAttractors(model, { inputs: trainInputs, horizon: 10_000, seed: 1 });
 * console.log(count.attractors, count.basins, count.unresolved, count.vaa);
 * ```
 */
export async function countAttractors(
  target: LayersModel | layers.Layer,
  options: CountAttractorsOptions,
): Promise<AttractorCount> {
  const started = now();
  const fn = 'countAttractors';
  const o = resolveFixedPointOptions(fn, options, OWN_OPTIONS);
  const extra = options as CountAttractorsOptions;
  const horizon = extra.horizon === undefined ? 10000 : checkInteger(fn, 'horizon', extra.horizon, 1);
  const chunkSize = extra.chunkSize === undefined ? 100 : checkInteger(fn, 'chunkSize', extra.chunkSize, 1);
  const recordPoints =
    extra.recordPoints === undefined ? 0 : checkInteger(fn, 'recordPoints', extra.recordPoints, 0, 10000);
  const positive = (name: 'epsilon' | 'basinTolerance', fallback: number): number => {
    const v = extra[name];
    if (v === undefined) return fallback;
    if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) {
      throw new InvalidArgumentError(
        `${fn}: option '${name}' must be a positive finite number, received ${describeValue(v)}.`,
      );
    }
    return v;
  };
  const epsilon = positive('epsilon', DEFAULT_VAA_EPSILON);
  const basinTolerance = positive('basinTolerance', o.uniqueTolerance);
  const system = RecurrentSystem.of(target, fn);
  warnIfLowPrecision(fn);
  const { states, input } = await drawStartingPoints(system, o, fn);
  try {
    const analysis = await analyseFixedPoints(system, states, input, o, started);
    const run = await runTrajectories(system, states, input, horizon, chunkSize, recordPoints);
    let vaa: number;
    let finalValues: Float32Array;
    try {
      vaa = await readVaa(fn, run.final, epsilon);
      finalValues = (await run.final.data()) as Float32Array;
    } finally {
      run.final.dispose();
    }
    const d = system.dimension;
    const n = states.shape[0];
    const stable = analysis.points.map((p, i) => ({ p, i })).filter(({ p }) => p.kind === 'stable');
    const hits = new Map<number, number>();
    let unresolved = 0;
    for (let t = 0; t < n; t++) {
      let best = -1;
      let bestDistance = Infinity;
      for (const { p, i } of stable) {
        let maxAbs = 0;
        let sq = 0;
        for (let c = 0; c < d; c++) {
          const diff = Math.abs(finalValues[t * d + c] - p.state[c]);
          maxAbs = Math.max(maxAbs, diff);
          sq += diff * diff;
        }
        if (maxAbs < basinTolerance && sq < bestDistance) {
          bestDistance = sq;
          best = i;
        }
      }
      if (best < 0) unresolved++;
      else hits.set(best, (hits.get(best) ?? 0) + 1);
    }
    const basins = [...hits.entries()]
      .map(([point, count]) => ({ point, fraction: count / n }))
      .sort((a, b) => b.fraction - a.fraction);
    return {
      attractors: basins.length,
      basins,
      unresolved: unresolved / n,
      vaa,
      horizon,
      analysis,
      trajectories: run.recorded,
      ms: now() - started,
    };
  } finally {
    states.dispose();
  }
}

/**
 * Runs every trajectory `horizon` steps in chunks (no gradient; memory bounded by a chunk),
 * recording states at roughly log-spaced times. Returns the final states (caller disposes).
 */
async function runTrajectories(
  system: RecurrentSystem,
  start: tf.Tensor2D,
  inputValues: Float32Array,
  horizon: number,
  chunkSize: number,
  recordPoints: number,
): Promise<{ final: tf.Tensor2D; recorded: { times: number[]; states: Float32Array } | null }> {
  const times = recordTimes(horizon, recordPoints);
  const snapshots: Float32Array[] = [];
  const input = tf.tensor2d(inputValues, [1, system.inputSize]);
  let states = tf.clone(start);
  try {
    let done = 0;
    let next = 0;
    for (;;) {
      while (next < times.length && times[next] === done) {
        snapshots.push((await states.data()) as Float32Array);
        next++;
      }
      if (done >= horizon) break;
      const target = Math.min(done + chunkSize, horizon, next < times.length ? times[next] : horizon);
      const advanced = system.advance(states, input, target - done);
      states.dispose();
      states = advanced;
      done = target;
      // Let other work (UI, timers) run between chunks.
      await new Promise<void>((resolve) => setTimeout(resolve, 0));
    }
  } catch (error) {
    states.dispose();
    throw error;
  } finally {
    input.dispose();
  }
  if (times.length === 0) return { final: states, recorded: null };
  const n = start.shape[0];
  const d = system.dimension;
  const out = new Float32Array(n * times.length * d);
  snapshots.forEach((snap, k) => {
    for (let t = 0; t < n; t++) out.set(snap.subarray(t * d, (t + 1) * d), (t * times.length + k) * d);
  });
  return { final: states, recorded: { times, states: out } };
}

/** About `count` distinct step numbers from 0 to `horizon`, log-spaced (dense early, where trajectories move most). */
function recordTimes(horizon: number, count: number): number[] {
  if (count === 0) return [];
  const set = new Set<number>([0, horizon]);
  for (let k = 1; k < count - 1; k++) set.add(Math.round(Math.expm1((k / (count - 1)) * Math.log1p(horizon))));
  return [...set].sort((a, b) => a - b);
}
