import { describe, expect, it } from 'vitest';
import { AdaptiveHorizon } from '../../src/warmup/adaptive_horizon';

describe('AdaptiveHorizon (the robust mode’s per-layer stabilisation length)', () => {
  it('runs the step’s T while no layer collapsed', () => {
    const h = new AdaptiveHorizon(2, 200, 10, 0.8);
    expect(h.lengths(37, 200)).toEqual([37, 37]);
    expect(h.lengths(5, 41)).toEqual([5, 5]);
  });

  it('halves a collapsed layer’s cap below the length it collapsed at, and rescales the draw into it', () => {
    const h = new AdaptiveHorizon(2, 200, 10, 0.8);
    h.update([0.03, 0.9], [true, false], [120, 120]);
    expect(h.current).toEqual([60, 200]);
    // T = 200 of T_max = 200 maps to the cap; T = 1 stays 1; the healthy layer runs T.
    expect(h.lengths(200, 200)).toEqual([60, 200]);
    expect(h.lengths(1, 200)).toEqual([1, 1]);
    expect(h.lengths(100, 200)).toEqual([30, 100]);
  });

  it('grows the cap back by the increment while the layer is at the threshold, up to the maximum', () => {
    const h = new AdaptiveHorizon(1, 200, 10, 0.8);
    h.update([0.01], [true], [40]);
    expect(h.current).toEqual([20]);
    h.update([0.5], [false], [10]);
    expect(h.current).toEqual([20]);
    h.update([0.85], [false], [10]);
    expect(h.current).toEqual([30]);
    for (let k = 0; k < 30; k++) h.update([0.9], [false], [10]);
    expect(h.current).toEqual([200]);
    h.update([0.01], [true], [1]);
    expect(h.current).toEqual([1]);
  });
});
