import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { BlockOrthogonal } from '../../../src/index';
import { orthogonalMatrix } from '../../../src/cells/initializers/haar_orthogonal';
import { engineReflectorWorkspace } from '../../../src/engine/engine_householder';
import { SeededRandom } from '../../../src/utils/seeded_random';
import { PATH_CASES } from './haar_cases';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * Bound on |(QᵀQ − I)_ij| for an exactly orthogonal Q rounded to float32: each entry moves by at
 * most u·|q| (u = 2⁻²⁴), so each product sum moves by at most 2u·Σ|q_ka||q_kb| ≤ 2u.
 */
const FLOAT32_ROUNDING_BOUND = 2 ** -23;

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

// Both paths: the engine's SIMD kernel (loaded at import in Node) and the JavaScript twin that runs
// before the engine is loaded (browsers) or where it cannot run.
describe.each([
  { path: 'engine', useEngine: true },
  { path: 'JavaScript', useEngine: false },
])('orthogonalMatrix (Haar, float64), $path path', ({ useEngine }) => {
  it('square, tall and wide results are orthonormal to float64 rounding', () => {
    for (const [rows, cols] of [
      [1, 1],
      [2, 2],
      [33, 33],
      [200, 200],
      [70, 20],
      [20, 70],
      [65, 64],
      [131, 97],
    ]) {
      const q = orthogonalMatrix(rows, cols, new SeededRandom(rows * 1000 + cols), useEngine);
      expect(orthogonalityError(q, rows, cols), `${rows}×${cols}`).toBeLessThan(1e-13);
    }
  });

  /**
   * Checks E[tr Q] = 0 and E[(tr Q)²] = 1 over `samples` draws of an n×n Q: tr Q has variance 1
   * and (tr Q)² variance 2 under Haar measure (n ≥ 4), so the bounds are 4 standard errors.
   */
  function expectHaarTraceMoments(seed: string, n: number, samples: number): void {
    const random = new SeededRandom(seed);
    let sum = 0;
    let sumSq = 0;
    for (let s = 0; s < samples; s++) {
      const q = orthogonalMatrix(n, n, random.child(s), useEngine);
      let trace = 0;
      for (let i = 0; i < n; i++) trace += q[i * n + i];
      sum += trace;
      sumSq += trace * trace;
    }
    expect(Math.abs(sum / samples)).toBeLessThan(4 / Math.sqrt(samples));
    expect(Math.abs(sumSq / samples - 1)).toBeLessThan(4 * Math.sqrt(2 / samples));
  }

  it('is Haar distributed: E[tr Q] = 0 and E[(tr Q)²] = 1 over O(n)', () => {
    // Without the sign correction of R's diagonal (a common bug) E[tr Q] is far from 0.
    expectHaarTraceMoments('haar', 6, 2000);
  });

  it('is Haar distributed across blocks of reflections: E[tr Q] = 0, E[(tr Q)²] = 1 at n = 40', () => {
    // n = 40 spans two blocks of 32 reflections (one partial), so the blocked update and its
    // sign correction are both in play; fewer samples, same 4σ bounds.
    expectHaarTraceMoments('haar-40', 40, 300);
  });
});

describe('orthogonalMatrix: engine and JavaScript paths', () => {
  it('the engine is loaded in Node, so the default path is the engine kernel', () => {
    expect(engineReflectorWorkspace(4, 4, 12, 4)).not.toBeNull();
  });

  it('give bit-identical float64 matrices for the same seed', () => {
    for (const [rows, cols, seed] of PATH_CASES) {
      const onEngine = orthogonalMatrix(rows, cols, new SeededRandom(seed), true);
      const inJavaScript = orthogonalMatrix(rows, cols, new SeededRandom(seed), false);
      expect(Array.from(onEngine), `${rows}×${cols}`).toEqual(Array.from(inJavaScript));
    }
  });

  it('without WebAssembly the JavaScript path runs by itself and gives the same matrices', () => {
    const out = execFileSync(
      process.execPath,
      ['--no-expose-wasm', '--import', 'tsx', join(here, 'fixtures', 'haar_without_webassembly.ts')],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], cwd: join(here, '..', '..', '..') },
    );
    const line = out.split('\n').find((l) => l.startsWith('HAAR '));
    expect(line, out).toBeDefined();
    const result = JSON.parse((line as string).slice('HAAR '.length)) as { state: string; matrices: number[][] };
    expect(result.state).toBe('unavailable');
    PATH_CASES.forEach(([rows, cols, seed], k) => {
      expect(result.matrices[k], `${rows}×${cols}`).toEqual(
        Array.from(orthogonalMatrix(rows, cols, new SeededRandom(seed))),
      );
    });
  });
});

describe('BlockOrthogonal', () => {
  it('every gate block of a [units, 3·units] kernel is orthogonal to float32 rounding: ‖QᵀQ − I‖max < 2⁻²³', () => {
    const units = 256;
    const init = new BlockOrthogonal({ blockSize: units, seed: 4 });
    const w = init.apply([units, 3 * units]);
    const values = w.dataSync();
    w.dispose();
    for (let b = 0; b < 3; b++) {
      const block = new Float64Array(units * units);
      for (let i = 0; i < units; i++)
        for (let j = 0; j < units; j++) block[i * units + j] = values[i * 3 * units + b * units + j];
      expect(orthogonalityError(block, units, units), `block ${b}`).toBeLessThan(FLOAT32_ROUNDING_BOUND);
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
