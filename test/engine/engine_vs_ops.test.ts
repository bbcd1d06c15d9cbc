import { describe, it } from 'vitest';
import { getRecurrentActivation } from '../../src/recurrence/activation';
import { gruResetAfterKernel } from '../../src/recurrence/kernels/gru_reset_after';
import type { RecurrenceKernel } from '../../src/recurrence/recurrence_kernel';
import { expectEngineMatchesOps } from './compare';

const tanh = getRecurrentActivation('tanh', 'activation');
const sigmoid = getRecurrentActivation('sigmoid', 'recurrentActivation');
const k = <P>(kernel: RecurrenceKernel<P>) => kernel as RecurrenceKernel<unknown>;

describe('engine vs tfjs-op path', () => {
  for (const units of [3, 5, 8]) {
    it(`GRU reset-after, ${units} units, with and without recurrent bias`, () => {
      const kernel = k(gruResetAfterKernel(units, tanh, sigmoid));
      expectEngineMatchesOps({ kernel, parameterShapes: [[units, 3 * units], [3 * units]], time: 6, batch: 3 }, 'bias');
      expectEngineMatchesOps({ kernel, parameterShapes: [[units, 3 * units]], time: 6, batch: 3 }, 'no bias');
    });
  }
});
