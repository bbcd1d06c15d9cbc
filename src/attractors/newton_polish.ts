import * as tf from '@tensorflow/tfjs-core';
import { EigenvalueDecomposition, LuDecomposition, Matrix } from 'ml-matrix';
import { jacobians } from './jacobians';
import type { RecurrentSystem } from './recurrent_system';
import { uniquePoints } from './unique_points';

/** Fractions of the Newton step tried at each iteration (backtracking). */
const STEP_SCALES = [1, 0.5, 0.25, 0.125, 0.0625];
/**
 * Levenberg–Marquardt dampings μ tried where no Newton step helps, from nearly Newton (1e-9) to
 * short gradient steps (1e2), half a decade apart: at a slow point J' nearly vanishes and only
 * the damped steps move the point toward the minimum of q. One symmetric eigen-decomposition of
 * J'ᵀJ' serves all of them.
 */
const DAMPINGS = Array.from({ length: 23 }, (_, i) => 10 ** (-9 + i / 2));

/** Values and q of points after {@link newtonPolish}. */
export interface Polished {
  values: Float32Array;
  q: Float32Array;
}

/**
 * Refines candidate fixed points with Newton's method on F(h) − h = 0:
 * `h ← h − (J − I)⁻¹ (F(h) − h)`, the linear solve in float64 (ml-matrix LU), with backtracking;
 * where no Newton step lowers q, Levenberg–Marquardt steps `−(J'ᵀJ' + μI)⁻¹ J'ᵀ r`
 * (J' = J − I) are tried instead, which move a slow point (where F(h) − h has no root) toward the
 * minimum of q. A step is kept only where it lowers q. Adam alone converges slowly along
 * directions where J has eigenvalues near 1, which is where multistable networks keep their
 * memories; Newton converges there in a few steps.
 */
export async function newtonPolish(
  system: RecurrentSystem,
  start: Float32Array,
  startQ: Float32Array,
  input: tf.Tensor2D,
  steps: number,
  tolerance: number,
  uniqueTolerance: number,
): Promise<Polished> {
  const d = system.dimension;
  const k = start.length / d;
  const values = Float32Array.from(start);
  const q = Float32Array.from(startQ);
  // Candidates that meet another one (within `uniqueTolerance`) stop being refined and take
  // that one's final value: after the first steps most candidates have converged onto a few
  // points, and the Jacobians and solves are then paid for those few only.
  const alias = new Int32Array(k).fill(-1);
  for (let step = 0; step < steps && k > 0; step++) {
    const live = Array.from({ length: k }, (_, i) => i).filter((i) => alias[i] < 0);
    const merged = uniquePoints(
      gather(values, live, d),
      d,
      live.map((i) => q[i]),
      uniqueTolerance,
    );
    live.forEach((i, c) => {
      const representative = live[merged.kept[merged.groupOf[c]]];
      if (representative !== i) alias[i] = representative;
    });
    const active = live.filter((i) => alias[i] < 0 && q[i] > tolerance * 1e-3);
    if (active.length === 0) break;
    const points = gather(values, active, d);
    const [jac, residual] = await Promise.all([jacobians(system, points, input), residuals(system, points, input)]);
    const shifted = active.map((_, a) => shiftedJacobian(jac, a, d));
    const minusR = active.map((_, a) => new Matrix(Array.from(residual.subarray(a * d, (a + 1) * d), (v) => [-v])));

    const newton = active.map((_, a) => trySolve(shifted[a], minusR[a]));
    const improved = await tryMoves(system, input, values, q, active, points, d, (a) =>
      STEP_SCALES.map((f) => scaled(newton[a], f)),
    );
    const stuck = active.map((_, a) => a).filter((a) => !improved[a]);
    let anyDamped = false;
    if (stuck.length > 0) {
      const damped = stuck.map((a) => dampedSteps(shifted[a], minusR[a], d));
      const stuckActive = stuck.map((a) => active[a]);
      const stuckPoints = gather(values, stuckActive, d);
      const moved = await tryMoves(system, input, values, q, stuckActive, stuckPoints, d, (s) => damped[s]);
      anyDamped = moved.some(Boolean);
    }
    if (!improved.some(Boolean) && !anyDamped) break;
  }
  for (let i = 0; i < k; i++) {
    let root = i;
    while (alias[root] >= 0) root = alias[root];
    if (root !== i) {
      values.set(values.subarray(root * d, (root + 1) * d), i * d);
      q[i] = q[root];
    }
  }
  return { values, q };
}

/**
 * Evaluates, for every point `active[a]`, the moves `movesOf(a)` (each a column of d values, or
 * null) in one batch, and keeps the one that lowers q most. Returns whether each point moved.
 */
async function tryMoves(
  system: RecurrentSystem,
  input: tf.Tensor2D,
  values: Float32Array,
  q: Float32Array,
  active: number[],
  points: Float32Array,
  d: number,
  movesOf: (a: number) => Array<Matrix | null>,
): Promise<boolean[]> {
  const moves = active.map((_, a) => movesOf(a));
  const count = moves[0]?.length ?? 0;
  const proposals = new Float32Array(count * points.length);
  active.forEach((_, a) => {
    moves[a].forEach((delta, s) => {
      for (let c = 0; c < d; c++) {
        const move = delta == null ? 0 : delta.get(c, 0);
        proposals[s * points.length + a * d + c] = points[a * d + c] + (Number.isFinite(move) ? move : 0);
      }
    });
  });
  const proposedQ = await speeds(system, proposals, input);
  return active.map((p, a) => {
    let best = -1;
    for (let s = 0; s < count; s++) {
      const value = proposedQ[s * active.length + a];
      if (value < q[p] && (best < 0 || value < proposedQ[best * active.length + a])) best = s;
    }
    if (best < 0) return false;
    q[p] = proposedQ[best * active.length + a];
    const from = best * points.length + a * d;
    values.set(proposals.subarray(from, from + d), p * d);
    return true;
  });
}

/** J − I for point a of a batch of row-major Jacobians. */
function shiftedJacobian(jac: Float32Array, a: number, d: number): Matrix {
  const rows: number[][] = [];
  for (let i = 0; i < d; i++) {
    const row = Array.from(jac.subarray((a * d + i) * d, (a * d + i + 1) * d));
    row[i] -= 1;
    rows.push(row);
  }
  return new Matrix(rows);
}

/** `−(J'ᵀJ' + μI)⁻¹ J'ᵀ r` for every μ of {@link DAMPINGS}, from one eigen-decomposition of J'ᵀJ'. */
function dampedSteps(shifted: Matrix, minusR: Matrix, d: number): Array<Matrix | null> {
  const normal = shifted.transpose().mmul(shifted);
  const gradient = shifted.transpose().mmul(minusR);
  let decomposition: EigenvalueDecomposition;
  try {
    decomposition = new EigenvalueDecomposition(normal, { assumeSymmetric: true });
  } catch {
    return DAMPINGS.map(() => null);
  }
  const v = decomposition.eigenvectorMatrix;
  const values = decomposition.realEigenvalues;
  const projected = v.transpose().mmul(gradient);
  return DAMPINGS.map((mu) => {
    const scaledProjection = new Matrix(d, 1);
    for (let i = 0; i < d; i++) scaledProjection.set(i, 0, projected.get(i, 0) / (Math.max(values[i], 0) + mu));
    return v.mmul(scaledProjection);
  });
}

function scaled(m: Matrix | null, f: number): Matrix | null {
  return m == null ? null : Matrix.mul(m, f);
}

function trySolve(a: Matrix, b: Matrix): Matrix | null {
  try {
    const lu = new LuDecomposition(a);
    return lu.isSingular() ? null : lu.solve(b);
  } catch {
    return null;
  }
}

function gather(values: Float32Array, rows: number[], d: number): Float32Array {
  const out = new Float32Array(rows.length * d);
  rows.forEach((r, i) => out.set(values.subarray(r * d, (r + 1) * d), i * d));
  return out;
}

/** F(h) − h for row-major points. */
async function residuals(system: RecurrentSystem, points: Float32Array, input: tf.Tensor2D): Promise<Float32Array> {
  const d = system.dimension;
  const r = tf.tidy(() => {
    const h = tf.tensor2d(points, [points.length / d, d]);
    return tf.sub(system.advance(h, input, 1), h);
  });
  const values = (await r.data()) as Float32Array;
  r.dispose();
  return values;
}

/** q of row-major points. */
export async function speeds(system: RecurrentSystem, points: Float32Array, input: tf.Tensor2D): Promise<Float32Array> {
  const r = await residuals(system, points, input);
  const d = system.dimension;
  const q = new Float32Array(r.length / d);
  for (let p = 0; p < q.length; p++) {
    let s = 0;
    for (let c = 0; c < d; c++) s += r[p * d + c] ** 2;
    q[p] = 0.5 * s;
  }
  return q;
}
