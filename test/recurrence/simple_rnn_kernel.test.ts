import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { getRecurrentActivation, type RecurrentActivationName } from '../../src/recurrence/activation';
import { simpleRnnKernel } from '../../src/recurrence/kernels/simple_rnn';
import type { RecurrenceKernel } from '../../src/recurrence/recurrence_kernel';
import { iterateRecurrence, runRecurrence } from '../../src/recurrence/run_recurrence';
import { expectClose, expectNoLeaks, seededArray } from '../helpers';

/**
 * The simple-RNN kernel (h' = f(x·W + b + h·U)) in the same table as run_recurrence.test.ts:
 * its hand-written backward through time equals the op-by-op taped loop, for sequences,
 * masked sequences and a constant input, for every activation the built-in may use.
 */
const units = 3;
const batch = 2;
const time = 4;

function rand(seed: number, shape: number[], scale = 0.5): tf.Tensor {
  return tf.tensor(seededArray(seed, shape.reduce((a, b) => a * b, 1), scale), shape);
}

interface Case {
  name: string;
  kernel: RecurrenceKernel<unknown>;
  parameterShapes: number[][];
}

const activations: RecurrentActivationName[] = ['tanh', 'relu', 'sigmoid', 'hardSigmoid', 'linear', 'softsign'];
const cases: Case[] = activations.map((name) => ({
  name: `simple rnn, ${name}`,
  kernel: simpleRnnKernel(units, getRecurrentActivation(name, 'activation')) as RecurrenceKernel<unknown>,
  parameterShapes: [[units, units]],
}));

/** The same loop, recorded op by op on the tape: the reference for the hand-written backward. */
function tapedLoop(
  kernel: RecurrenceKernel<unknown>,
  projection: tf.Tensor,
  states0: tf.Tensor2D[],
  parameters: tf.Tensor[],
  mask: tf.Tensor3D | null,
  steps: number,
): tf.Tensor {
  const prepared = kernel.prepare(parameters);
  const projections = projection.rank === 2 ? null : (tf.unstack(projection) as tf.Tensor2D[]);
  const masks = mask == null ? null : (tf.unstack(mask) as tf.Tensor2D[]);
  let states = states0;
  const history: tf.Tensor2D[][] = states0.map(() => []);
  for (let t = 0; t < steps; t++) {
    let next = kernel.step(projections == null ? (projection as tf.Tensor2D) : projections[t], states, prepared).states;
    if (masks != null) {
      const previous = states;
      next = next.map((s, i) => tf.add(tf.mul(s, masks[t]), tf.mul(previous[i], tf.sub(1, masks[t]))) as tf.Tensor2D);
    }
    next.forEach((s, i) => history[i].push(s));
    states = next;
  }
  return tf.stack(history.map((h) => tf.stack(h)));
}

function close(actual: tf.Tensor, expected: tf.Tensor, label: string): void {
  expect(actual.shape).toEqual(expected.shape);
  expectClose(actual.dataSync(), expected.dataSync(), 2e-5, 2e-5, label);
}

describe('simpleRnnKernel: hand-written backward through time equals the taped loop', () => {
  for (const c of cases) {
    for (const variant of ['sequence', 'masked sequence', 'constant input'] as const) {
      it(`${c.name}, ${variant}`, () => {
        tf.tidy(() => {
          const k = c.kernel;
          const constant = variant === 'constant input';
          const projection = constant
            ? rand(11, [batch, k.projectionWidth], 1)
            : rand(12, [time, batch, k.projectionWidth], 1);
          const states0 = Array.from({ length: k.stateCount }, (_, i) => rand(20 + i, [batch, units]) as tf.Tensor2D);
          const parameters = c.parameterShapes.map((s, i) => rand(30 + i, s, 0.8));
          const mask =
            variant === 'masked sequence'
              ? (tf.tensor3d([1, 1, 0, 1, 1, 0, 1, 1], [time, batch, 1]) as tf.Tensor3D)
              : null;
          const weights = rand(40, [k.stateCount, time, batch, units], 1);
          const inputs = [projection, ...states0, ...parameters];
          const lossOf = (run: (xs: tf.Tensor[]) => tf.Tensor) => (...xs: tf.Tensor[]) =>
            tf.sum(tf.mul(run(xs), weights)) as tf.Scalar;
          const split = (xs: tf.Tensor[]) => ({
            p: xs[0],
            s: xs.slice(1, 1 + k.stateCount) as tf.Tensor2D[],
            w: xs.slice(1 + k.stateCount),
          });
          const fast = tf.valueAndGrads(
            lossOf((xs) => {
              const { p, s, w } = split(xs);
              return runRecurrence(k, { projection: p, steps: time, initialStates: s, parameters: w, mask });
            }),
          )(inputs);
          const taped = tf.valueAndGrads(
            lossOf((xs) => {
              const { p, s, w } = split(xs);
              return tapedLoop(k, p, s, w, mask, time);
            }),
          )(inputs);
          close(fast.value, taped.value, 'value');
          fast.grads.forEach((g, i) => close(g, taped.grads[i], `gradient ${i}`));
        });
      });
    }
  }

  it('forward equals the plain equation and iterateRecurrence gives the final state', () => {
    tf.tidy(() => {
      const k = cases[0].kernel;
      const projection = rand(1, [batch, units], 1) as tf.Tensor2D;
      const h0 = rand(2, [batch, units]) as tf.Tensor2D;
      const u = rand(3, [units, units], 0.8) as tf.Tensor2D;
      const all = runRecurrence(k, { projection, steps: 5, initialStates: [h0], parameters: [u] });
      let h: tf.Tensor2D = h0;
      for (let t = 0; t < 5; t++) h = tf.tanh(tf.add(projection, tf.matMul(h, u))) as tf.Tensor2D;
      close(tf.squeeze(tf.slice(all, [0, 4, 0, 0], [1, 1, batch, units]), [0, 1]), h, 'runRecurrence');
      const [final] = iterateRecurrence(k, projection, [h0], [u], 5, 2);
      close(final, h, 'iterateRecurrence');
    });
  });

  it('leaks no tensors in forward and backward', async () => {
    const k = cases[0].kernel;
    const projection = rand(12, [time, batch, units], 1);
    const h0 = rand(20, [batch, units]) as tf.Tensor2D;
    const u = rand(30, [units, units]);
    await expectNoLeaks(() =>
      tf.valueAndGrads((...xs: tf.Tensor[]) =>
        tf.sum(runRecurrence(k, { projection: xs[0], initialStates: [xs[1] as tf.Tensor2D], parameters: [xs[2]] })) as tf.Scalar,
      )([projection, h0, u]),
    );
    const constant = rand(13, [batch, units], 1) as tf.Tensor2D;
    await expectNoLeaks(() => iterateRecurrence(k, constant, [h0], [u], 250, 100));
    tf.dispose([projection, constant, h0, u]);
  });
});
