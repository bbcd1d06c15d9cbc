import * as tf from '@tensorflow/tfjs-core';
import { serialization } from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '../../errors';
import { SeededRandom } from '../../utils/seeded_random';
import { SerializableInitializer } from './serializable_initializer';

/** Options of {@link ChronoBias}. */
export interface ChronoBiasArgs {
  /** Units of the LSTM; the bias has `4·units` entries (gates i, f, c, o). */
  units: number;
  /** The longest time dependency expected, T_max > 2. */
  tMax: number;
  /** Seed; without it each call draws different values. */
  seed?: number;
}

/**
 * Chrono initialization of an LSTM bias (Tallec & Ollivier 2018, arXiv 1804.11188):
 * `b_f = log(u)`, `b_i = −log(u)` with `u ~ Uniform[1, T_max − 1]` per unit; the cell and
 * output biases are 0. It spreads the forget gates' time constants up to T_max, another
 * initialization known to foster reachable multistability.
 */
export class ChronoBias extends SerializableInitializer {
  /** @nocollapse */
  static className = 'WarmupRnnChronoBias';
  readonly units: number;
  readonly tMax: number;
  readonly seed: number | undefined;

  constructor(args: ChronoBiasArgs) {
    super();
    validateChrono(args.tMax, 'chrono.tMax');
    this.units = args.units;
    this.tMax = args.tMax;
    this.seed = args.seed;
  }

  apply(shape: number[]): tf.Tensor {
    if (shape.length !== 1 || shape[0] !== 4 * this.units) {
      throw new InvalidArgumentError(`ChronoBias: expected shape [${4 * this.units}] (4·units), got [${shape}].`);
    }
    const random = new SeededRandom(this.seed);
    const out = new Float32Array(4 * this.units);
    for (let k = 0; k < this.units; k++) {
      const logU = Math.log(random.uniform(1, this.tMax - 1));
      out[k] = -logU; // input gate
      out[this.units + k] = logU; // forget gate
    }
    return tf.tensor1d(out);
  }

  override getConfig(): serialization.ConfigDict {
    const config: serialization.ConfigDict = { units: this.units, tMax: this.tMax };
    if (this.seed !== undefined) config.seed = this.seed;
    return config;
  }
}

/** Throws unless `tMax` is a finite number > 2 (so that Uniform[1, tMax − 1] is not empty). */
export function validateChrono(tMax: unknown, option: string): void {
  if (typeof tMax !== 'number' || !Number.isFinite(tMax) || tMax <= 2) {
    throw new InvalidArgumentError(`${option} must be a finite number greater than 2, got ${String(tMax)}.`);
  }
}
