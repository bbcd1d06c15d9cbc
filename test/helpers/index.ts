/**
 * Shared test helpers. Import from 'test/helpers' (relative path) in tests.
 */
export { expectNoLeaks, expectSameMemory, memoryCount, type MemoryCount } from './leaks';
export { expectClose, maxAbsDiff } from './close';
export { seededArray, mulberry32 } from './random';
export { backendName } from './backend';
export { scoped } from './scoped';
