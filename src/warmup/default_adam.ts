import * as tf from '@tensorflow/tfjs-core';

/**
 * Warmup's default optimizer: Adam with exactly the operations of tfjs 4.22's `AdamOptimizer`
 * (same kernels, same order, so the same weights bit for bit), but each temporary is disposed
 * as soon as it is used.
 *
 * Why: tfjs's Adam updates every variable inside one `tf.tidy`, so about fourteen temporaries the
 * size of the largest variable stay alive until the update ends; that was the peak of a warmup
 * step, ≈ 19× the model's weights. Freed as it goes, the optimizer holds at most three at once
 * and the step's peak moves to the backward pass, 9–11× the weights (docs/benchmarks.md,
 * `npm run bench:init`).
 * Internal: users who pass `optimizer` keep tfjs's own.
 */
export class DefaultAdam extends tf.Optimizer {
  /** @nocollapse */
  static className = 'WarmupRnnDefaultAdam';
  private readonly beta1 = 0.9;
  private readonly beta2 = 0.999;
  private readonly epsilon: number;
  private readonly accBeta1: tf.Variable;
  private readonly accBeta2: tf.Variable;
  private readonly firstMoments: tf.Variable[] = [];
  private readonly secondMoments: tf.Variable[] = [];

  constructor(private readonly learningRate: number) {
    super();
    this.epsilon = tf.backend().epsilon();
    [this.accBeta1, this.accBeta2] = tf.tidy(() => [
      tf.variable(tf.scalar(this.beta1), false),
      tf.variable(tf.scalar(this.beta2), false),
    ]);
  }

  applyGradients(variableGradients: tf.NamedTensorMap | Array<{ name: string; tensor: tf.Tensor }>): void {
    const names = Array.isArray(variableGradients)
      ? variableGradients.map((v) => v.name)
      : Object.keys(variableGradients);
    const [oneMinusAccBeta1, oneMinusAccBeta2] = tf.tidy(() => [tf.sub(1, this.accBeta1), tf.sub(1, this.accBeta2)]);
    names.forEach((name, i) => {
      const value = tf.engine().registeredVariables[name];
      this.firstMoments[i] ??= tf.tidy(() => tf.variable(tf.zerosLike(value), false));
      this.secondMoments[i] ??= tf.tidy(() => tf.variable(tf.zerosLike(value), false));
      const gradient = Array.isArray(variableGradients) ? variableGradients[i].tensor : variableGradients[name];
      if (gradient == null) return;
      // The ops of tfjs's Adam in its order. Each temporary is disposed as soon as it is used, so
      // at most three of this variable's size are alive at once; the tidy frees the scalars.
      tf.tidy(() =>
        this.update(value, gradient, this.firstMoments[i], this.secondMoments[i], oneMinusAccBeta1, oneMinusAccBeta2),
      );
    });
    tf.dispose([oneMinusAccBeta1, oneMinusAccBeta2]);
    tf.tidy(() => {
      this.accBeta1.assign(tf.mul(this.accBeta1, this.beta1));
      this.accBeta2.assign(tf.mul(this.accBeta2, this.beta2));
    });
    this.incrementIterations();
  }

  private update(
    value: tf.Variable,
    gradient: tf.Tensor,
    firstMoment: tf.Variable,
    secondMoment: tf.Variable,
    oneMinusAccBeta1: tf.Tensor,
    oneMinusAccBeta2: tf.Tensor,
  ): void {
    const newFirstMoment = consume(
      tf.add,
      consume(tf.mul, firstMoment, this.beta1, [false]),
      consume(tf.mul, gradient, 1 - this.beta1, [false]),
    );
    const newSecondMoment = consume(
      tf.add,
      consume(tf.mul, secondMoment, this.beta2, [false]),
      consume(tf.mul, tf.square(gradient), 1 - this.beta2),
    );
    const biasCorrectedFirstMoment = tf.div(newFirstMoment, oneMinusAccBeta1);
    const biasCorrectedSecondMoment = tf.div(newSecondMoment, oneMinusAccBeta2);
    // assign keeps the data alive in the moment variables.
    firstMoment.assign(newFirstMoment);
    secondMoment.assign(newSecondMoment);
    tf.dispose([newFirstMoment, newSecondMoment]);
    const denominator = consume(tf.add, tf.sqrt(biasCorrectedSecondMoment), this.epsilon);
    biasCorrectedSecondMoment.dispose();
    const step = consume(tf.mul, consume(tf.div, biasCorrectedFirstMoment, denominator), -this.learningRate);
    const newValue = consume(tf.add, step, value, [true, false]);
    value.assign(newValue);
    newValue.dispose();
  }

  override dispose(): void {
    tf.dispose([this.accBeta1, this.accBeta2, ...this.firstMoments, ...this.secondMoments]);
  }

  getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}

type Operand = tf.Tensor | number;

/**
 * `op(a, b)`, then disposes the operands that are tensors, except those marked `false` in
 * `dispose` (default: dispose both).
 */
function consume(
  op: (a: Operand, b: Operand) => tf.Tensor,
  a: Operand,
  b: Operand,
  dispose: [boolean, boolean?] = [true, true],
): tf.Tensor {
  const out = op(a, b);
  if (dispose[0] && a instanceof tf.Tensor) a.dispose();
  if ((dispose[1] ?? true) && b instanceof tf.Tensor) b.dispose();
  return out;
}
