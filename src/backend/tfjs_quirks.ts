/**
 * The one door to the workarounds for @tensorflow/tfjs 4.22 bugs and slow kernels. Library code
 * imports the helpers below from here; {@link TFJS_QUIRKS} names each quirk, the backends it
 * affects, where the workaround lives and the test that pins it. Each pinning test fails when
 * the workaround is removed or when tfjs stops showing the bug, so a tfjs upgrade starts with
 * `npx vitest run test/backend` rather than a read of all of `recurrence/`. Timings are in
 * docs/benchmarks.md ("tfjs 4.22 quirks").
 */

export { biasRow } from './bias_row';
export { floatView } from './float_view';
export { leadingSlices } from './leading_slices';
export { pickTimeSteps } from './pick_time_steps';
export { splitColumns, splitColumnsByTranspose, splitColumnsFromData, type SplitOptions } from './split_columns';
export { splitTimeSteps } from './split_time_steps';
export { MAX_ADDN_INPUTS, sumTensors } from './sum_tensors';
export { transposed, transposedTimes } from './transposed_products';

/** Backends as tfjs names them. */
export type BackendName = 'cpu' | 'wasm' | 'webgl' | 'webgpu' | 'all';

/** One known tfjs 4.22 quirk and what we do about it. */
export interface TfjsQuirk {
  /** What the quirk is. */
  readonly why: string;
  /** Backends where it shows. */
  readonly backends: readonly BackendName[];
  /** The workaround: helper (from this module) or file, and who uses it. */
  readonly workaround: string;
  /** The test file (under test/) that fails if the workaround goes or tfjs fixes the quirk. */
  readonly pinnedBy: string;
}

/** Every known tfjs 4.22 quirk, by name (the names the workarounds' comments use). */
export const TFJS_QUIRKS = {
  wasmSliceCopiesWholeInput: {
    why:
      "wasm's Slice kernel (used by Unpack and SplitV) copies the whole input out of the wasm heap on every " +
      'call, so T slices of a sequence cost O(T²); its GatherV2 is slow per step too.',
    backends: ['wasm'],
    workaround:
      'splitTimeSteps (recurrence loop) and splitColumns with differentiable: false (kernels): one dataSync, then one ' +
      'new tensor per piece (wasm memory is CPU memory: a copy, no stall).',
    pinnedBy: 'backend/tfjs_quirks.test.ts',
  },
  cpuStridedSliceSlow: {
    why: "cpu's tf.split / tf.slice of column blocks walk every element through generic index arithmetic.",
    backends: ['cpu'],
    workaround: 'splitColumns → splitColumnsByTranspose: one transpose to the leading axis, then contiguous slices.',
    pinnedBy: 'backend/tfjs_quirks.test.ts',
  },
  wasmTransposedMatMulSlow: {
    why:
      "wasm's BatchMatMul with a transpose flag is 10–20× slower than a plain product; tfjs's own MatMul " +
      'gradient uses such products.',
    backends: ['wasm'],
    workaround:
      'transposed / transposedTimes (explicit transposes) in every kernel backward, and denseProjection ' +
      '(recurrence/projection.ts) with a hand-written gradient built on them.',
    pinnedBy: 'backend/tfjs_quirks.test.ts',
  },
  webgpuAddNBufferLimit: {
    why:
      "webgpu's AddN binds one storage buffer per input plus the output and fails above the per-stage " +
      'limit (8 by default).',
    backends: ['webgpu'],
    workaround: 'sumTensors: nested addN calls of at most MAX_ADDN_INPUTS (7) inputs.',
    pinnedBy: 'backend/sum_tensors.test.ts',
  },
  wasmFusedMatMulBiasRank: {
    why: "wasm's _FusedMatMul reads the bias rank from the underlying data: a reshaped [1, n] slice is rank 2.",
    backends: ['wasm'],
    workaround: 'biasRow: the row as a sum over the sliced axis (own rank-1 data), for the GRU cell (resetAfter).',
    pinnedBy: 'backend/tfjs_quirks.test.ts',
  },
  unstackGradientThrows: {
    why:
      'Differentiating through tf.unstack of a tensor whose leading axis has length 1 throws ("Argument ' +
      'tensors passed to stack must be a `Tensor[]`"), e.g. the state axis of a single-state cell.',
    backends: ['all'],
    workaround: 'leadingSlices (a slice + reshape per entry), in RecurrentRunner.statesOverTime.',
    pinnedBy: 'backend/tfjs_quirks.test.ts',
  },
  wasmGatherGradientMissing: {
    why: "tf.gather's gradient needs UnsortedSegmentSum, which has no wasm kernel.",
    backends: ['wasm'],
    workaround: 'pickTimeSteps (one-hot mask, multiply, sum), in multistability/starting_states.ts statesAtPrefix.',
    pinnedBy: 'backend/tfjs_quirks.test.ts',
  },
  webgpuSyncReadLosesDevice: {
    why: 'A synchronous read (dataSync / arraySync) on webgpu stalls the pipeline and can lose the device.',
    backends: ['webgpu', 'webgl'],
    workaround:
      'Rule, not a helper: library code that may run on GPU backends reads with data() / array() ' +
      '(vaaAsync, measureVaa, SequenceInputs.create, warmup).',
    pinnedBy: 'browser/chromium_backends.test.ts (webgpu suite, headless Chromium)',
  },
  tapeKeepsSavedOnThrow: {
    why:
      'While a gradient is recorded, tfjs keeps a clone of every tensor an op saves for its gradient; when ' +
      'the forward function throws, the abandoned tape keeps them alive.',
    backends: ['all'],
    workaround: 'releaseAbandonedTape (utils/abandoned_tape.ts), called by warmup after a failed gradient.',
    pinnedBy: 'backend/tfjs_quirks.test.ts',
  },
  wasmReadSyncCopies: {
    why:
      "wasm's readSync (dataSync) slices a fresh copy of the tensor's bytes out of its heap on every read: " +
      'for the engine, megabytes of allocation and copying per call (inputs, states, gradients).',
    backends: ['wasm'],
    workaround:
      'floatView: a view of the tensor in the backend heap, read at once (engine/engine_recurrence.ts copies ' +
      'it straight into engine memory).',
    pinnedBy: 'backend/tfjs_quirks.test.ts',
  },
  adamaxStateUnsaveable: {
    why: "Adamax's getWeights throws, so its state cannot be saved and restored.",
    backends: ['all'],
    workaround: 'OptimizerState.save returns null (warmup/optimizer_state.ts); documented on WarmupOptions.optimizer.',
    pinnedBy: 'backend/tfjs_quirks.test.ts',
  },
} as const satisfies Record<string, TfjsQuirk>;
