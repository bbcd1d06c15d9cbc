import * as tf from '@tensorflow/tfjs-core';
import type { Complex, JacobianMode } from './eigen_spectrum';
import { spectrumOf } from './eigen_spectrum';
import type { ResolvedFixedPointOptions } from './fixed_point_options';
import { jacobians } from './jacobians';
import { minimiseSpeed, type StopReason } from './minimise_speed';
import { newtonPolish, speeds } from './newton_polish';
import type { RecurrentSystem, StateBlock } from './recurrent_system';
import { uniquePoints } from './unique_points';

/**
 * What a point found by {@link findFixedPoints} is:
 * - `'stable'`: a fixed point (q ≤ `tolerance`) whose Jacobian has every |λ| < 1, an attractor;
 * - `'unstable'`: a fixed point with at least one |λ| ≥ 1 (a saddle, or a repeller when all are);
 * - `'slow'`: not a fixed point (`tolerance` < q ≤ `slowTolerance`) but a local minimum of the
 *   speed q where trajectories linger, for example the ghost left where a stable and an unstable
 *   point have just merged. At a short horizon a slow point looks like an attractor.
 */
export type FixedPointKind = 'stable' | 'unstable' | 'slow';

/** One point found by {@link findFixedPoints}. */
export interface FixedPoint {
  /** The state h* (`dimension` values, laid out as {@link FixedPointAnalysis.blocks}). */
  state: Float32Array;
  /** q(h*) = ½‖F(h*, u) − h*‖²; `sqrt(2q)` is how far the state moves in one step. */
  q: number;
  kind: FixedPointKind;
  /** Largest |λ| of the Jacobian ∂F/∂h at h*. */
  spectralRadius: number;
  /** How many eigenvalues have |λ| ≥ 1 (0 for a stable point; the saddle's index otherwise). */
  unstableModes: number;
  /** Every eigenvalue of the Jacobian, largest |λ| first. */
  eigenvalues: Complex[];
  /** The leading modes (largest |λ|) with eigenvectors. */
  leadingModes: JacobianMode[];
  /** How many starting states' optimisation ended at this point. */
  starts: number;
}

/** The result of {@link findFixedPoints}. */
export interface FixedPointAnalysis {
  /** Unique points: stable first, then unstable, then slow; each group by increasing q. */
  points: FixedPoint[];
  /** Number of points of each kind, and of starting states whose optimisation was discarded (q above `slowTolerance`, or a distance outlier). */
  counts: { stable: number; unstable: number; slow: number; discarded: number };
  /** Size of the analysed state vector. */
  dimension: number;
  /** Which layer's which state each part of the state vector is. */
  blocks: StateBlock[];
  /** The constant input u. */
  input: Float32Array;
  /** Starting states, `[n · dimension]` row-major. */
  startingStates: Float32Array;
  /** For each starting state, the index in `points` its optimisation ended at, or −1 (discarded). */
  pointOfStart: Int32Array;
  /**
   * For each starting state, the index in `points` that the state reached after
   * `trajectorySteps` steps of the map was refined to, or −1 (empty when `trajectorySteps` is 0).
   */
  pointOfTrajectory: Int32Array;
  /** Adam iterations run, and why they stopped. */
  iterations: number;
  stoppedBy: StopReason;
  /**
   * Wall time of each phase in milliseconds: the speed minimisation (Adam), following the
   * trajectories, the refinement (Newton / Levenberg–Marquardt, with its Jacobians), and the
   * final Jacobians with their eigen-decompositions.
   */
  phaseMs: { search: number; trajectories: number; refine: number; spectra: number };
  /** Wall time in milliseconds, from the call (validation and drawing the starting states included). */
  ms: number;
}

const KIND_ORDER: Record<FixedPointKind, number> = { stable: 0, unstable: 1, slow: 2 };

/**
 * The analysis proper, from drawn starting states (not disposed here) and the constant input:
 * Adam on q, discard, de-duplicate, Newton refinement, de-duplicate again, Jacobian spectra,
 * classification. Internal: the public entry is {@link findFixedPoints}.
 */
export async function analyseFixedPoints(
  system: RecurrentSystem,
  start: tf.Tensor2D,
  inputValues: Float32Array,
  o: ResolvedFixedPointOptions,
  started: number,
): Promise<FixedPointAnalysis> {
  const d = system.dimension;
  const n = start.shape[0];
  const input = tf.tensor2d(inputValues, [1, system.inputSize]);
  try {
    const startingStates = (await start.data()) as Float32Array;
    const phaseStarted = now();
    const optimised = await minimiseSpeed(system, start, input, o);
    const searchMs = now() - phaseStarted;
    const endpoints = (await optimised.states.data()) as Float32Array;
    optimised.states.dispose();
    // Also follow each start's own trajectory: in very flat landscapes (cells whose gates keep
    // most of the state each step) minimising q crawls, while iterating F reaches the attractor;
    // the states reached join the candidates and are refined like the others.
    const followStarted = now();
    const followed = await followTrajectories(system, start, input, o.trajectorySteps);
    const trajectoriesMs = now() - followStarted;
    const candidates = followed == null ? endpoints : concatRows(endpoints, followed);
    const endQ = await speeds(system, candidates, input);

    // De-duplicate, refine with Newton, then discard what is still moving too fast or lies far
    // from the data, and de-duplicate again (refined points may have met).
    const all = Array.from({ length: endQ.length }, (_, i) => i).filter((i) => Number.isFinite(endQ[i]));
    const first = uniquePoints(
      gatherRows(candidates, all, d),
      d,
      all.map((i) => endQ[i]),
      o.uniqueTolerance,
    );
    const refineStarted = now();
    const polished = await newtonPolish(
      system,
      gatherRows(
        candidates,
        first.kept.map((c) => all[c]),
        d,
      ),
      Float32Array.from(first.kept.map((c) => endQ[all[c]])),
      input,
      o.newtonSteps,
      o.tolerance,
      o.uniqueTolerance,
    );
    const centroid = new Float64Array(d);
    for (let i = 0; i < n; i++) for (let c = 0; c < d; c++) centroid[c] += startingStates[i * d + c] / n;
    const distance = (values: Float32Array, i: number) => {
      let s = 0;
      for (let c = 0; c < d; c++) s += (values[i * d + c] - centroid[c]) ** 2;
      return Math.sqrt(s);
    };
    let meanDistance = 0;
    for (let i = 0; i < n; i++) meanDistance += distance(startingStates, i) / n;
    const keptCandidates = first.kept
      .map((_, k) => k)
      .filter(
        (k) =>
          Number.isFinite(polished.q[k]) &&
          polished.q[k] <= o.slowTolerance &&
          !(meanDistance > 0 && distance(polished.values, k) > o.outlierDistanceScale * meanDistance),
      );
    const second = uniquePoints(
      gatherRows(polished.values, keptCandidates, d),
      d,
      keptCandidates.map((k) => polished.q[k]),
      o.uniqueTolerance,
    );
    const finalValues = gatherRows(
      polished.values,
      second.kept.map((j) => keptCandidates[j]),
      d,
    );
    const finalQ = second.kept.map((j) => polished.q[keptCandidates[j]]);
    // Candidate k → its final point (−1 when discarded).
    const finalOfCandidate = new Int32Array(first.kept.length).fill(-1);
    keptCandidates.forEach((k, j) => (finalOfCandidate[k] = second.groupOf[j]));

    const refineMs = now() - refineStarted;
    const spectraStarted = now();
    const jac = await jacobians(system, finalValues, input);
    const unsorted: FixedPoint[] = second.kept.map((_, p) => {
      const spectrum = spectrumOf(jac, p * d * d, d, o.leadingModes);
      const spectralRadius =
        spectrum.eigenvalues.length > 0 ? Math.hypot(spectrum.eigenvalues[0].re, spectrum.eigenvalues[0].im) : 0;
      const unstableModes = spectrum.eigenvalues.filter((e) => Math.hypot(e.re, e.im) >= 1).length;
      const kind: FixedPointKind = finalQ[p] > o.tolerance ? 'slow' : unstableModes === 0 ? 'stable' : 'unstable';
      return {
        state: finalValues.slice(p * d, (p + 1) * d),
        q: finalQ[p],
        kind,
        spectralRadius,
        unstableModes,
        eigenvalues: spectrum.eigenvalues,
        leadingModes: spectrum.leadingModes,
        starts: 0,
      };
    });
    const spectraMs = now() - spectraStarted;
    const order = unsorted
      .map((_, i) => i)
      .sort((a, b) => KIND_ORDER[unsorted[a].kind] - KIND_ORDER[unsorted[b].kind] || unsorted[a].q - unsorted[b].q);
    const rank = new Int32Array(order.length);
    order.forEach((p, r) => (rank[p] = r));
    const points = order.map((p) => unsorted[p]);
    const pointOfStart = new Int32Array(n).fill(-1);
    const pointOfTrajectory = new Int32Array(followed == null ? 0 : n).fill(-1);
    all.forEach((i, c) => {
      const f = finalOfCandidate[first.groupOf[c]];
      if (f < 0) return;
      if (i < n) {
        pointOfStart[i] = rank[f];
        points[rank[f]].starts++;
      } else {
        pointOfTrajectory[i - n] = rank[f];
      }
    });
    const discarded = pointOfStart.filter((p) => p < 0).length;
    const counts = { stable: 0, unstable: 0, slow: 0, discarded };
    for (const p of points) counts[p.kind]++;
    return {
      points,
      counts,
      dimension: d,
      blocks: system.blocks,
      input: inputValues,
      startingStates,
      pointOfStart,
      pointOfTrajectory,
      iterations: optimised.iterations,
      stoppedBy: optimised.stoppedBy,
      phaseMs: { search: searchMs, trajectories: trajectoriesMs, refine: refineMs, spectra: spectraMs },
      ms: now() - started,
    };
  } finally {
    input.dispose();
  }
}

/** The states reached from `start` after `steps` steps of the map (null when `steps` is 0). */
async function followTrajectories(
  system: RecurrentSystem,
  start: tf.Tensor2D,
  input: tf.Tensor2D,
  steps: number,
): Promise<Float32Array | null> {
  if (steps === 0) return null;
  let states = tf.clone(start);
  try {
    for (let done = 0; done < steps; done += TRAJECTORY_CHUNK) {
      const next = system.advance(states, input, Math.min(TRAJECTORY_CHUNK, steps - done));
      states.dispose();
      states = next;
    }
    return (await states.data()) as Float32Array;
  } finally {
    states.dispose();
  }
}

const TRAJECTORY_CHUNK = 100;

function concatRows(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function gatherRows(values: Float32Array, rows: number[], d: number): Float32Array {
  const out = new Float32Array(rows.length * d);
  rows.forEach((r, i) => out.set(values.subarray(r * d, (r + 1) * d), i * d));
  return out;
}

/** Milliseconds from a monotonic clock where there is one. */
export function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}
