import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/errors';
import { copyFirstInput } from '../../src/tasks';
import { expectNoLeaks } from '../helpers';

describe('copyFirstInput', () => {
  it('has the documented shapes and dtypes', async () => {
    await expectNoLeaks(() => {
      const { inputs, targets } = copyFirstInput({ samples: 4, length: 7, seed: 1 });
      expect(inputs.shape).toEqual([4, 7, 1]);
      expect(inputs.dtype).toBe('float32');
      expect(targets.shape).toEqual([4, 1]);
      expect(targets.dtype).toBe('float32');
      return [inputs, targets];
    });
  });

  it('targets equal the first input exactly', () => {
    const { inputs, targets } = copyFirstInput({ samples: 50, length: 20, seed: 2 });
    const x = inputs.dataSync();
    const y = targets.dataSync();
    for (let i = 0; i < 50; i++) expect(y[i]).toBe(x[i * 20]);
    tf.dispose([inputs, targets]);
  });

  it('same seed → identical data; different seeds or no seed → different data', () => {
    const read = (o: Parameters<typeof copyFirstInput>[0]) => {
      const d = copyFirstInput(o);
      const out = Array.from(d.inputs.dataSync());
      tf.dispose(d);
      return out;
    };
    expect(read({ samples: 3, length: 5, seed: 7 })).toEqual(read({ samples: 3, length: 5, seed: 7 }));
    expect(read({ samples: 3, length: 5, seed: 'seven' })).toEqual(read({ samples: 3, length: 5, seed: 'seven' }));
    expect(read({ samples: 3, length: 5, seed: 7 })).not.toEqual(read({ samples: 3, length: 5, seed: 8 }));
    expect(read({ samples: 3, length: 5 })).not.toEqual(read({ samples: 3, length: 5 }));
    // Sample i does not depend on how many samples are generated.
    expect(read({ samples: 10, length: 5, seed: 7 }).slice(0, 15)).toEqual(read({ samples: 3, length: 5, seed: 7 }));
  });

  it('inputs are roughly N(0, 1), and so are the targets', () => {
    const { inputs, targets } = copyFirstInput({ samples: 4000, length: 10, seed: 3 });
    for (const t of [inputs, targets]) {
      const x = t.dataSync();
      let mean = 0;
      for (const v of x) mean += v;
      mean /= x.length;
      let variance = 0;
      for (const v of x) variance += (v - mean) ** 2;
      variance /= x.length;
      expect(Math.abs(mean)).toBeLessThan(x.length > 10000 ? 0.02 : 0.06);
      expect(Math.abs(variance - 1)).toBeLessThan(x.length > 10000 ? 0.03 : 0.08);
    }
    tf.dispose([inputs, targets]);
  });

  it('validates every option', () => {
    const ok = { samples: 2, length: 3, seed: 1 };
    expect(() => copyFirstInput({ ...ok, samples: 0 })).toThrow(/option 'samples' must be an integer >= 1, received 0/);
    expect(() => copyFirstInput({ ...ok, length: 2.5 })).toThrow(
      /option 'length' must be an integer >= 1, received 2.5/,
    );
    expect(() => copyFirstInput({ ...ok, seed: 0.1 })).toThrow(/option 'seed' must be a safe integer or a string/);
    expect(() => copyFirstInput({ ...ok, lenght: 3 } as never)).toThrow(
      /unknown option 'lenght'; expected one of: samples, length, seed/,
    );
    expect(() => copyFirstInput({ length: 3 } as never)).toThrow(/option 'samples' is required/);
    expect(() => copyFirstInput(undefined as never)).toThrow(/expected an options object, received undefined/);
    expect(() => copyFirstInput({ samples: 2 ** 20, length: 2 ** 12 })).toThrow(/exceeds the maximum/);
    expect(() => copyFirstInput({ ...ok, samples: -1 })).toThrow(InvalidArgumentError);
  });
});
