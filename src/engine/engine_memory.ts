import type { EngineExports } from './engine_loader';

const ALIGN = 16; // v128 loads; tails may read (never write) up to 12 bytes past an array
const PAGE = 65536;

/**
 * One call's arrays in the engine's linear memory: `sizes` (in floats) are laid out one after
 * another above the module's static data, 16-byte aligned with a 16-byte gap, and the memory
 * grows only when this call needs more than any earlier one (it is reused otherwise, and never
 * shrinks). Returns each array's byte address and a float view of the whole memory, valid
 * until the next layout (growing detaches the old buffer).
 */
export function layoutEngineMemory(
  engine: EngineExports,
  sizes: readonly number[],
): { addresses: number[]; heap: Float32Array } {
  let next = alignUp(engine.heapBase());
  const addresses = sizes.map((floats) => {
    const address = next;
    next = alignUp(next + floats * 4 + ALIGN);
    return address;
  });
  const memory = engine.memory;
  if (next > memory.buffer.byteLength) memory.grow(Math.ceil((next - memory.buffer.byteLength) / PAGE));
  return { addresses, heap: new Float32Array(memory.buffer) };
}

function alignUp(bytes: number): number {
  return Math.ceil(bytes / ALIGN) * ALIGN;
}
