import { serialization, type DataType, type Tensor } from '@tensorflow/tfjs-core';

/**
 * Base of our weight initializers. tfjs-layers does not export its `Initializer` base class at
 * run time, so ours restates its (small) contract: `apply(shape, dtype)` and `getConfig()`,
 * registered with `tf.serialization` so saved models restore them.
 */
export abstract class SerializableInitializer extends serialization.Serializable {
  fromConfigUsesCustomObjects(): boolean {
    return false;
  }
  abstract apply(shape: number[], dtype?: DataType): Tensor;
}
