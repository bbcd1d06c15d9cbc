import type { EngineExports } from './engine_loader';

const ALIGN = 16; // v128 loads; tails may read (never write) up to 12 bytes past an array
const PAGE = 65536;
/** A 32-bit WebAssembly memory holds at most 65 536 pages (4 GiB); growing past it throws. */
const WASM32_LIMIT_BYTES = 65536 * PAGE;

let limitBytes = WASM32_LIMIT_BYTES;

/**
 * Lowers (or, with no argument, restores) the most memory the engine may hold, so that tests
 * can reach the limit without allocating 4 GiB (internal; not exported from the package).
 */
export function setEngineMemoryLimitForTests(bytes: number = WASM32_LIMIT_BYTES): void {
  limitBytes = Math.min(bytes, WASM32_LIMIT_BYTES);
}

/** Bytes of engine memory (from address 0) that laying out `sizes` floats needs. */
export function engineMemoryNeeded(engine: EngineExports, sizes: readonly number[]): number {
  return placeArrays(engine, sizes).end;
}

/**
 * Grows the engine's memory to at least `bytes` now; false (memory unchanged) when that is past
 * the 4 GiB of a 32-bit WebAssembly memory or the runtime refuses to grow it. A call reserves
 * what its forward and backward passes will need before it starts, so it can take the tfjs-op
 * path instead of failing half-way.
 */
export function reserveEngineMemory(engine: EngineExports, bytes: number): boolean {
  const memory = engine.memory;
  if (bytes <= memory.buffer.byteLength) return true;
  if (bytes > limitBytes) return false;
  try {
    memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / PAGE));
    return true;
  } catch (error) {
    if (error instanceof RangeError) return false; // out of memory
    throw error;
  }
}

/**
 * One call's arrays in the engine's linear memory: `sizes` (in floats) are laid out one after
 * another above the module's static data, 16-byte aligned with a 16-byte gap, and the memory
 * grows only when this call needs more than any earlier one (it is reused otherwise, and never
 * shrinks). Returns each array's byte address and a float view of the whole memory, valid
 * until the next layout (growing detaches the old buffer). Throws RangeError when the memory
 * cannot hold the arrays (callers reserve first, see {@link reserveEngineMemory}).
 */
export function layoutEngineMemory(
  engine: EngineExports,
  sizes: readonly number[],
): { addresses: number[]; heap: Float32Array } {
  const { addresses, end } = placeArrays(engine, sizes);
  if (!reserveEngineMemory(engine, end)) {
    throw new RangeError(`The recurrence engine cannot hold ${end} bytes (limit ${limitBytes}).`);
  }
  return { addresses, heap: new Float32Array(engine.memory.buffer) };
}

/** Float index in the heap view of a byte address (addresses may exceed 2³¹: no `>> 2`). */
export function floatIndex(address: number): number {
  return address / 4;
}

function placeArrays(engine: EngineExports, sizes: readonly number[]): { addresses: number[]; end: number } {
  let next = alignUp(engine.heapBase());
  const addresses = sizes.map((floats) => {
    const address = next;
    next = alignUp(next + floats * 4 + ALIGN);
    return address;
  });
  return { addresses, end: next };
}

function alignUp(bytes: number): number {
  return Math.ceil(bytes / ALIGN) * ALIGN;
}
