import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { getRecurrentActivation } from '../../src/recurrence/activation';
import { TAPED, type StepEquations } from '../../src/recurrence/step_equations';
import { iterateRecurrence, runRecurrence } from '../../src/recurrence/run_recurrence';
import { bistableKernel } from '../../src/recurrence/kernels/bistable';
import { gruResetAfterKernel } from '../../src/recurrence/kernels/gru_reset_after';
import { gruResetBeforeKernel } from '../../src/recurrence/kernels/gru_reset_before';
import { lstmKernel } from '../../src/recurrence/kernels/lstm';
import { simpleRnnKernel } from '../../src/recurrence/kernels/simple_rnn';
import type { RecurrentActivationName } from '../../src/recurrence/activation';

/** Deterministic pseudo-random values in [-scale, scale). */
function values(seed: number, n: number, scale = 0.5): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = s;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    out[i] = ((((x ^ (x >>> 14)) >>> 0) / 4294967296) * 2 - 1) * scale;
  }
  return out;
}

function rand(seed: number, shape: number[], scale = 0.5): tf.Tensor {
  return tf.tensor(
    values(
      seed,
      shape.reduce((a, b) => a * b, 1),
      scale,
    ),
    shape,
  );
}

const units = 3;
const batch = 2;
const time = 4;
const tanh = getRecurrentActivation('tanh', 'activation');
const sigmoid = getRecurrentActivation('sigmoid', 'recurrentActivation');
const hardSigmoid = getRecurrentActivation('hardSigmoid', 'recurrentActivation');

interface Case {
  name: string;
  kernel: StepEquations<unknown>;
  parameterShapes: number[][];
}

const cases: Case[] = [
  {
    name: 'gru reset-after',
    kernel: gruResetAfterKernel(units, tanh, sigmoid) as StepEquations<unknown>,
    parameterShapes: [[units, 3 * units], [3 * units]],
  },
  {
    name: 'gru reset-after, no bias',
    kernel: gruResetAfterKernel(units, tanh, sigmoid) as StepEquations<unknown>,
    parameterShapes: [[units, 3 * units]],
  },
  {
    name: 'gru reset-before',
    kernel: gruResetBeforeKernel(units, tanh, sigmoid) as StepEquations<unknown>,
    parameterShapes: [[units, 3 * units]],
  },
  {
    name: 'gru reset-before, hardSigmoid',
    kernel: gruResetBeforeKernel(units, tanh, hardSigmoid) as StepEquations<unknown>,
    parameterShapes: [[units, 3 * units]],
  },
  {
    name: 'lstm',
    kernel: lstmKernel(units, tanh, sigmoid) as StepEquations<unknown>,
    parameterShapes: [[units, 4 * units]],
  },
  { name: 'brc', kernel: bistableKernel(units, 'diagonal') as StepEquations<unknown>, parameterShapes: [[2 * units]] },
  {
    name: 'nbrc',
    kernel: bistableKernel(units, 'full') as StepEquations<unknown>,
    parameterShapes: [[units, 2 * units]],
  },
  // tfjs's simpleRNN, with every activation a built-in layer may use.
  ...(['tanh', 'relu', 'sigmoid', 'hardSigmoid', 'linear', 'softsign'] as RecurrentActivationName[]).map((name) => ({
    name: `simple rnn, ${name}`,
    kernel: simpleRnnKernel(units, getRecurrentActivation(name, 'activation')) as StepEquations<unknown>,
    parameterShapes: [[units, units]],
  })),
];

/** The same loop, recorded op by op on the tape: the reference for the hand-written backward. */
function tapedLoop(
  kernel: StepEquations<unknown>,
  projection: tf.Tensor,
  states0: tf.Tensor2D[],
  parameters: tf.Tensor[],
  mask: tf.Tensor3D | null,
  steps: number,
): tf.Tensor {
  const prepared = kernel.prepare(parameters, TAPED);
  const constant = projection.rank === 2;
  const projections = constant ? null : (tf.unstack(projection) as tf.Tensor2D[]);
  const masks = mask == null ? null : (tf.unstack(mask) as tf.Tensor2D[]);
  let states = states0;
  const history: tf.Tensor2D[][] = states0.map(() => []);
  for (let t = 0; t < steps; t++) {
    let next = kernel.step(
      projections == null ? (projection as tf.Tensor2D) : projections[t],
      states,
      prepared,
      TAPED,
    ).states;
    if (masks != null) {
      const previous = states;
      next = next.map((s, i) => tf.add(tf.mul(s, masks[t]), tf.mul(previous[i], tf.sub(1, masks[t]))) as tf.Tensor2D);
    }
    next.forEach((s, i) => history[i].push(s));
    states = next;
  }
  return tf.stack(history.map((h) => tf.stack(h)));
}

function expectAllClose(actual: tf.Tensor, expected: tf.Tensor, tol = 2e-5): void {
  expect(actual.shape).toEqual(expected.shape);
  const a = actual.dataSync();
  const e = expected.dataSync();
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - e[i]) / (1 + Math.abs(e[i])));
  expect(worst).toBeLessThan(tol);
}

describe('runRecurrence: hand-written backward through time equals the taped loop', () => {
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
          // A weighting of every output so that each step's states get a distinct gradient.
          const weights = rand(40, [k.stateCount, time, batch, units], 1);
          const inputs = [projection, ...states0, ...parameters];
          const lossOf =
            (run: (xs: tf.Tensor[]) => tf.Tensor) =>
            (...xs: tf.Tensor[]) =>
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
          expectAllClose(fast.value, taped.value);
          fast.grads.forEach((g, i) => expectAllClose(g, taped.grads[i]));
        });
      });
    }
  }

  it('forward value equals the taped loop and iterateRecurrence gives the final states', () => {
    tf.tidy(() => {
      const k = cases[4].kernel;
      const projection = rand(1, [batch, k.projectionWidth], 1) as tf.Tensor2D;
      const states0 = [rand(2, [batch, units]), rand(3, [batch, units])] as tf.Tensor2D[];
      const parameters = [rand(4, [units, 4 * units], 0.8)];
      const all = runRecurrence(k, { projection, steps: 7, initialStates: states0, parameters });
      const final = iterateRecurrence(k, projection, states0, parameters, 7, 3);
      expectAllClose(final[0], tf.squeeze(tf.slice(all, [0, 6, 0, 0], [1, 1, batch, units]), [0, 1]), 1e-6);
      expectAllClose(final[1], tf.squeeze(tf.slice(all, [1, 6, 0, 0], [1, 1, batch, units]), [0, 1]), 1e-6);
    });
  });

  it('leaks no tensors in forward and backward', () => {
    const k = cases[0].kernel;
    const projection = rand(12, [time, batch, k.projectionWidth], 1);
    const states0 = [rand(20, [batch, units]) as tf.Tensor2D];
    const parameters = [rand(30, [units, 3 * units]), rand(31, [3 * units])];
    const before = tf.memory().numTensors;
    const { value, grads } = tf.valueAndGrads(
      (...xs: tf.Tensor[]) =>
        tf.sum(
          runRecurrence(k, { projection: xs[0], initialStates: [xs[1] as tf.Tensor2D], parameters: xs.slice(2) }),
        ) as tf.Scalar,
    )([projection, ...states0, ...parameters]);
    tf.dispose([value, ...grads]);
    const final = iterateRecurrence(
      k,
      tf.zeros([batch, k.projectionWidth]) as tf.Tensor2D,
      states0,
      parameters,
      250,
      100,
    );
    tf.dispose(final);
    // the zeros tensor above is created inline: dispose happened via tidy? no — count it.
    expect(tf.memory().numTensors).toBe(before + 1);
    tf.dispose([projection, ...states0, ...parameters]);
  });
});
