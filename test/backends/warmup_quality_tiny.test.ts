import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { runWarmupQualitySeeds, warmupQualityFailures } from '../shared/warmup_quality_case';
import { backendName } from '../helpers';

/** The tiny warmup-quality case the browser suite runs on webgl and webgpu, here on cpu/wasm. */
describe('tiny warmup raises VAA* toward the target', () => {
  it(`on ${backendName()}`, async () => {
    const results = await runWarmupQualitySeeds(tf);
    const failures = warmupQualityFailures(results);
    expect(failures, failures.join('\n')).toEqual([]);
  });
});
