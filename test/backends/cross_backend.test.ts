import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { runBackendCases } from '../shared/backend_cases';
import { backendName, expectClose } from '../helpers';

/**
 * The shared cases on this project's backend agree with the cpu backend to float32 tolerance
 * (the browser suite does the same for webgl).
 */
describe.skipIf(backendName() === 'cpu')('cross-backend agreement with cpu', () => {
  it(`${backendName()} matches cpu on every shared case`, async () => {
    const here = backendName();
    const mine = await runBackendCases(tf);
    await tf.setBackend('cpu');
    try {
      const cpu = await runBackendCases(tf);
      expect(Object.keys(mine).sort()).toEqual(Object.keys(cpu).sort());
      for (const [name, expected] of Object.entries(cpu)) {
        expectClose(mine[name], expected, 1e-4, 1e-3, `case '${name}' (${here} vs cpu)`);
      }
    } finally {
      await tf.setBackend(here);
    }
  });
});
