import * as tf from '@tensorflow/tfjs-core';
import { Matrix, solve } from 'ml-matrix';
import { jacobians } from './jacobians';
import type { RecurrentSystem } from './recurrent_system';

/** Fractions of the Newton step tried at each iteration. */
const STEP_SCALES = [1, 0.5, 0.25, 0.125, 0.0625];
/**
 * Levenberg–Marquardt dampings μ tried at each iteration: relative to the mean diagonal of J'ᵀJ'
 * (damped Newton), and absolute (gradient steps of every length from 1e-2 to 1e8 times the
 * gradient: at a slow point J' vanishes and only those move the point toward the minimum of q).
 */
const RELATIVE_DAMPINGS = [1e-4, 1e-2, 1];
const ABSOLUTE_DAMPINGS = [1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1, 1e2];
const DAMPING_COUNT = RELATIVE_DAMPINGS.length + ABSOLUTE_DAMPINGS.length;

/** Values and q of points after {@link newtonPolish}. */
export interface Polished {
  values: Float32Array;
  q: Float32Array;
}

/**
 * Refines candidate fixed points with Newton's method on F(h) − h = 0: `h ← h − (J − I)⁻¹ (F(h) − h)`,
 * the linear solve in float64 (ml-matrix), with backtracking and Levenberg–Marquardt alternatives. A step is kept only where it lowers q, so slow points
 * (where no fixed point is near) stay where Adam left them. Adam alone converges slowly along
 * directions where J has eigenvalues near 1, which is exactly where multistable networks have
 * their memories; Newton converges there in a few steps.
 */
export async function newtonPolish(
  system: RecurrentSystem,
  start: Float32Array,
  startQ: Float32Array,
  input: tf.Tensor2D,
  steps: number,
  tolerance: number,
): Promise<Polished> {
  const d = system.dimension;
  const k = start.length / d;
  const values = Float32Array.from(start);
  const q = Float32Array.from(startQ);
  for (let step = 0; step < steps && k > 0; step++) {
    const active = Array.from({ length: k }, (_, i) => i).filter((i) => q[i] > tolerance * 1e-3);
    if (active.length === 0) break;
    const points = new Float32Array(active.length * d);
    active.forEach((p, a) => points.set(values.subarray(p * d, (p + 1) * d), a * d));
    const [jac, residual] = await Promise.all([jacobians(system, points, input), residuals(system, points, input)]);
    // Candidate steps per point: the Newton step and shorter ones (near |λ| ≈ 1 the map is
    // nearly flat and the full step overshoots), and Levenberg–Marquardt steps
    // −(J'ᵀJ' + μI)⁻¹ J'ᵀ r (J' = J − I), which move a slow point, where F(h) − h has no root,
    // toward the minimum of q instead. All are evaluated in one batch; the best that lowers q wins.
    const stepCount = STEP_SCALES.length + DAMPING_COUNT;
    const proposals = new Float32Array(stepCount * points.length);
    active.forEach((_, a) => {
      const rows: number[][] = [];
      for (let i = 0; i < d; i++) {
        const row = Array.from(jac.subarray((a * d + i) * d, (a * d + i + 1) * d));
        row[i] -= 1;
        rows.push(row);
      }
      const shifted = new Matrix(rows);
      const minusR = new Matrix(Array.from(residual.subarray(a * d, (a + 1) * d), (v) => [-v]));
      const newton = trySolve(shifted, minusR);
      const normal = shifted.transpose().mmul(shifted);
      const gradient = shifted.transpose().mmul(minusR);
      const scale = normal.trace() / d || 1;
      const damped = [...RELATIVE_DAMPINGS.map((mu) => mu * scale), ...ABSOLUTE_DAMPINGS].map((mu) => {
        const damped = normal.clone();
        for (let i = 0; i < d; i++) damped.set(i, i, damped.get(i, i) + mu);
        return trySolve(damped, gradient);
      });
      const steps = [...STEP_SCALES.map((f) => ({ delta: newton, f })), ...damped.map((delta) => ({ delta, f: 1 }))];
      steps.forEach(({ delta, f }, s) => {
        for (let c = 0; c < d; c++) {
          const move = delta == null ? 0 : f * delta.get(c, 0);
          proposals[s * points.length + a * d + c] = points[a * d + c] + (Number.isFinite(move) ? move : 0);
        }
      });
    });
    const proposedQ = await speeds(system, proposals, input);
    let improved = false;
    active.forEach((p, a) => {
      let best = -1;
      for (let s = 0; s < stepCount; s++) {
        const value = proposedQ[s * active.length + a];
        if (value < q[p] && (best < 0 || value < proposedQ[best * active.length + a])) best = s;
      }
      if (best >= 0) {
        improved = true;
        q[p] = proposedQ[best * active.length + a];
        const from = best * points.length + a * d;
        values.set(proposals.subarray(from, from + d), p * d);
      }
    });
    if (!improved) break;
  }
  return { values, q };
}

function trySolve(a: Matrix, b: Matrix): Matrix | null {
  try {
    return solve(a, b, true);
  } catch {
    return null;
  }
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
