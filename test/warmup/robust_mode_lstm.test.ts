/**
 * The robust mode on a real case (wasm only, full 100-step warmups): a 2×16 LSTM + dense head,
 * copy-first-input inputs (64 sequences of length 30), initial weights seeded through a seeded
 * `Math.random` exactly as in the experiment driver (examples/warmup_modes.ts), seed 4. Measured
 * there (docs/results.md, "Warmup modes and the verdict"), before main's fused input projection
 * changed the float rounding: the paper's warmup leaves the stack monostable (measureVaa 1/32
 * at T = 2 000 and 10 000) on seeds 3, 4, 5 and 6, the robust mode makes it multistable (VAA
 * ≥ 0.97 at both) on all four; after that change (the rerun): seeds 4 and 5 the same, seed 3
 * monostable in both modes, seed 6 multistable in both. Warmup is chaotic in the float
 * rounding: a change of operation order in the engine may move a seed and then needs
 * re-measuring with the driver (`--seeds 3-6 --modes default,robust`). After the engine began
 * skipping the rows warmup masks past each prefix (other summation orders), this test's own
 * measure (measureVaa at T = 2 000) gave paper / robust: seed 3 2/32 / 1.0, seed 4 2/32 / 1.0,
 * seed 5 1/32 / 1.0, seed 6 1/32 / 1.0; seed 5 is pinned here.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { measureVaa, ready, warmup, type WarmupMode } from '../../src/index';
import { copyFirstInput } from '../../src/tasks/index';
import { driverModel } from '../../examples/common/driver_model';
import { backendName, expectSameMemory, memoryCount } from '../helpers';

describe.runIf(backendName() === 'wasm')("mode 'robust' on a seeded 2×16 LSTM (wasm)", () => {
  it("seed 5: monostable after the paper's warmup, multistable after the robust one", async () => {
    await ready();
    const seed = 5;
    const { inputs, targets } = copyFirstInput({ samples: 64, length: 30, seed });
    const memory = memoryCount();
    const after = async (mode: WarmupMode) => {
      const model = driverModel('lstm', 16, seed);
      await warmup(model, inputs, { seed, steps: 100, mode });
      const vaa = await measureVaa(model, inputs, { seed, steps: 2000 });
      model.dispose();
      return vaa;
    };
    const paper = await after('paper');
    const robust = await after('robust');
    expectSameMemory(memory);
    expect(paper).toBeLessThan(2 / 32);
    expect(robust).toBeGreaterThanOrEqual(0.5);
    tf.dispose([inputs, targets]);
  }, 600_000);
});
