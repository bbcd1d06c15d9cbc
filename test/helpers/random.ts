/** mulberry32: the examples' seeded PRNG (one implementation), floats uniform in [0, 1). */
import { mulberry32 } from '../../examples/common/random';

export { mulberry32 };

/**
 * Deterministic Float32Array of `n` values uniform in [-scale, scale),
 * identical on every platform for the same (seed, n, scale).
 */
export function seededArray(seed: number, n: number, scale = 1): Float32Array {
  const rand = mulberry32(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (rand() * 2 - 1) * scale;
  return out;
}
