import { InvalidArgumentError, ShapeError } from '../errors';
import type { RecurrentPath } from './recurrent_path';
import type { SequenceInputs } from './sequence_inputs';

/**
 * The checks of the data against the model that `warmup` and `measureVaa` share: the feature
 * size, the time length of a model built for a fixed one, and no backwards layer with
 * variable-length inputs (the zero padding would come first).
 *
 * @throws {ShapeError} wrong feature size or time length.
 * @throws {InvalidArgumentError} a `goBackwards` layer with variable-length inputs.
 */
export function checkDataAgainstModel(path: RecurrentPath, data: SequenceInputs, fn: string): void {
  if (path.inputFeatures != null && path.inputFeatures !== data.features) {
    throw new ShapeError(
      `${fn}: inputs have ${data.features} features per step but the model expects ${path.inputFeatures}.`,
    );
  }
  if (path.inputTime != null) {
    const bad = data.lengths.findIndex((l) => l !== path.inputTime);
    if (bad >= 0) {
      const which = data.variableLength || data.isList ? `inputs[${bad}] has` : 'inputs have';
      throw new ShapeError(
        `${fn}: the model was built for sequences of ${path.inputTime} steps (its input shape is [${path.inputTime}, ${path.inputFeatures}]) but ${which} ${data.lengths[bad]}; pass ${path.inputTime}-step sequences or build the model with inputShape [null, features].`,
      );
    }
  }
  if (data.variableLength) {
    const backwards = path.entries.find((e) => e.capable.goBackwards);
    if (backwards != null) {
      throw new InvalidArgumentError(
        `${fn}: layer '${backwards.layer.name}' runs backwards (goBackwards), which is not supported with variable-length inputs (padding would come first); pass equal-length sequences.`,
      );
    }
  }
}
