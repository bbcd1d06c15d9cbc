/**
 * Greedy de-duplication of `k` points of dimension `d` (row-major): candidates are visited from
 * the lowest q up; one joins the first kept point within `tolerance` in every coordinate
 * (FixedPointFinder's `tol_unique` rule), otherwise it is kept. Returns the kept indices and,
 * for every candidate, the position of its kept point in that list.
 */
export function uniquePoints(
  values: Float32Array,
  d: number,
  q: ArrayLike<number>,
  tolerance: number,
): { kept: number[]; groupOf: Int32Array } {
  const k = values.length / d;
  const order = Array.from({ length: k }, (_, i) => i).sort((a, b) => q[a] - q[b]);
  const kept: number[] = [];
  const groupOf = new Int32Array(k).fill(-1);
  for (const i of order) {
    const match = kept.findIndex((j) => withinTolerance(values, i, j, d, tolerance));
    if (match >= 0) {
      groupOf[i] = match;
    } else {
      groupOf[i] = kept.length;
      kept.push(i);
    }
  }
  return { kept, groupOf };
}

/** Whether rows i and j differ by less than `tolerance` in every coordinate. */
export function withinTolerance(values: Float32Array, i: number, j: number, d: number, tolerance: number): boolean {
  for (let c = 0; c < d; c++) {
    if (Math.abs(values[i * d + c] - values[j * d + c]) >= tolerance) return false;
  }
  return true;
}
