/**
 * Fully masked rows at the end of the batch: with a mask, the engine computes at each step only
 * the rows up to the last unmasked one (`activeRows`), forward and backward, and must still give
 * exactly the op path's values and gradients: the skipped rows keep their state, pass their
 * gradient through, and contribute nothing to any parameter's gradient. Cases: batches sorted by
 * decreasing length (padding at the end), steps where no row is left, batch rows not a multiple
 * of 4, batches of 8 rows and more (the packed matmul), unsorted lengths and holes in the middle.
 */
import { describe, expect, it } from 'vitest';
import { activeRows } from '../../src/engine/engine_recurrence';
import { memoryCount, expectSameMemory } from '../helpers/leaks';
import { loadedEngine } from '../../src/engine/engine_loader';
import { engineKernelCases, expectEngineMatchesOps as expectMatch, runOn, type RecurrenceCase } from './compare';

/**
 * Fills the engine's working memory with NaN first, so a skipped row's never-written value that
 * were read anywhere (0·NaN = NaN) would show in the comparison.
 */
function expectEngineMatchesOps(c: RecurrenceCase, label: string): void {
  const engine = loadedEngine();
  if (engine == null) throw new Error('the engine is not loaded');
  const from = Math.ceil(engine.heapBase() / 16) * 4;
  new Float32Array(engine.memory.buffer).fill(NaN, from);
  expectMatch(c, label);
}

const kernels = engineKernelCases;

describe('activeRows', () => {
  it('is 1 + the last nonzero row of each step, 0 when the step is fully masked', () => {
    // time 3, batch 4
    const mask = Float32Array.from([1, 1, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(activeRows(mask, 3, 4))).toEqual([4, 1, 0]);
  });
});

describe('engine skips fully masked rows at the end of the batch, same results as the op path', () => {
  // 9 steps; the longest row has 7, so steps 7 and 8 have no row left; a row of length 0.
  const sorted = [7, 7, 5, 2, 1, 0];
  for (const units of [3, 8]) {
    it(`sorted lengths, batch 6, ${units} units (projection given and fused)`, () => {
      for (const c of kernels(units)) {
        const label = `${c.name}, ${units} units`;
        expectEngineMatchesOps({ ...c, time: 9, batch: 6, lengths: sorted, seed: 21 }, `${label}, sorted`);
        const input = { features: 4, bias: true, reverse: false };
        expectEngineMatchesOps({ ...c, time: 9, batch: 6, lengths: sorted, input, seed: 22 }, `${label}, fused`);
      }
    });
  }
  it('batch of 11 rows (packed products), 8 units, and a non-default activation', () => {
    const lengths = [12, 12, 11, 9, 9, 8, 6, 4, 3, 3, 1];
    for (const c of [...kernels(8), ...kernels(8, 'relu').slice(0, 4)]) {
      const input = { features: 9, bias: false, reverse: false };
      expectEngineMatchesOps({ ...c, time: 12, batch: 11, lengths, seed: 23 }, `${c.name}, batch 11`);
      expectEngineMatchesOps({ ...c, time: 12, batch: 11, lengths, input, seed: 24 }, `${c.name}, batch 11, fused`);
    }
  });
  it('every row fully masked, and one row', () => {
    for (const c of kernels(5)) {
      expectEngineMatchesOps({ ...c, time: 4, batch: 3, lengths: [0, 0, 0], seed: 25 }, `${c.name}, none left`);
      expectEngineMatchesOps({ ...c, time: 4, batch: 1, lengths: [2], seed: 25 }, `${c.name}, batch 1`);
    }
  });
  it('unsorted lengths with holes in the middle keep the masked blend', () => {
    for (const c of kernels(5)) {
      const lengths = [3, 8, 0, 6, 8, 2, 5];
      expectEngineMatchesOps({ ...c, time: 8, batch: 7, lengths, holes: 0.3, seed: 26 }, `${c.name}, unsorted`);
      const input = { features: 3, bias: true, reverse: true };
      expectEngineMatchesOps({ ...c, time: 8, batch: 7, lengths, holes: 0.3, input, seed: 27 }, `${c.name}, reversed`);
    }
  });
  it('leaves no tensor behind', () => {
    const [c] = kernels(4);
    runOn('auto', { ...c, time: 6, batch: 5, lengths: [6, 4, 4, 1, 0], seed: 28 });
    const before = memoryCount();
    runOn('auto', { ...c, time: 6, batch: 5, lengths: [6, 4, 4, 1, 0], seed: 28 });
    expectSameMemory(before, 'skipped rows');
  });
});
