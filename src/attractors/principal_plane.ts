import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

/** The plane of the two leading principal components of a set of states. */
export interface PrincipalPlane {
  mean: Float64Array;
  /** Two unit vectors (the second is zero when the states have one dimension). */
  axes: [Float64Array, Float64Array];
  /** Fraction of the variance along each axis. */
  explained: [number, number];
}

/** PCA of `m` states of dimension `d` (row-major): mean and two leading axes (ml-matrix, symmetric eigen-decomposition). */
export function principalPlane(states: Float32Array, d: number): PrincipalPlane {
  const m = states.length / d;
  const mean = new Float64Array(d);
  for (let i = 0; i < m; i++) for (let c = 0; c < d; c++) mean[c] += states[i * d + c] / m;
  const covariance = Matrix.zeros(d, d);
  const centred = new Float64Array(d);
  for (let i = 0; i < m; i++) {
    for (let c = 0; c < d; c++) centred[c] = states[i * d + c] - mean[c];
    for (let a = 0; a < d; a++) {
      if (centred[a] === 0) continue;
      for (let b = a; b < d; b++) covariance.set(a, b, covariance.get(a, b) + centred[a] * centred[b]);
    }
  }
  for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) covariance.set(a, b, covariance.get(b, a));
  const decomposition = new EigenvalueDecomposition(covariance, { assumeSymmetric: true });
  const values = decomposition.realEigenvalues;
  const order = values.map((_, i) => i).sort((a, b) => values[b] - values[a]);
  const total = values.reduce((s, v) => s + Math.max(v, 0), 0);
  const vectors = decomposition.eigenvectorMatrix;
  const axis = (k: number): Float64Array => {
    const out = new Float64Array(d);
    if (k >= d) return out;
    for (let c = 0; c < d; c++) out[c] = vectors.get(c, order[k]);
    // A sign convention, so that pictures do not flip between runs: largest entry positive.
    let largest = 0;
    for (let c = 0; c < d; c++) if (Math.abs(out[c]) > Math.abs(out[largest])) largest = c;
    if (out[largest] < 0) for (let c = 0; c < d; c++) out[c] = -out[c];
    return out;
  };
  const share = (k: number) => (k < d && total > 0 ? Math.max(values[order[k]], 0) / total : 0);
  return { mean, axes: [axis(0), axis(1)], explained: [share(0), share(1)] };
}

/** Coordinates of a state in the plane. */
export function project(plane: PrincipalPlane, state: ArrayLike<number>, offset = 0): [number, number] {
  let x = 0;
  let y = 0;
  for (let c = 0; c < plane.mean.length; c++) {
    const v = state[offset + c] - plane.mean[c];
    x += v * plane.axes[0][c];
    y += v * plane.axes[1][c];
  }
  return [x, y];
}
