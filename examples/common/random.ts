/**
 * Seeded randomness for the examples (demo, page, tasks): a small PRNG for batch shuffling, and a scope in which
 * `Math.random` is seeded so that tfjs' unseeded weight initializers become reproducible.
 */

/** mulberry32: a fast 32-bit PRNG; returns a function giving floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A stable 32-bit hash of a string key (FNV-1a), to derive independent seeds from names. */
export function hashSeed(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Fisher–Yates shuffle of `0 … n−1` with the given generator. */
export function shuffledIndices(n: number, random: () => number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = out[i];
    out[i] = out[j];
    out[j] = t;
  }
  return out;
}

/**
 * Runs `fn` with `Math.random` replaced by a seeded generator, then restores it (even on
 * error). tfjs' initializers without a `seed` draw their seed from `Math.random`, so building
 * a model inside this scope gives the same initial weights for the same seed, while every
 * layer (and each half of a double layer) still gets its own independent draw. Synchronous
 * only: nothing else can observe the replaced `Math.random`.
 */
export function withSeededMathRandom<T>(seed: number, fn: () => T): T {
  const original = Math.random;
  Math.random = mulberry32(seed);
  try {
    return fn();
  } finally {
    Math.random = original;
  }
}
