import { InvalidArgumentError } from '../errors';

/**
 * A seed for {@link SeededRandom}: a safe integer (negative values and values above 2³² are
 * fine: all 53 bits are used) or a string (every UTF-16 code unit is used).
 */
export type Seed = number | string;

/** A key that names a child stream in {@link SeededRandom.child}. */
export type StreamKey = number | string;

/** Anything {@link SeededRandom.shuffle} can shuffle in place: an array or a typed array. */
export interface MutableArrayLike<T> {
  readonly length: number;
  [index: number]: T;
}

const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;
const TAG_NUMBER = 0x6e756d62; // 'numb'
const TAG_STRING = 0x73747269; // 'stri'
// Four different murmur3 seeds, one per 32-bit word of the xoshiro128** state.
const LANE_SEEDS = [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344];

/** murmur3's 32-bit finaliser: a bijection on uint32 with full avalanche. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** murmur3_32 over a list of uint32 words. */
function hashWords(words: readonly number[], seed: number): number {
  let h = seed >>> 0;
  for (const w of words) {
    let k = Math.imul(w, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  h ^= words.length * 4;
  return fmix32(h);
}

/** Encodes a seed or stream key as tagged, length-prefixed uint32 words (unambiguous when concatenated). */
function encodeKey(key: Seed, what: string): number[] {
  if (typeof key === 'number') {
    if (!Number.isSafeInteger(key)) {
      throw new InvalidArgumentError(`${what} must be a safe integer or a string, received ${String(key)}.`);
    }
    const lo = key >>> 0; // low 32 bits (two's complement for negative keys)
    const hi = Math.floor(key / TWO_POW_32) >>> 0;
    return [TAG_NUMBER, lo, hi];
  }
  if (typeof key === 'string') {
    const words = [TAG_STRING, key.length];
    for (let i = 0; i < key.length; i++) words.push(key.charCodeAt(i));
    return words;
  }
  throw new InvalidArgumentError(
    `${what} must be a safe integer or a string, received ${typeof key === 'object' ? String(key) : typeof key}.`,
  );
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * Returns a fresh seed drawn from `Math.random()` (not reproducible). Used where a caller
 * omits `seed`, so that two calls without a seed give different data.
 *
 * @example
 * ```ts
 * const seed = randomSeed();
 * console.log(`reproduce with seed ${seed}`);
 * const rng = new SeededRandom(seed);
 * ```
 */
export function randomSeed(): number {
  return Math.floor(Math.random() * TWO_POW_32);
}

/**
 * A small, fast, seedable pseudo-random number generator in pure JavaScript
 * (xoshiro128** by Blackman & Vigna, seeded through murmur3 hashing of the seed).
 *
 * - **Reproducible everywhere:** the same seed gives the same sequence on every platform and
 *   JavaScript engine for {@link SeededRandom.nextUint32}, {@link SeededRandom.random},
 *   {@link SeededRandom.uniform}, {@link SeededRandom.int}, {@link SeededRandom.shuffle},
 *   {@link SeededRandom.permutation}, {@link SeededRandom.sample} and
 *   {@link SeededRandom.categorical} (integer arithmetic and exact float operations only).
 *   {@link SeededRandom.normal} uses `Math.log`, `Math.sqrt` and `Math.cos`; V8 (Node, Chrome,
 *   Edge, Deno) computes them with the same fdlibm code on every OS and CPU, so results are
 *   bit-identical there; other engines may differ in the last bit of a float64, which rounding to
 *   float32 almost always hides.
 * - **Independent of tfjs:** it never touches `tf.random*` or the backend, so data generated
 *   from a seed does not depend on the backend either.
 * - **Child streams:** {@link SeededRandom.child} derives a named, statistically independent
 *   stream from the generator's *seed* (not from its current position), so adding a draw to one
 *   stream never changes another; {@link SeededRandom.split} derives one from the current
 *   position instead.
 *
 * Not suitable for cryptography.
 *
 * @example
 * ```ts
 * const rng = new SeededRandom(42);
 * rng.random();            // uniform in [0, 1)
 * rng.int(1, 7);           // a die roll, 1 … 6
 * rng.normal();            // N(0, 1)
 * rng.shuffle([1, 2, 3]);  // in place
 * const prefixes = rng.child('prefix-lengths');   // independent named stream
 * ```
 */
export class SeededRandom {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  /** Second value of the last Box–Muller pair, or null. */
  private spareNormal: number | null = null;
  /** Encoded seed path (seed, then child keys) that identifies this stream. */
  private identity: readonly number[];

  /**
   * @param seed A safe integer or a string. The same seed always gives the same sequence.
   *   Omit it for a non-reproducible seed from `Math.random()`.
   */
  constructor(seed: Seed = randomSeed()) {
    this.identity = encodeKey(seed, 'SeededRandom: seed');
    this.initFromIdentity();
  }

  /** Builds a generator for an already encoded identity (used by child / split / clone). */
  private static fromIdentity(identity: readonly number[]): SeededRandom {
    const rng = Object.create(SeededRandom.prototype) as SeededRandom;
    rng.identity = identity;
    rng.spareNormal = null;
    rng.initFromIdentity();
    return rng;
  }

  private initFromIdentity(): void {
    this.s0 = hashWords(this.identity, LANE_SEEDS[0]);
    this.s1 = hashWords(this.identity, LANE_SEEDS[1]);
    this.s2 = hashWords(this.identity, LANE_SEEDS[2]);
    this.s3 = hashWords(this.identity, LANE_SEEDS[3]);
    // xoshiro's only invalid state is all zeros.
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 0x9e3779b9;
    // Discard a few outputs so that nearby seeds decorrelate fully.
    for (let i = 0; i < 4; i++) this.nextUint32();
  }

  /**
   * The next raw 32-bit output, an integer uniform in `[0, 2³²)`.
   *
   * @example
   * ```ts
   * new SeededRandom(1).nextUint32(); // same value on every platform
   * ```
   */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /**
   * A float uniform in `[0, 1)` with 53 random bits (two raw outputs).
   *
   * @example
   * ```ts
   * const u = new SeededRandom(7).random(); // 0 <= u < 1
   * ```
   */
  random(): number {
    const a = this.nextUint32() >>> 5; // 27 bits
    const b = this.nextUint32() >>> 6; // 26 bits
    return (a * 67108864 + b) / TWO_POW_53;
  }

  /**
   * A float uniform in `[low, high)`.
   *
   * @param low Lower bound (inclusive). Default 0.
   * @param high Upper bound (exclusive). Default 1. Must be ≥ `low`.
   * @example
   * ```ts
   * new SeededRandom(3).uniform(-1, 1);
   * ```
   */
  uniform(low = 0, high = 1): number {
    checkUniformParameters('SeededRandom.uniform', low, high);
    return low + (high - low) * this.random();
  }

  /**
   * An integer uniform in `[low, high)` (half-open, like Python's `randrange` and numpy's
   * `randint`), without modulo bias. `high − low` must be between 1 and 2³².
   *
   * @example
   * ```ts
   * const die = new SeededRandom(5).int(1, 7); // 1 … 6
   * ```
   */
  int(low: number, high: number): number {
    if (!Number.isSafeInteger(low) || !Number.isSafeInteger(high)) {
      throw new InvalidArgumentError(
        `SeededRandom.int: low and high must be safe integers, received low=${low}, high=${high}.`,
      );
    }
    const range = high - low;
    if (range < 1 || range > TWO_POW_32) {
      throw new InvalidArgumentError(
        `SeededRandom.int: expected 1 <= high - low <= 2^32, received low=${low}, high=${high}.`,
      );
    }
    // Rejection sampling: accept only the largest multiple of `range` below 2^32.
    const limit = TWO_POW_32 - (TWO_POW_32 % range);
    let u = this.nextUint32();
    while (u >= limit) u = this.nextUint32();
    return low + (u % range);
  }

  /**
   * A normal sample (Box–Muller transform; the second value of each pair is cached and
   * returned by the next call).
   *
   * @param mean Default 0.
   * @param std Standard deviation, ≥ 0. Default 1.
   * @example
   * ```ts
   * const z = new SeededRandom(11).normal();        // N(0, 1)
   * const y = new SeededRandom(11).normal(10, 2);   // N(10, 4)
   * ```
   */
  normal(mean = 0, std = 1): number {
    checkNormalParameters('SeededRandom.normal', mean, std);
    return mean + std * this.standardNormal();
  }

  private standardNormal(): number {
    if (this.spareNormal !== null) {
      const z = this.spareNormal;
      this.spareNormal = null;
      return z;
    }
    const u1 = 1 - this.random(); // (0, 1]: log is finite
    const u2 = this.random();
    const r = Math.sqrt(-2 * Math.log(u1));
    const theta = 2 * Math.PI * u2;
    this.spareNormal = r * Math.sin(theta);
    return r * Math.cos(theta);
  }

  /**
   * Fills `out` with normal samples and returns it (same values as calling
   * {@link SeededRandom.normal} `out.length` times).
   *
   * @example
   * ```ts
   * const noise = new SeededRandom(1).fillNormal(new Float32Array(100));
   * ```
   */
  fillNormal<A extends Float32Array | Float64Array | number[]>(out: A, mean = 0, std = 1): A {
    checkNormalParameters('SeededRandom.fillNormal', mean, std);
    for (let i = 0; i < out.length; i++) out[i] = mean + std * this.standardNormal();
    return out;
  }

  /**
   * Fills `out` with floats uniform in `[low, high)` and returns it.
   *
   * @example
   * ```ts
   * const u = new SeededRandom(1).fillUniform(new Float32Array(10), -1, 1);
   * ```
   */
  fillUniform<A extends Float32Array | Float64Array | number[]>(out: A, low = 0, high = 1): A {
    checkUniformParameters('SeededRandom.fillUniform', low, high);
    for (let i = 0; i < out.length; i++) out[i] = low + (high - low) * this.random();
    return out;
  }

  /**
   * Shuffles `array` in place (Fisher–Yates; every permutation equally likely) and returns it.
   *
   * @example
   * ```ts
   * const order = new SeededRandom(2).shuffle([0, 1, 2, 3, 4]);
   * ```
   */
  shuffle<A extends MutableArrayLike<unknown>>(array: A): A {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.int(0, i + 1);
      const tmp = array[i];
      array[i] = array[j];
      array[j] = tmp;
    }
    return array;
  }

  /**
   * A uniformly random permutation of `0 … n − 1`.
   *
   * @example
   * ```ts
   * const perm = new SeededRandom(0).permutation(784); // Int32Array
   * ```
   */
  permutation(n: number): Int32Array {
    checkCount('SeededRandom.permutation', 'n', n);
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = i;
    return this.shuffle(out);
  }

  /**
   * `k` distinct integers drawn uniformly from `[0, n)` without replacement, in random order
   * (sparse partial Fisher–Yates: O(k) time and memory, whatever `n`). Sort the result if you
   * need them in increasing order.
   *
   * @example
   * ```ts
   * const positions = new SeededRandom(9).sample(95, 5).sort((a, b) => a - b);
   * ```
   */
  sample(n: number, k: number): number[] {
    checkCount('SeededRandom.sample', 'n', n);
    checkCount('SeededRandom.sample', 'k', k);
    if (k > n) {
      throw new InvalidArgumentError(
        `SeededRandom.sample: cannot draw k=${k} distinct values from n=${n}; expected k <= n.`,
      );
    }
    const swapped = new Map<number, number>();
    const out: number[] = [];
    for (let i = 0; i < k; i++) {
      const j = this.int(i, n);
      const vi = swapped.get(i) ?? i;
      const vj = swapped.get(j) ?? j;
      out.push(vj);
      swapped.set(j, vi);
    }
    return out;
  }

  /**
   * An index drawn with probability proportional to `weights[i]` (weights ≥ 0, finite, not all
   * zero; they need not sum to 1).
   *
   * @example
   * ```ts
   * // T-Maze exploration: right with probability 1/2, each other action 1/6.
   * const action = new SeededRandom(4).categorical([3, 1, 1, 1]);
   * ```
   */
  categorical(weights: ArrayLike<number>): number {
    let total = 0;
    for (let i = 0; i < weights.length; i++) {
      const w = weights[i];
      if (!Number.isFinite(w) || w < 0) {
        throw new InvalidArgumentError(
          `SeededRandom.categorical: weights must be finite and >= 0, received weights[${i}]=${w}.`,
        );
      }
      total += w;
    }
    if (!(total > 0)) {
      throw new InvalidArgumentError(
        `SeededRandom.categorical: weights must contain at least one positive value, received ${weights.length} weight(s) summing to ${total}.`,
      );
    }
    const u = this.random() * total;
    let acc = 0;
    let last = 0;
    for (let i = 0; i < weights.length; i++) {
      if (weights[i] <= 0) continue;
      acc += weights[i];
      last = i;
      if (u < acc) return i;
    }
    return last; // float round-off: u can reach the (rounded) total
  }

  /**
   * A child stream named by `key`, derived from this stream's *seed path* (its seed and the keys
   * of its ancestors), not from its current position: `new SeededRandom(s).child('a')` gives the
   * same numbers however many values were drawn from the parent, and streams with different keys
   * are statistically independent. Children can have children (`rng.child('warmup').child(3)`).
   *
   * @example
   * ```ts
   * const root = new SeededRandom(42);
   * const prefixRng = root.child('prefix-lengths');
   * const inputRng = root.child('constant-inputs');
   * const shuffleRng = root.child('batches');
   * ```
   */
  child(key: StreamKey): SeededRandom {
    return SeededRandom.fromIdentity([...this.identity, ...encodeKey(key, 'SeededRandom.child: key')]);
  }

  /**
   * A new independent stream seeded from this stream's *current position* (consumes four raw
   * outputs of this stream). Use {@link SeededRandom.child} when you want streams that do not
   * depend on the order of draws.
   *
   * @example
   * ```ts
   * const rng = new SeededRandom(1);
   * const a = rng.split();
   * const b = rng.split(); // differs from a
   * ```
   */
  split(): SeededRandom {
    const words = [0x73706c74, this.nextUint32(), this.nextUint32(), this.nextUint32(), this.nextUint32()];
    return SeededRandom.fromIdentity([...this.identity, ...words]);
  }

  /**
   * An exact copy of this generator's current state: both produce the same sequence from now on.
   *
   * @example
   * ```ts
   * const rng = new SeededRandom(1);
   * const copy = rng.clone();
   * rng.random() === copy.random(); // true
   * ```
   */
  clone(): SeededRandom {
    const copy = SeededRandom.fromIdentity(this.identity);
    copy.s0 = this.s0;
    copy.s1 = this.s1;
    copy.s2 = this.s2;
    copy.s3 = this.s3;
    copy.spareNormal = this.spareNormal;
    return copy;
  }
}

function checkCount(fn: string, name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new InvalidArgumentError(`${fn}: ${name} must be an integer >= 0, received ${value}.`);
  }
}

function checkUniformParameters(fn: string, low: number, high: number): void {
  if (!Number.isFinite(low) || !Number.isFinite(high) || high < low) {
    throw new InvalidArgumentError(`${fn}: expected finite low <= high, received low=${low}, high=${high}.`);
  }
}

function checkNormalParameters(fn: string, mean: number, std: number): void {
  if (!Number.isFinite(mean) || !Number.isFinite(std) || std < 0) {
    throw new InvalidArgumentError(
      `${fn}: expected a finite mean and a finite std >= 0, received mean=${mean}, std=${std}.`,
    );
  }
}
