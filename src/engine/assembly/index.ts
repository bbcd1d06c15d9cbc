// Entry of the recurrence engine's WebAssembly module. Memory is managed by the caller
// (src/engine/engine_memory.ts): it lays out each call's arrays above `heapBase()` and grows
// the exported memory when a call needs more; nothing here allocates.
export { gruResetAfterForward, gruResetAfterBackward } from './gru_reset_after';

export function heapBase(): usize {
  return __heap_base;
}
export { lstmForward, lstmBackward } from './lstm';
export { gruResetBeforeForward, gruResetBeforeBackward } from './gru_reset_before';
export { simpleRnnForward, simpleRnnBackward } from './simple_rnn';
export { brcForward, brcBackward, nbrcForward, nbrcBackward } from './bistable';
export { projectSequence, projectSequenceBackward } from './projection';
export { householderBlockApply } from './householder';
