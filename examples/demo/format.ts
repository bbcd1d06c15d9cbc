/** Number and duration formatting shared by the text table, progress lines and HTML report. */

/** `83.2 s`, `4m05s`, `1h02m`. */
export function formatDuration(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(Math.floor(s - m * 60)).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  return `${h}h${String(m - h * 60).padStart(2, '0')}m`;
}

/** An MSE with 3 significant digits (`0.998`, `0.0412`, `3.10e-4`). */
export function formatMse(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v !== 0 && Math.abs(v) < 0.001) return v.toExponential(2);
  return v.toPrecision(3);
}

/** A VAA value with 3 decimals, or `–` when not measured. */
export function formatVaa(v: number | null): string {
  return v == null ? '–' : v.toFixed(3);
}

/**
 * A validation curve (MSE by default) in a few points: before training, then at about ¼, ½, ¾ of the
 * epochs and at the end (each epoch once), e.g. `1.01 → 0.99 → 0.42 → 0.08 → 0.03`.
 */
export function summariseCurve(values: readonly number[], format: (v: number) => string = formatMse): string {
  if (values.length === 0) return '–';
  const last = values.length - 1;
  const picks = [...new Set([0, Math.round(last / 4), Math.round(last / 2), Math.round((3 * last) / 4), last])];
  return picks.map((i) => format(values[i])).join(' → ');
}
