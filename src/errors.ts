/**
 * Errors thrown by tfjs-warmup-rnn. Every error names the problem (which argument, what was
 * expected, what was received) and is thrown before any weight or state is modified.
 *
 * @packageDocumentation
 */

/** Base class of every error this library throws on purpose. */
export class WarmupRnnError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
    // Keeps `instanceof` working when compiled to ES5-style classes.
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

/** An option or argument has a wrong type, an out-of-range value, or an unknown name. */
export class InvalidArgumentError extends WarmupRnnError {}

/** A tensor has the wrong rank or a size that does not match what the layer or model expects. */
export class ShapeError extends WarmupRnnError {}

/** A tensor or weight holds NaN or ±Infinity where finite values are required. */
export class NonFiniteError extends WarmupRnnError {}

/**
 * A model is already being warmed up or measured by another call that has not finished
 * (`warmup` and `measureVaa` run one at a time per model).
 */
export class ConcurrentUseError extends WarmupRnnError {}
