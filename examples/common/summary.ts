/** Helpers of the examples' summary tables (one row per cell × variant over seeds). */

/** `items` grouped by `key`, groups in the order their first item appears. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return [...groups.values()];
}

export const mean = (values: readonly number[]): number => values.reduce((s, v) => s + v, 0) / values.length;
