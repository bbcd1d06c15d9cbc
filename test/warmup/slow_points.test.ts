/** The slow-point remedy's burn-in policy (`mode: 'robust'`), on its own. */
import { describe, expect, it } from 'vitest';
import { MAX_BURN_IN, PROBE_EVERY, SlowPointRemedy } from '../../src/warmup/slow_points';

describe('SlowPointRemedy', () => {
  const threshold = 0.8;
  const make = () => new SlowPointRemedy(2, 200, 20, threshold);

  it('probes every PROBE_EVERY steps from the first full-length step, not after the last step', () => {
    const r = make();
    const due = Array.from({ length: 100 }, (_, s) => s).filter((s) => r.probeDue(s, 100));
    expect(due[0]).toBe(20);
    expect(due.every((s, k) => s === 20 + k * PROBE_EVERY)).toBe(true);
    expect(due).not.toContain(99);
    expect(r.probeDue(19, 100)).toBe(false);
  });

  it('burns in only a layer that holds at stabilisationMax but not at the probe horizon', () => {
    const r = make();
    expect(r.active).toBe(false);
    // Layer 0: VAA* 0.9, VAA 0.3 (slow points); layer 1: VAA* 0.5 (not holding) → no burn-in.
    r.probed([0.9, 0.5], [0.3, 0.1]);
    expect(r.burnIn).toEqual([200, 0]);
    // A layer that holds at the horizon keeps its burn-in.
    r.probed([0.9, 0.9], [0.9, 0.9]);
    expect(r.burnIn).toEqual([200, 0]);
    expect(r.active).toBe(true);
  });

  it('doubles the burn-in at each probe that finds the layer merging, up to MAX_BURN_IN', () => {
    const r = make();
    const seen: number[] = [];
    for (let k = 0; k < 8; k++) {
      r.probed([0.9, 0.9], [0.1, 0.9]);
      seen.push(r.burnIn[0]);
    }
    expect(seen).toEqual([200, 400, 800, 1600, MAX_BURN_IN, MAX_BURN_IN, MAX_BURN_IN, MAX_BURN_IN]);
  });

  it('halves the burn-in of a collapsed layer and drops it below stabilisationMax', () => {
    const r = make();
    for (let k = 0; k < 3; k++) r.probed([0.9, 0.9], [0.1, 0.1]);
    expect(r.burnIn).toEqual([800, 800]);
    r.collapsed([true, false]);
    expect(r.burnIn).toEqual([400, 800]);
    r.collapsed([true, false]);
    expect(r.burnIn).toEqual([200, 800]);
    r.collapsed([true, true]);
    expect(r.burnIn).toEqual([0, 400]);
  });
});
