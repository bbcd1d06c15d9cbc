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

/** Live tensors and their bytes (`tf.memory()`), to compare before and after a call. */
export interface MemoryCount {
  numTensors: number;
  numBytes: number;
}

export function memoryCount(): MemoryCount {
  const { numTensors, numBytes } = tfc.memory();
  return { numTensors, numBytes };
}

/** Asserts that `tf.memory()` shows the same number of tensors AND bytes as `before`. */
export function expectSameMemory(before: MemoryCount, label = ''): void {
  expect(memoryCount(), `${label ? label + ': ' : ''}tensors or bytes left behind`).toEqual(before);
}

/**
 * Runs `fn` (sync or async) and asserts that the live tensors (`tf.memory().numTensors`) and
 * their bytes (`numBytes`) are the same afterwards as before, apart from tensors that `fn`
 * returns (a tensor, or arrays / plain objects holding tensors), which are disposed after
 * counting. Returns `fn`'s result (its tensors already disposed; read data inside `fn` if you
 * need it).
 */
export async function expectNoLeaks<T>(fn: () => T | Promise<T>, label = ''): Promise<T> {
  const before = memoryCount();
  const result = await fn();
  const returned: tfc.Tensor[] = [];
  collectTensors(result, returned);
  const live = [...new Set(returned.filter((t) => !t.isDisposed))];
  const after = memoryCount();
  // Tensors sharing one buffer count their bytes once; returned tensors here own theirs.
  const liveBytes = live.reduce((s, t) => s + t.size * bytesPerElement(t.dtype), 0);
  for (const t of live) t.dispose();
  const leaked = after.numTensors - live.length - before.numTensors;
  expect(
    leaked,
    `${label ? label + ': ' : ''}${leaked} tensor(s) leaked ` +
      `(before ${before.numTensors}, after ${after.numTensors}, returned ${live.length})`,
  ).toBe(0);
  expect(memoryCount().numBytes, `${label ? label + ': ' : ''}bytes left behind (returned ${liveBytes} bytes)`).toBe(
    before.numBytes,
  );
  return result;
}

function bytesPerElement(dtype: tfc.DataType): number {
  return dtype === 'complex64' ? 8 : dtype === 'bool' ? 1 : 4;
}
