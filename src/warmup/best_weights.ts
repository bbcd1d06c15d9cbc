import * as tf from '@tensorflow/tfjs-core';

/**
 * `restoreBest`: the weights with the lowest evaluation loss seen so far, kept as copies, and
 * put back at the end. The copies are the caller's to release with {@link BestWeights.dispose}.
 */
export class BestWeights {
  private copies: tf.Tensor[] | null = null;
  private bestLoss = Infinity;
  /** Step whose weights are kept (−1: the weights from before warmup); null before any offer. */
  step: number | null = null;

  constructor(private readonly variables: tf.Variable[]) {}

  /** The evaluation loss `mean_l (VAA*_l − target)²`. */
  static loss(vaaStar: number[], target: number): number {
    return vaaStar.reduce((s, v) => s + (v - target) ** 2, 0) / vaaStar.length;
  }

  /** Keeps a copy of the current weights when `loss` beats the best so far (NaN never does). */
  offer(step: number, loss: number): void {
    if (!(loss < this.bestLoss)) return;
    tf.dispose(this.copies ?? []);
    this.copies = this.variables.map((v) => tf.keep(tf.clone(v)));
    this.bestLoss = loss;
    this.step = step;
  }

  /** Puts the best weights back into the variables. */
  restore(): void {
    if (this.copies == null) return;
    this.variables.forEach((v, i) => v.assign(this.copies![i]));
  }

  dispose(): void {
    tf.dispose(this.copies ?? []);
    this.copies = null;
  }
}
