/**
 * Helpers of the engine tests: run one recurrence on the engine and on the tfjs-op path and
 * compare values and gradients (projection, initial states, parameters).
 */
import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import { engineStatus, setEngineMode } from '../../src/engine/engine_loader';
import { getRecurrentActivation, type RecurrentActivationName } from '../../src/recurrence/activation';
import { bistableKernel } from '../../src/recurrence/kernels/bistable';
import { gruResetAfterKernel } from '../../src/recurrence/kernels/gru_reset_after';
import { gruResetBeforeKernel } from '../../src/recurrence/kernels/gru_reset_before';
import { lstmKernel } from '../../src/recurrence/kernels/lstm';
import { simpleRnnKernel } from '../../src/recurrence/kernels/simple_rnn';
import type { StepEquations } from '../../src/recurrence/step_equations';
import { runRecurrence } from '../../src/recurrence/run_recurrence';
import { expectClose } from '../helpers';
import { seededArray } from '../helpers/random';

export interface RecurrenceCase {
  kernel: StepEquations<unknown>;
  parameterShapes: number[][];
  time: number;
  batch: number;
  /** Constant projection `[batch, width]` for `time` steps instead of `[time, batch, width]`. */
  constant?: boolean;
  /** Probability of a 0 in the mask (none when undefined). */
  holes?: number;
  /**
   * Each batch row's length: the mask is 1 at steps t < lengths[b] and 0 after (a padded
   * batch); combined with `holes` when both are given.
   */
  lengths?: number[];
  seed?: number;
  /** Scale of the random recurrent parameters. */
  scale?: number;
  /**
   * Hand runRecurrence the unprojected input (`input`: x `[batch, time, features]`, kernel and
   * bias) instead of a projection, so the engine forms the projection and its gradients.
   */
  input?: { features: number; bias: boolean; reverse: boolean };
  /** Ask for the last step's states only (runRecurrence's `finalOnly`). */
  finalOnly?: boolean;
}

interface Outcome {
  value: Float32Array;
  grads: Float32Array[];
  path: 'engine' | 'ops' | null;
}

function tensorsOf(c: RecurrenceCase) {
  const seed = c.seed ?? 1;
  const { kernel, batch, time } = c;
  const width = kernel.projectionWidth;
  const projectionShape = c.constant ? [batch, width] : [time, batch, width];
  const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
  let lead: tf.Tensor[];
  if (c.input != null) {
    const { features } = c.input;
    lead = [
      tf.tensor3d(seededArray(seed, batch * time * features, 1), [batch, time, features]),
      tf.tensor2d(seededArray(seed + 50, features * width, 0.7), [features, width]),
      ...(c.input.bias ? [tf.tensor1d(seededArray(seed + 51, width, 0.5))] : []),
    ];
  } else {
    lead = [tf.tensor(seededArray(seed, size(projectionShape), 1), projectionShape)];
  }
  const initialStates = Array.from({ length: kernel.stateCount }, (_, i) =>
    tf.tensor2d(seededArray(seed + 10 + i, batch * kernel.units, 0.8), [batch, kernel.units]),
  );
  const parameters = c.parameterShapes.map((shape, i) =>
    tf.tensor(seededArray(seed + 20 + i, size(shape), c.scale ?? 0.6), shape),
  );
  let mask: tf.Tensor3D | null = null;
  if (c.holes != null || c.lengths != null) {
    const u = seededArray(seed + 30, time * batch, 1);
    const hole = (i: number) => c.holes != null && (u[i] + 1) / 2 < c.holes;
    const padded = (i: number) => c.lengths != null && Math.floor(i / batch) >= c.lengths[i % batch];
    mask = tf.tensor3d(
      Array.from(u, (_, i) => (hole(i) || padded(i) ? 0 : 1)),
      [time, batch, 1],
    );
  }
  const steps = c.finalOnly === true ? 1 : time;
  const weights = tf.tensor(seededArray(seed + 40, kernel.stateCount * steps * batch * kernel.units, 1), [
    kernel.stateCount,
    steps,
    batch,
    kernel.units,
  ]);
  return { lead, initialStates, parameters, mask, weights };
}

/** Value and gradients of `Σ weights ⊙ runRecurrence(...)` on one path. */
export function runOn(mode: 'auto' | 'ops', c: RecurrenceCase): Outcome {
  setEngineMode(mode);
  try {
    const t = tensorsOf(c);
    const inputs = [...t.lead, ...t.initialStates, ...t.parameters];
    const n = t.lead.length;
    const input = c.input;
    const run = (...xs: tf.Tensor[]) =>
      runRecurrence(c.kernel, {
        ...(input == null
          ? { projection: xs[0] }
          : {
              input: {
                x: xs[0] as tf.Tensor3D,
                kernel: xs[1] as tf.Tensor2D,
                bias: input.bias ? (xs[2] as tf.Tensor1D) : null,
                reverse: input.reverse,
              },
            }),
        steps: c.constant ? c.time : undefined,
        initialStates: xs.slice(n, n + c.kernel.stateCount) as tf.Tensor2D[],
        parameters: xs.slice(n + c.kernel.stateCount),
        mask: t.mask,
        finalOnly: c.finalOnly,
      });
    // Arrays are read inside the tidies and kept outside them (tidy would walk returned arrays).
    let value = new Float32Array(0);
    let grads: Float32Array[] = [];
    tf.tidy(() => {
      value = Float32Array.from(run(...inputs).dataSync());
    });
    const path = engineStatus().lastPath;
    tf.tidy(() => {
      grads = tf
        .grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(run(...xs), t.weights)))(inputs)
        .map((g) => Float32Array.from(g.dataSync()));
    });
    tf.dispose([...inputs, t.weights, ...(t.mask ? [t.mask] : [])]);
    return { value, grads, path };
  } finally {
    setEngineMode('auto');
  }
}

/** Asserts that the engine ran and matches the op path to float32 tolerance. */
export function expectEngineMatchesOps(c: RecurrenceCase, label: string, tolerance = 2e-5): void {
  const engine = runOn('auto', c);
  const ops = runOn('ops', c);
  expect(engine.path, `${label}: the engine ran`).toBe('engine');
  expect(ops.path, `${label}: the op path ran`).toBe('ops');
  expectClose(engine.value, ops.value, tolerance, tolerance, `${label}: value`);
  const lead = c.input == null ? ['dProjection'] : ['dX', 'dKernel', ...(c.input.bias ? ['dBias'] : [])];
  const names = [
    ...lead,
    ...Array.from({ length: c.kernel.stateCount }, (_, i) => `dInitialState${i}`),
    ...c.parameterShapes.map((_, i) => `dParameter${i}`),
  ];
  engine.grads.forEach((g, i) => expectClose(g, ops.grads[i], tolerance * 5, tolerance * 5, `${label}: ${names[i]}`));
}

const k = <P>(kernel: StepEquations<P>) => kernel as StepEquations<unknown>;

/** Every kernel the engine implements, with its parameter shapes, for `units`. */
export function engineKernelCases(
  units: number,
  activation: RecurrentActivationName = 'tanh',
  recurrent: RecurrentActivationName = 'sigmoid',
) {
  const a = getRecurrentActivation(activation, 'activation');
  const r = getRecurrentActivation(recurrent, 'activation');
  const u = units;
  return [
    {
      name: 'GRU reset-after + recurrent bias',
      kernel: k(gruResetAfterKernel(u, a, r)),
      parameterShapes: [[u, 3 * u], [3 * u]],
    },
    { name: 'GRU reset-after', kernel: k(gruResetAfterKernel(u, a, r)), parameterShapes: [[u, 3 * u]] },
    { name: 'GRU reset-before', kernel: k(gruResetBeforeKernel(u, a, r)), parameterShapes: [[u, 3 * u]] },
    { name: 'LSTM', kernel: k(lstmKernel(u, a, r)), parameterShapes: [[u, 4 * u]] },
    { name: 'simpleRNN', kernel: k(simpleRnnKernel(u, a)), parameterShapes: [[u, u]] },
    { name: 'BRC', kernel: k(bistableKernel(u, 'diagonal')), parameterShapes: [[2 * u]] },
    { name: 'nBRC', kernel: k(bistableKernel(u, 'full')), parameterShapes: [[u, 2 * u]] },
  ];
}
