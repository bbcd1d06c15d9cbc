import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { backendName, expectClose, expectNoLeaks, seededArray } from './helpers';

describe('test setup', () => {
  it('runs on the backend named by the project', () => {
    expect(process.env.TFJS_BACKEND).toMatch(/^(cpu|wasm)$/);
    expect(backendName()).toBe(process.env.TFJS_BACKEND);
    expect(tf.getBackend()).toBe(process.env.TFJS_BACKEND);
  });

  it('has chained ops from the union package', () => {
    const t = tf.zeros([2, 2]);
    expect(typeof (t as unknown as { flatten?: unknown }).flatten).toBe('function');
    t.dispose();
  });

  it('loads the union package (counterpart of the no-union project check)', () => {
    const require = createRequire(import.meta.url);
    const cache = (require('node:module') as { _cache: Record<string, unknown> })._cache;
    expect(Object.keys(cache).some((p) => /[\\/]@tensorflow[\\/]tfjs[\\/]/.test(p))).toBe(true);
  });

  it('seededArray is deterministic and scaled', () => {
    const a = seededArray(42, 100, 0.5);
    expect(Array.from(a)).toEqual(Array.from(seededArray(42, 100, 0.5)));
    expect(Array.from(a)).not.toEqual(Array.from(seededArray(43, 100, 0.5)));
    expect(Math.max(...a.map(Math.abs))).toBeLessThanOrEqual(0.5);
  });

  it('expectClose accepts close values and reports mismatches', () => {
    expectClose([1, 2, 3], [1, 2, 3.000001], 1e-5, 1e-5);
    expect(() => expectClose([1, 2, 3], [1, 2.5, 3], 1e-4, 1e-3)).toThrow(/\[1\] actual=2 expected=2.5/);
    expect(() => expectClose([1, 2], [1, 2, 3])).toThrow(/length mismatch/);
  });

  it('expectNoLeaks passes for tidy code and catches leaks', async () => {
    const out = await expectNoLeaks(() => tf.tidy(() => tf.add(tf.ones([3]), 1)));
    expect(out.isDisposed).toBe(true);
    await expectNoLeaks(async () => {
      const x = tf.ones([3]);
      const d = await x.data();
      x.dispose();
      return d;
    });
    let leaked: tf.Tensor | undefined;
    await expect(
      expectNoLeaks(() => {
        leaked = tf.ones([2]);
      }),
    ).rejects.toThrow(/1 tensor\(s\) leaked/);
    leaked?.dispose();
  });
});
