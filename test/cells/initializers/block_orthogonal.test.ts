import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { BlockOrthogonal } from '../../../src/index';
import { orthogonalMatrix } from '../../../src/cells/initializers/haar_orthogonal';
import { SeededRandom } from '../../../src/utils/seeded_random';

/** max |(MᵀM − I)_ij| (columns) or |(MMᵀ − I)_ij| (rows, when wide), in float64. */
function orthogonalityError(m: ArrayLike<number>, rows: number, cols: number): number {
  const tall = rows >= cols;
  const n = tall ? cols : rows;
  const len = tall ? rows : cols;
  const at = (vec: number, k: number): number => (tall ? m[k * cols + vec] : m[vec * cols + k]);
  let worst = 0;
  for (let a = 0; a < n; a++) {
    for (let b = a; b < n; b++) {
      let d = 0;
      for (let k = 0; k < len; k++) d += at(a, k) * at(b, k);
      worst = Math.max(worst, Math.abs(d - (a === b ? 1 : 0)));
    }
  }
  return worst;
}

describe('orthogonalMatrix (Haar, float64)', () => {
  it('square, tall and wide results are orthonormal to float64 rounding', () => {
    for (const [rows, cols] of [
      [1, 1],
      [2, 2],
      [33, 33],
      [200, 200],
      [70, 20],
      [20, 70],
      [65, 64],
    ]) {
      const q = orthogonalMatrix(rows, cols, new SeededRandom(rows * 1000 + cols));
      expect(orthogonalityError(q, rows, cols), `${rows}×${cols}`).toBeLessThan(1e-13);
    }
  });

  it('is Haar distributed: E[tr Q] = 0 and E[(tr Q)²] = 1 over O(n)', () => {
    // Without the sign correction of R's diagonal (a common bug) E[tr Q] is far from 0.
    const random = new SeededRandom('haar');
    const samples = 2000;
    const n = 6;
    let sum = 0;
    let sumSq = 0;
    for (let s = 0; s < samples; s++) {
      const q = orthogonalMatrix(n, n, random.child(s));
      let trace = 0;
      for (let i = 0; i < n; i++) trace += q[i * n + i];
      sum += trace;
      sumSq += trace * trace;
    }
    // Standard errors: tr Q has variance 1, (tr Q)² has variance 2 (n ≥ 4): 4σ bounds.
    expect(Math.abs(sum / samples)).toBeLessThan(4 / Math.sqrt(samples));
    expect(Math.abs(sumSq / samples - 1)).toBeLessThan(4 * Math.sqrt(2 / samples));
  });
});

describe('BlockOrthogonal', () => {
  it('every gate block of a [units, 3·units] kernel is orthogonal after float32 rounding: ‖QᵀQ − I‖max < 1e-6', () => {
    const units = 256;
    const init = new BlockOrthogonal({ blockSize: units, seed: 4 });
    const w = init.apply([units, 3 * units]);
    const values = w.dataSync();
    w.dispose();
    for (let b = 0; b < 3; b++) {
      const block = new Float64Array(units * units);
      for (let i = 0; i < units; i++)
        for (let j = 0; j < units; j++) block[i * units + j] = values[i * 3 * units + b * units + j];
      expect(orthogonalityError(block, units, units), `block ${b}`).toBeLessThan(1e-6);
    }
  });

  it('gain scales, the seed reproduces, successive calls differ', () => {
    const a = new BlockOrthogonal({ blockSize: 4, seed: 1, gain: 2 });
    const b = new BlockOrthogonal({ blockSize: 4, seed: 1, gain: 2 });
    const [x, y, z] = [a.apply([4, 8]), b.apply([4, 8]), a.apply([4, 8])];
    expect(Array.from(x.dataSync())).toEqual(Array.from(y.dataSync()));
    expect(Array.from(z.dataSync())).not.toEqual(Array.from(x.dataSync()));
    const square = new BlockOrthogonal({ blockSize: 4, seed: 1, gain: 2 }).apply([4, 4]);
    const scaled = Array.from(square.dataSync(), (v) => v / 2);
    expect(orthogonalityError(scaled, 4, 4)).toBeLessThan(1e-6);
    tf.dispose([x, y, z, square]);
  });
});
