import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, NonFiniteError, ShapeError } from '../errors';

/** Input sequences: `[n, time, features]`, or a list of `[time_i, features]` sequences of any lengths. */
export type SequenceInput = tf.Tensor3D | tf.Tensor2D[];

/** A batch drawn from {@link SequenceInputs}: right-padded with zeros to its longest sequence. */
export interface SequenceBatch {
  /** `[batch, maxLength, features]`. */
  x: tf.Tensor3D;
  /** The true length of each sequence. */
  lengths: number[];
}

/**
 * The user's input sequences, validated once (rank, sizes, finite values) and served as
 * batches. The caller keeps ownership of the tensors it passed; batches are new tensors.
 */
export class SequenceInputs {
  readonly count: number;
  readonly features: number;
  readonly lengths: number[];
  readonly variableLength: boolean;
  /** Whether the inputs came as a list of `[time, features]` sequences. */
  readonly isList: boolean;
  private readonly source: SequenceInput;

  /**
   * Validates `source` (shapes, then finiteness) and wraps it. The finiteness check reads the
   * data asynchronously: synchronous reads are slow on GPU backends and, on tfjs 4.22's webgpu
   * backend, can lose the device (quirk `webgpuSyncReadLosesDevice`, src/backend/tfjs_quirks.ts).
   */
  static async create(source: unknown, fn: string): Promise<SequenceInputs> {
    const data = new SequenceInputs(source, fn);
    const list = data.source instanceof tf.Tensor ? [data.source] : data.source;
    const flags = tf.tidy(() => tf.stack(list.map((t) => tf.all(tf.isFinite(tf.cast(t, 'float32'))))));
    const finite = await flags.data();
    flags.dispose();
    const bad = finite.findIndex((v) => v !== 1);
    if (bad >= 0) {
      throw new NonFiniteError(
        `${fn}: ${data.source instanceof tf.Tensor ? 'inputs' : `inputs[${bad}]`} contain NaN or ±Infinity.`,
      );
    }
    return data;
  }

  private constructor(source: unknown, fn: string) {
    if (source instanceof tf.Tensor) {
      checkNotDisposed(source, 'inputs', fn);
      if (source.rank !== 3) {
        throw new ShapeError(
          `${fn}: inputs must be a [sequences, time, features] tensor (rank 3), got rank ${source.rank} (shape [${source.shape}]).`,
        );
      }
      const [n, time, features] = source.shape as [number, number, number];
      if (n < 1 || time < 1 || features < 1) {
        throw new ShapeError(
          `${fn}: inputs must have at least one sequence, step and feature, got shape [${source.shape}].`,
        );
      }
      this.count = n;
      this.features = features;
      this.lengths = new Array<number>(n).fill(time);
      this.variableLength = false;
      this.isList = false;
      this.source = source as tf.Tensor3D;
      return;
    }
    if (!Array.isArray(source) || source.length === 0) {
      throw new InvalidArgumentError(
        `${fn}: inputs must be a rank-3 tensor or a non-empty array of [time, features] tensors.`,
      );
    }
    let features = -1;
    source.forEach((s, i) => {
      if (!(s instanceof tf.Tensor) || s.rank !== 2) {
        throw new ShapeError(
          `${fn}: inputs[${i}] must be a [time, features] tensor (rank 2), got ${s instanceof tf.Tensor ? `rank ${s.rank}` : typeof s}.`,
        );
      }
      checkNotDisposed(s, `inputs[${i}]`, fn);
      const [time, f] = s.shape as [number, number];
      if (time < 1) throw new ShapeError(`${fn}: inputs[${i}] has no time steps.`);
      if (features >= 0 && f !== features) {
        throw new ShapeError(
          `${fn}: inputs[${i}] has ${f} features but inputs[0] has ${features}; all sequences need the same feature size.`,
        );
      }
      features = f;
    });
    this.count = source.length;
    this.features = features;
    this.lengths = source.map((s) => s.shape[0]);
    this.variableLength = this.lengths.some((l) => l !== this.lengths[0]);
    this.isList = true;
    this.source = source as tf.Tensor2D[];
  }

  /** The sequences at `indices`, zero-padded on the right to the longest of them. */
  batch(indices: number[]): SequenceBatch {
    const lengths = indices.map((i) => this.lengths[i]);
    const x = tf.tidy(() => {
      if (this.source instanceof tf.Tensor) {
        return tf.gather(this.source, tf.tensor1d(indices, 'int32')) as tf.Tensor3D;
      }
      const list = this.source;
      const longest = Math.max(...lengths);
      return tf.stack(
        indices.map((i) => {
          const s = list[i];
          return s.shape[0] === longest
            ? s
            : tf.pad(s, [
                [0, longest - s.shape[0]],
                [0, 0],
              ]);
        }),
      ) as tf.Tensor3D;
    });
    return { x, lengths };
  }
}

/** A disposed tensor still reports its shape but any read of it throws a plain tfjs error. */
function checkNotDisposed(t: tf.Tensor, label: string, fn: string): void {
  if (t.isDisposed) {
    throw new InvalidArgumentError(
      `${fn}: ${label} ${label === 'inputs' ? 'were' : 'was'} disposed (tensor.dispose() or a tf.tidy freed it); pass live tensors.`,
    );
  }
}
