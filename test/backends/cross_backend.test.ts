import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { runBackendCases } from '../shared/backend_cases';
import { compareBackendCases, type ComparedBackend } from '../shared/backend_tolerances';
import { backendName } from '../helpers';

/**
 * The shared cases on this project's backend agree with the cpu backend within the measured
 * differences × 10 (test/shared/backend_tolerances.ts; the browser suite does the same for
 * webgl and webgpu).
 */
describe.skipIf(backendName() === 'cpu')('cross-backend agreement with cpu', () => {
  it(`${backendName()} matches cpu on every shared case`, async () => {
    const here = backendName() as ComparedBackend;
    const mine = await runBackendCases(tf);
    await tf.setBackend('cpu');
    try {
      const cpu = await runBackendCases(tf);
      expect(Object.keys(mine).sort()).toEqual(Object.keys(cpu).sort());
      const failures = compareBackendCases(here, mine, cpu, process.env.MEASURE_BACKEND_DIFFS === '1', (t) =>
        console.log(t),
      );
      expect(failures, failures.join('\n')).toEqual([]);
    } finally {
      await tf.setBackend(here);
    }
  });
});
