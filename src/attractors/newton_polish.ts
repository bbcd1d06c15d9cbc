import * as tf from '@tensorflow/tfjs-core';
import { Matrix, solve } from 'ml-matrix';
import { jacobians } from './jacobians';
import type { RecurrentSystem } from './recurrent_system';

/** Fractions of the Newton step tried at each iteration. */
const STEP_SCALES = [1, 0.5, 0.25, 0.125, 0.0625];

/** Values and q of points after {@link newtonPolish}. */
export interface Polished {
  values: Float32Array;
  q: Float32Array;
}

/**
 * Refines candidate fixed points with Newton's method on F(h) − h = 0: `h ← h − (J − I)⁻¹ (F(h) − h)`,
 * the linear solve in float64 (ml-matrix), with backtracking. A step is kept only where it lowers q, so slow points
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
    const deltas = new Float64Array(points.length);
    active.forEach((_, a) => {
      const rows: number[][] = [];
      for (let i = 0; i < d; i++) {
        const row = Array.from(jac.subarray((a * d + i) * d, (a * d + i + 1) * d));
        row[i] -= 1;
        rows.push(row);
      }
      const r = Array.from(residual.subarray(a * d, (a + 1) * d), (v) => [-v]);
      let delta: Matrix | null = null;
      try {
        delta = solve(new Matrix(rows), new Matrix(r), true);
      } catch {
        delta = null;
      }
      for (let c = 0; c < d; c++) {
        const move = delta == null ? 0 : delta.get(c, 0);
        deltas[a * d + c] = Number.isFinite(move) ? move : 0;
      }
    });
    // Backtracking: the full step and shorter ones are tried at once (one batched evaluation);
    // near |λ| ≈ 1 (where the map is nearly flat) the full Newton step overshoots.
    const proposals = new Float32Array(STEP_SCALES.length * points.length);
    STEP_SCALES.forEach((scale, s) => {
      for (let v = 0; v < points.length; v++) proposals[s * points.length + v] = points[v] + scale * deltas[v];
    });
    const proposedQ = await speeds(system, proposals, input);
    let improved = false;
    active.forEach((p, a) => {
      let best = -1;
      for (let s = 0; s < STEP_SCALES.length; s++) {
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
