import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/errors';
import { SeededRandom, randomSeed } from '../../src/utils/seeded_random';

function draws(rng: SeededRandom, n: number): number[] {
  return Array.from({ length: n }, () => rng.nextUint32());
}

describe('SeededRandom', () => {
  it('implements xoshiro128** exactly (reference C output for state 1, 2, 3, 4)', () => {
    const rng = new SeededRandom(0);
    Object.assign(rng as unknown as Record<string, number>, { s0: 1, s1: 2, s2: 3, s3: 4 });
    expect(draws(rng, 8)).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849]);
  });

  it('gives the same numbers for the same seed, and pinned values for seed 42', () => {
    expect(draws(new SeededRandom(42), 20)).toEqual(draws(new SeededRandom(42), 20));
    expect(draws(new SeededRandom('abc'), 20)).toEqual(draws(new SeededRandom('abc'), 20));
    // Pinned: any change to seeding or to the generator breaks reproducibility for users.
    const pinned = new SeededRandom(42);
    const first = draws(pinned, 3);
    expect(first).toEqual(PINNED_SEED_42);
    expect(new SeededRandom(42).normal()).toBeCloseTo(-0.1031245794325703, 14);
  });

  it('gives different numbers for different seeds (numbers, strings, large and negative)', () => {
    const seeds = [0, 1, 2, -1, 2 ** 32, 2 ** 32 + 1, Number.MAX_SAFE_INTEGER, '', '0', 'a', 'b'];
    const firsts = seeds.map((s) => draws(new SeededRandom(s), 2).join(','));
    expect(new Set(firsts).size).toBe(seeds.length);
  });

  it('rejects invalid seeds with a clear error', () => {
    for (const bad of [1.5, NaN, Infinity, 2 ** 53, null, {}, true]) {
      expect(() => new SeededRandom(bad as never)).toThrow(InvalidArgumentError);
    }
    expect(() => new SeededRandom(1.5)).toThrow(/seed must be a safe integer or a string, received 1.5/);
  });

  it('without a seed, draws a fresh one', () => {
    expect(Number.isInteger(randomSeed())).toBe(true);
    expect(draws(new SeededRandom(), 4)).not.toEqual(draws(new SeededRandom(), 4));
  });

  it('random() is uniform in [0, 1)', () => {
    const rng = new SeededRandom(1);
    const n = 20000;
    let sum = 0;
    let sumSq = 0;
    const bins = new Array(10).fill(0);
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const u = rng.random();
      if (!(u >= 0 && u < 1)) outside++;
      sum += u;
      sumSq += u * u;
      bins[Math.floor(u * 10)]++;
    }
    expect(outside).toBe(0);
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(0.01);
    expect(Math.abs(sumSq / n - sum ** 2 / n ** 2 - 1 / 12)).toBeLessThan(0.005);
    for (const b of bins) expect(Math.abs(b - n / 10)).toBeLessThan(0.06 * (n / 10));
  });

  it('uniform(low, high) stays in range and validates', () => {
    const rng = new SeededRandom(2);
    for (let i = 0; i < 1000; i++) {
      const v = rng.uniform(-3, 5);
      expect(v >= -3 && v < 5).toBe(true);
    }
    expect(() => rng.uniform(2, 1)).toThrow(/low <= high, received low=2, high=1/);
  });

  it('int(low, high) is half-open, covers the range evenly, and validates', () => {
    const rng = new SeededRandom(3);
    const counts = new Map<number, number>();
    for (let i = 0; i < 6000; i++) {
      const k = rng.int(1, 7);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual([1, 2, 3, 4, 5, 6]);
    for (const c of counts.values()) expect(Math.abs(c - 1000)).toBeLessThan(120);
    expect(rng.int(-5, -4)).toBe(-5);
    const big = rng.int(0, 2 ** 32);
    expect(big >= 0 && big < 2 ** 32).toBe(true);
    expect(() => rng.int(3, 3)).toThrow(/1 <= high - low <= 2\^32/);
    expect(() => rng.int(0, 2 ** 32 + 1)).toThrow(InvalidArgumentError);
    expect(() => rng.int(0.5, 3)).toThrow(/safe integers/);
  });

  it('normal() has mean 0 and variance 1, and honours mean / std', () => {
    const rng = new SeededRandom(4);
    const n = 20000;
    const xs = Array.from({ length: n }, () => rng.normal());
    const mean = xs.reduce((a, b) => a + b, 0) / n;
    const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.04);
    const ys = Array.from({ length: n }, () => rng.normal(10, 2));
    const meanY = ys.reduce((a, b) => a + b, 0) / n;
    expect(Math.abs(meanY - 10)).toBeLessThan(0.06);
    expect(rng.normal(3, 0)).toBe(3);
    expect(() => rng.normal(0, -1)).toThrow(/std >= 0, received mean=0, std=-1/);
  });

  it('fillNormal / fillUniform equal repeated single draws', () => {
    const a = new SeededRandom(5);
    const b = new SeededRandom(5);
    const filled = a.fillNormal(new Float64Array(7), 1, 2);
    expect(Array.from(filled)).toEqual(Array.from({ length: 7 }, () => b.normal(1, 2)));
    const u = a.fillUniform(new Float64Array(5), -1, 1);
    expect(Array.from(u)).toEqual(Array.from({ length: 5 }, () => b.uniform(-1, 1)));
    expect(() => a.fillNormal(new Float32Array(2), 0, NaN)).toThrow(InvalidArgumentError);
  });

  it('shuffle / permutation give bijections and reach every order', () => {
    const rng = new SeededRandom(6);
    const perm = rng.permutation(100);
    expect(Array.from(perm).sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    const orders = new Set<string>();
    for (let i = 0; i < 600; i++) orders.add(rng.shuffle(['a', 'b', 'c']).join(''));
    expect(orders.size).toBe(6);
    const arr = [1, 2, 3];
    expect(rng.shuffle(arr)).toBe(arr);
    expect(rng.permutation(0).length).toBe(0);
    expect(() => rng.permutation(-1)).toThrow(/n must be an integer >= 0, received -1/);
  });

  it('sample(n, k) gives k distinct values in [0, n), uniformly', () => {
    const rng = new SeededRandom(7);
    const counts = new Array(10).fill(0);
    let bad = 0;
    for (let i = 0; i < 4000; i++) {
      const s = rng.sample(10, 3);
      if (new Set(s).size !== 3) bad++;
      for (const v of s) {
        if (!(Number.isInteger(v) && v >= 0 && v < 10)) bad++;
        else counts[v]++;
      }
    }
    expect(bad).toBe(0);
    for (const c of counts) expect(Math.abs(c - 1200)).toBeLessThan(150);
    expect(rng.sample(5, 5).sort()).toEqual([0, 1, 2, 3, 4]);
    expect(rng.sample(1e9, 2).length).toBe(2);
    expect(() => rng.sample(3, 4)).toThrow(/k=4 distinct values from n=3/);
  });

  it('categorical follows the weights and validates them', () => {
    const rng = new SeededRandom(8);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 6000; i++) counts[rng.categorical([3, 1, 1, 0])]++;
    expect(counts[3]).toBe(0);
    expect(Math.abs(counts[0] - 3600)).toBeLessThan(200);
    expect(Math.abs(counts[1] - 1200)).toBeLessThan(150);
    expect(() => rng.categorical([0, 0])).toThrow(/at least one positive/);
    expect(() => rng.categorical([1, -1])).toThrow(/weights\[1\]=-1/);
  });

  it('child(key) depends on the seed path only, not on draws from the parent', () => {
    const a = new SeededRandom(9);
    const b = new SeededRandom(9);
    draws(b, 17);
    b.normal();
    expect(draws(a.child('x'), 5)).toEqual(draws(b.child('x'), 5));
    expect(draws(a.child('x'), 5)).not.toEqual(draws(a.child('y'), 5));
    expect(draws(a.child(1), 5)).not.toEqual(draws(a.child('1'), 5));
    expect(draws(a.child('x').child(2), 5)).toEqual(draws(b.child('x').child(2), 5));
    expect(draws(a.child('x').child(2), 5)).not.toEqual(draws(a.child('x'), 5));
    // A child differs from its parent and from another seed's child.
    expect(draws(new SeededRandom(9).child('x'), 5)).not.toEqual(draws(new SeededRandom(9), 5));
    expect(draws(new SeededRandom(10).child('x'), 5)).not.toEqual(draws(new SeededRandom(9).child('x'), 5));
    expect(() => a.child(0.5)).toThrow(/key must be a safe integer or a string/);
  });

  it('split() depends on the position; clone() copies the state', () => {
    const rng = new SeededRandom(11);
    const s1 = rng.split();
    const s2 = rng.split();
    expect(draws(s1, 4)).not.toEqual(draws(s2, 4));
    rng.normal(); // leaves a cached Box–Muller value
    const copy = rng.clone();
    expect(rng.normal()).toBe(copy.normal());
    expect(draws(rng, 6)).toEqual(draws(copy, 6));
  });
});

// First three raw outputs for seed 42 (computed once with this implementation).
const PINNED_SEED_42 = [832296245, 993459618, 3113379549];
