import type { RecurrentActivationName } from '../recurrence/activation';

/** The recurrent cells the engine implements (one pair of functions each in assembly/). */
export type EngineCellKind = 'gruResetAfter' | 'gruResetBefore' | 'lstm' | 'simpleRnn' | 'brc' | 'nbrc';

/**
 * How a {@link StepEquations} describes itself to the WebAssembly engine: which cell it is
 * and with which activations. The engine's parameters and states are the kernel's own, in the
 * kernel's order, so a kernel with a descriptor runs on either path with the same tensors.
 * @internal
 */
export interface EngineCell {
  readonly kind: EngineCellKind;
  readonly activation?: RecurrentActivationName;
  readonly recurrentActivation?: RecurrentActivationName;
}

/** Per-kind sizes (floats per batch row, for `units` units) the engine's calls need. */
export interface EngineCellLayout {
  /** Intermediates one forward step keeps for the backward step. */
  saved(units: number): number;
  /** Scratch of one forward step (the recurrent product's output). */
  gates(units: number): number;
  /** Per-step gradient of the recurrent product's output, kept for the parameter gradients. */
  recurrent(units: number): number;
  /** The shapes of the recurrent parameters, in the kernel's order (trailing ones optional). */
  parameters(units: number): number[][];
  /** How many of `parameters` must be given. */
  requiredParameters: number;
}

export const ENGINE_CELL_LAYOUTS: Record<EngineCellKind, EngineCellLayout> = {
  gruResetAfter: {
    saved: (u) => 4 * u,
    gates: (u) => 3 * u,
    recurrent: (u) => 3 * u,
    parameters: (u) => [[u, 3 * u], [3 * u]],
    requiredParameters: 1,
  },
  gruResetBefore: {
    saved: (u) => 4 * u,
    gates: (u) => 3 * u,
    recurrent: (u) => 3 * u,
    parameters: (u) => [[u, 3 * u]],
    requiredParameters: 1,
  },
  lstm: {
    saved: (u) => 5 * u,
    gates: (u) => 4 * u,
    recurrent: (u) => 4 * u,
    parameters: (u) => [[u, 4 * u]],
    requiredParameters: 1,
  },
  simpleRnn: {
    saved: (u) => u,
    gates: (u) => u,
    recurrent: (u) => u,
    parameters: (u) => [[u, u]],
    requiredParameters: 1,
  },
  brc: {
    saved: (u) => 3 * u,
    gates: (u) => 2 * u,
    recurrent: (u) => 2 * u,
    parameters: (u) => [[2 * u]],
    requiredParameters: 1,
  },
  nbrc: {
    saved: (u) => 3 * u,
    gates: (u) => 2 * u,
    recurrent: (u) => 2 * u,
    parameters: (u) => [[u, 2 * u]],
    requiredParameters: 1,
  },
};

/** Activation codes as src/engine/assembly/elementwise.ts numbers them. */
export const ACTIVATION_CODES: Record<RecurrentActivationName, number> = {
  tanh: 0,
  sigmoid: 1,
  hardSigmoid: 2,
  relu: 3,
  linear: 4,
  softsign: 5,
};
