/** Milliseconds from a monotonic clock where there is one (`performance.now()`), else `Date.now()`. */
export function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}
