import { InvalidArgumentError } from '../errors';

/** Largest number of elements a generated tensor may hold (the int32 index limit of tfjs). */
export const MAX_TENSOR_ELEMENTS = 2 ** 31 - 1;

/** Throws when a requested data set would not fit in one tensor (internal). */
export function checkTensorSize(fn: string, what: string, elements: number): void {
  if (elements > MAX_TENSOR_ELEMENTS) {
    throw new InvalidArgumentError(
      `${fn}: ${what} = ${elements} elements exceeds the maximum of ${MAX_TENSOR_ELEMENTS} for one tensor; generate the data in smaller parts.`,
    );
  }
}
