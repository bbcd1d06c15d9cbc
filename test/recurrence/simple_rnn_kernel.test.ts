import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { getRecurrentActivation } from '../../src/recurrence/activation';
import { simpleRnnKernel } from '../../src/recurrence/kernels/simple_rnn';
import type { StepEquations } from '../../src/recurrence/step_equations';
import { iterateRecurrence, runRecurrence } from '../../src/recurrence/run_recurrence';
import { expectClose, expectNoLeaks, seededArray } from '../helpers';

/**
 * The simple-RNN kernel h' = f(x·W + b + h·U): forward against the plain equation, and leaks.
 * Its hand-written backward is checked against the taped loop in run_recurrence.test.ts.
 */
const units = 3;
const batch = 2;
const time = 4;

function rand(seed: number, shape: number[], scale = 0.5): tf.Tensor {
  return tf.tensor(
    seededArray(
      seed,
      shape.reduce((a, b) => a * b, 1),
      scale,
    ),
    shape,
  );
}

const cases = [
  { kernel: simpleRnnKernel(units, getRecurrentActivation('tanh', 'activation')) as StepEquations<unknown> },
];

function close(actual: tf.Tensor, expected: tf.Tensor, label: string): void {
  expect(actual.shape).toEqual(expected.shape);
  expectClose(actual.dataSync(), expected.dataSync(), 2e-5, 2e-5, label);
}

describe('simpleRnnKernel (its backward is checked with the other kernels in run_recurrence.test.ts)', () => {
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
      tf.valueAndGrads(
        (...xs: tf.Tensor[]) =>
          tf.sum(
            runRecurrence(k, { projection: xs[0], initialStates: [xs[1] as tf.Tensor2D], parameters: [xs[2]] }),
          ) as tf.Scalar,
      )([projection, h0, u]),
    );
    const constant = rand(13, [batch, units], 1) as tf.Tensor2D;
    await expectNoLeaks(() => iterateRecurrence(k, constant, [h0], [u], 250, 100));
    tf.dispose([projection, constant, h0, u]);
  });
});
