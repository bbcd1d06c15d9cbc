import { Tensor } from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '../errors';
import { SeededRandom, type Seed } from './seeded_random';

/**
 * Internal option checks shared by the public functions (tasks, warmup, measures); not exported.
 * Every message names the function, the option, what was expected and what was received.
 */

/** A short, readable rendering of any received value for error messages. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value);
  }
  if (typeof value === 'function') return 'a function';
  if (value instanceof Tensor)
    return `a ${value.isDisposed ? 'disposed ' : ''}tensor of shape [${value.shape.join(', ')}]`;
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  const name = (value as object).constructor?.name;
  return name && name !== 'Object' ? `a ${name}` : 'an object';
}

/**
 * Checks that `options` is a plain object whose keys are all in `allowed`; returns it typed.
 * `required` options must be present (not undefined).
 */
export function checkOptions<T extends object>(
  fn: string,
  options: unknown,
  allowed: readonly (keyof T & string)[],
  required: readonly (keyof T & string)[] = [],
): T {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new InvalidArgumentError(`${fn}: expected an options object, received ${describeValue(options)}.`);
  }
  for (const key of Object.keys(options)) {
    if (!(allowed as readonly string[]).includes(key)) {
      throw new InvalidArgumentError(`${fn}: unknown option '${key}'; expected one of: ${allowed.join(', ')}.`);
    }
  }
  for (const key of required) {
    if ((options as Record<string, unknown>)[key] === undefined) {
      throw new InvalidArgumentError(`${fn}: option '${key}' is required.`);
    }
  }
  return options as T;
}

/** Checks an integer option in `[min, max]` (max optional) and returns it. */
export function checkInteger(
  fn: string,
  name: string,
  value: unknown,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `in [${min}, ${max}]`;
    throw new InvalidArgumentError(
      `${fn}: option '${name}' must be an integer ${range}, received ${describeValue(value)}.`,
    );
  }
  return value;
}

/** Checks a finite number option and returns it. */
export function checkFiniteNumber(fn: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InvalidArgumentError(
      `${fn}: option '${name}' must be a finite number, received ${describeValue(value)}.`,
    );
  }
  return value;
}

/** Checks a boolean option and returns it. */
export function checkBoolean(fn: string, name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') {
    throw new InvalidArgumentError(`${fn}: option '${name}' must be true or false, received ${describeValue(value)}.`);
  }
  return value;
}

/** Checks a seed option (safe integer or string; undefined → a fresh random seed). */
export function checkSeed(fn: string, name: string, value: unknown): Seed | undefined {
  if (value === undefined) return undefined;
  if ((typeof value === 'number' && Number.isSafeInteger(value)) || typeof value === 'string') {
    return value;
  }
  throw new InvalidArgumentError(
    `${fn}: option '${name}' must be a safe integer or a string, received ${describeValue(value)}.`,
  );
}

/** A generator for a checked seed option (undefined → non-reproducible seed). */
export function rngFromSeedOption(fn: string, name: string, value: unknown): SeededRandom {
  const seed = checkSeed(fn, name, value);
  return seed === undefined ? new SeededRandom() : new SeededRandom(seed);
}
