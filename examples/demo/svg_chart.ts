/**
 * A small inline-SVG line chart (no library, no script): x = epoch (or any evenly spaced step),
 * y on a log10 axis (losses, MSE) or a linear one (accuracy), one polyline per series, a
 * legend, and an optional horizontal reference line.
 */

export interface ChartSeries {
  label: string;
  color: string;
  /** SVG `stroke-dasharray`, e.g. `'6 3'`; solid when absent. */
  dash?: string;
  /** y values at x = 0, 1, 2, …; non-finite or non-positive values are skipped. */
  values: readonly number[];
}

export interface LineChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly ChartSeries[];
  /** A dashed grey horizontal line, e.g. `{ y: 1, label: 'predicting 0' }`. */
  reference?: { y: number; label: string };
  /** `log` (default: values spanning decades, only positive values drawn) or `linear`. */
  yScale?: 'log' | 'linear';
  /** The x value of index i is `i · xStep` (default 1), e.g. episodes between evaluations. */
  xStep?: number;
  width?: number;
  height?: number;
}

/** Escapes text for XML/HTML content and attribute values. */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** The nearest value of the 1-2-5 grid (…, 0.5, 1, 2, 5, 10, …) at or above / at or below `v` (> 0). */
function niceBound(v: number, direction: 'up' | 'down'): number {
  const decade = 10 ** Math.floor(Math.log10(v));
  const steps = [1, 2, 5, 10].map((m) => m * decade);
  if (direction === 'up') return steps.find((s) => s >= v * (1 - 1e-9)) ?? 10 * decade;
  return [...steps].reverse().find((s) => s <= v * (1 + 1e-9)) ?? decade;
}

const fmt = (v: number): string => (Math.round(v * 10) / 10).toString();

/** Tick labels of a log axis: `1e-3` style below 0.01, plain numbers otherwise. */
function tickLabel(v: number): string {
  return v < 0.01 || v >= 1e4 ? v.toExponential(0).replace('e+', 'e') : String(Number(v.toPrecision(2)));
}

/** Renders the chart as a standalone `<svg>` element (with a `<title>` for accessibility). */
export function lineChartSvg(options: LineChartOptions): string {
  const width = options.width ?? 720;
  const height = options.height ?? Math.max(360, 60 + options.series.length * 18);
  const longest = Math.max(0, ...options.series.map((s) => s.label.length));
  const legendWidth = Math.min(320, Math.max(120, 40 + Math.ceil(longest * 6.2)));
  const margin = { top: 34, right: legendWidth + 16, bottom: 46, left: 62 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;

  const axis = options.yScale === 'linear' ? linearAxis(options) : logAxis(options);
  const xMax = Math.max(1, ...options.series.map((s) => s.values.length - 1));
  const xStep = options.xStep ?? 1;

  const x = (i: number): number => margin.left + (i / xMax) * plotW;
  const y = (v: number): number => margin.top + (1 - axis.position(v)) * plotH;

  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" font-family="system-ui, sans-serif" font-size="11">`,
  );
  parts.push(`<title>${escapeXml(options.title)}</title>`);
  parts.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="#fff"/>`);
  parts.push(`<text x="${margin.left}" y="20" font-size="14" font-weight="600">${escapeXml(options.title)}</text>`);

  for (const tick of axis.ticks) {
    const yy = fmt(y(tick.value));
    parts.push(
      `<line x1="${margin.left}" x2="${margin.left + plotW}" y1="${yy}" y2="${yy}" stroke="${tick.major ? '#ddd' : '#f0f0f0'}"/>`,
    );
    parts.push(
      `<text x="${margin.left - 6}" y="${yy}" text-anchor="end" dominant-baseline="middle" fill="#555">${tick.label}</text>`,
    );
  }
  // X ticks: integers, at most about 10 labels.
  const step = Math.max(1, Math.ceil(xMax / 10));
  for (let i = 0; i <= xMax; i += step) {
    const xx = fmt(x(i));
    parts.push(`<line x1="${xx}" x2="${xx}" y1="${margin.top + plotH}" y2="${margin.top + plotH + 4}" stroke="#888"/>`);
    parts.push(
      `<text x="${xx}" y="${margin.top + plotH + 16}" text-anchor="middle" fill="#555">${Number((i * xStep).toPrecision(6))}</text>`,
    );
  }
  parts.push(
    `<rect x="${margin.left}" y="${margin.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#888"/>`,
  );
  parts.push(
    `<text x="${margin.left + plotW / 2}" y="${height - 10}" text-anchor="middle" fill="#333">${escapeXml(options.xLabel)}</text>`,
  );
  parts.push(
    `<text transform="translate(16 ${margin.top + plotH / 2}) rotate(-90)" text-anchor="middle" fill="#333">${escapeXml(options.yLabel)}</text>`,
  );

  if (options.reference) {
    const yy = fmt(y(options.reference.y));
    parts.push(
      `<line x1="${margin.left}" x2="${margin.left + plotW}" y1="${yy}" y2="${yy}" stroke="#999" stroke-dasharray="2 3"/>`,
    );
    parts.push(
      `<text x="${margin.left + plotW - 4}" y="${fmt(y(options.reference.y) + 12)}" text-anchor="end" fill="#777">${escapeXml(options.reference.label)}</text>`,
    );
  }

  for (const s of options.series) {
    const points = s.values
      .map((v, i) => (axis.drawable(v) ? `${fmt(x(i))},${fmt(y(v))}` : null))
      .filter((p): p is string => p !== null);
    if (points.length === 0) continue;
    const dash = s.dash ? ` stroke-dasharray="${escapeXml(s.dash)}"` : '';
    parts.push(
      `<polyline fill="none" stroke="${escapeXml(s.color)}" stroke-width="2"${dash} points="${points.join(' ')}"><title>${escapeXml(s.label)}</title></polyline>`,
    );
  }

  // Legend.
  const lx = width - legendWidth;
  options.series.forEach((s, k) => {
    const ly = margin.top + 8 + k * 18;
    const dash = s.dash ? ` stroke-dasharray="${escapeXml(s.dash)}"` : '';
    parts.push(
      `<line x1="${lx}" x2="${lx + 26}" y1="${ly}" y2="${ly}" stroke="${escapeXml(s.color)}" stroke-width="2"${dash}/>`,
    );
    parts.push(`<text x="${lx + 32}" y="${ly}" dominant-baseline="middle" fill="#333">${escapeXml(s.label)}</text>`);
  });

  parts.push('</svg>');
  return parts.join('\n');
}

interface Axis {
  /** 0 at the bottom of the plot, 1 at the top (clamped). */
  position: (v: number) => number;
  ticks: Array<{ value: number; label: string; major: boolean }>;
  drawable: (v: number) => boolean;
}

/** Log10 axis with bounds on the 1-2-5 grid, at least one decade apart, at most eight. */
function logAxis(options: LineChartOptions): Axis {
  const positives = options.series.flatMap((s) => s.values.filter((v) => Number.isFinite(v) && v > 0));
  if (options.reference) positives.push(options.reference.y);
  const lo = positives.length > 0 ? Math.min(...positives) : 0.1;
  const hi = positives.length > 0 ? Math.max(...positives) : 1;
  const yMax = niceBound(hi, 'up');
  const yMin = Math.max(niceBound(Math.min(lo, yMax / 10), 'down'), yMax / 1e8);
  const logMin = Math.log10(yMin);
  const logMax = Math.log10(yMax);
  const ticks: Axis['ticks'] = [];
  // Only powers of ten over more than three decades.
  const multipliers = logMax - logMin <= 3 ? [1, 2, 5] : [1];
  for (let d = Math.floor(logMin); d <= Math.ceil(logMax); d++) {
    for (const m of multipliers) {
      const v = m * 10 ** d;
      if (v < yMin * 0.9999 || v > yMax * 1.0001) continue;
      ticks.push({ value: v, label: tickLabel(v), major: m === 1 });
    }
  }
  return {
    position: (v) => (Math.log10(Math.min(Math.max(v, yMin), yMax)) - logMin) / (logMax - logMin),
    ticks,
    drawable: (v) => Number.isFinite(v) && v > 0,
  };
}

/** Linear axis from min(0, data) to the data's maximum rounded up on the 1-2-5 grid, 5–10 ticks. */
function linearAxis(options: LineChartOptions): Axis {
  const values = options.series.flatMap((s) => s.values.filter((v) => Number.isFinite(v)));
  if (options.reference) values.push(options.reference.y);
  const lo = Math.min(0, ...values);
  const hi = Math.max(lo + 1e-12, ...values);
  const tickStep = niceBound((hi - lo) / 8, 'up');
  const yMin = Math.floor(lo / tickStep) * tickStep;
  const yMax = Math.ceil(hi / tickStep - 1e-9) * tickStep;
  const ticks: Axis['ticks'] = [];
  for (let v = yMin; v <= yMax + tickStep * 1e-6; v += tickStep) {
    const value = Number(v.toPrecision(12));
    ticks.push({ value, label: String(Number(value.toPrecision(3))), major: true });
  }
  return {
    position: (v) => (Math.min(Math.max(v, yMin), yMax) - yMin) / (yMax - yMin),
    ticks,
    drawable: (v) => Number.isFinite(v),
  };
}
