import * as tfc from '@tensorflow/tfjs-core';
import { expect } from 'vitest';

function collectTensors(value: unknown, out: tfc.Tensor[], seen = new Set<unknown>()): void {
  if (value == null || typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  if (value instanceof tfc.Tensor) {
    out.push(value);
  } else if (Array.isArray(value)) {
    for (const v of value) collectTensors(v, out, seen);
  } else if (Object.getPrototypeOf(value) === Object.prototype) {
    for (const v of Object.values(value as Record<string, unknown>)) collectTensors(v, out, seen);
  }
}

/**
 * Runs `fn` (sync or async) and asserts that the number of live tensors
 * (`tf.memory().numTensors`) is the same afterwards as before, apart from
 * tensors that `fn` returns (a tensor, or arrays / plain objects holding
 * tensors), which are disposed after counting. Returns `fn`'s result
 * (its tensors already disposed; read data inside `fn` if you need it).
 */
export async function expectNoLeaks<T>(fn: () => T | Promise<T>, label = ''): Promise<T> {
  const before = tfc.memory().numTensors;
  const result = await fn();
  const returned: tfc.Tensor[] = [];
  collectTensors(result, returned);
  const live = new Set(returned.filter((t) => !t.isDisposed));
  const after = tfc.memory().numTensors;
  for (const t of live) t.dispose();
  const leaked = after - live.size - before;
  expect(
    leaked,
    `${label ? label + ': ' : ''}${leaked} tensor(s) leaked ` +
      `(before ${before}, after ${after}, returned ${live.size})`,
  ).toBe(0);
  return result;
}
