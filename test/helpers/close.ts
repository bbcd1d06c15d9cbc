import { expect } from 'vitest';

/** Maximum |a_i - b_i| (NaN if any element is NaN on one side only). */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (Number.isNaN(d) && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return NaN;
    if (d > m) m = d;
  }
  return m;
}

/**
 * Asserts |actual_i - expected_i| <= atol + rtol * |expected_i| for every i
 * (numpy.allclose semantics; NaN matches NaN, equal infinities match).
 * On failure the message lists the length, the first few offending indices
 * with both values, the number of mismatches and the max abs diff.
 */
export function expectClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  atol = 1e-5,
  rtol = 1e-5,
  label = '',
): void {
  const prefix = label ? `${label}: ` : '';
  if (actual.length !== expected.length) {
    expect.fail(`${prefix}length mismatch: actual ${actual.length}, expected ${expected.length}`);
  }
  const bad: string[] = [];
  let count = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    let ok: boolean;
    if (Number.isNaN(a) || Number.isNaN(e)) ok = Number.isNaN(a) && Number.isNaN(e);
    else if (!Number.isFinite(a) || !Number.isFinite(e)) ok = a === e;
    else ok = Math.abs(a - e) <= atol + rtol * Math.abs(e);
    if (!ok) {
      count++;
      if (bad.length < 10) bad.push(`  [${i}] actual=${a} expected=${e} diff=${Math.abs(a - e)}`);
    }
  }
  if (count > 0) {
    expect.fail(
      `${prefix}${count}/${expected.length} elements not close (atol=${atol}, rtol=${rtol}); ` +
        `max abs diff ${maxAbsDiff(actual, expected)}\n${bad.join('\n')}` +
        (count > bad.length ? `\n  ... and ${count - bad.length} more` : ''),
    );
  }
}
