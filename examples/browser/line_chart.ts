/**
 * A small live line chart: an HTML caption and legend above an inline SVG plot (axes, grid,
 * one polyline per series, optional dashed reference lines), linear or log10 y axis. Points
 * are appended while a run goes on; redraws are coalesced to one per animation frame.
 *
 * For tests, every rendered series carries `data-series`, `data-points` and `data-last`
 * attributes, and the SVG carries `data-points` (the total).
 */

export interface SeriesStyle {
  label: string;
  color: string;
  /** SVG `stroke-dasharray`, e.g. `'6 4'`; solid when absent. */
  dash?: string;
  /** Stroke width (default 2). */
  width?: number;
  /** Stroke opacity (default 1). */
  opacity?: number;
  /** Draw a dot at each point (default: when the series has at most 60 points). */
  markers?: boolean;
  /** Leave the series out of the legend. */
  hideInLegend?: boolean;
}

export interface ChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  yScale: 'linear' | 'log';
  /** Fixed y range; otherwise fitted to the data (and references). */
  yDomain?: [number, number];
  /** The x range shown at least (grows with the data). */
  xDomain?: [number, number];
  /** Dashed horizontal lines, e.g. the warmup target. */
  references?: { y: number; label: string }[];
  /** Text shown in the plot while it has no points. */
  placeholder?: string;
}

interface Series {
  style: SeriesStyle;
  xs: number[];
  ys: number[];
}

const W = 560;
const H = 260;
const M = { top: 12, right: 16, bottom: 40, left: 58 };
const PW = W - M.left - M.right;
const PH = H - M.top - M.bottom;

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const round1 = (v: number): string => (Math.round(v * 10) / 10).toString();

/** "Nice" linear ticks (1, 2, 5 × 10^k steps) covering [lo, hi], about `count` of them. */
export function linearTicks(lo: number, hi: number, count = 5): number[] {
  const span = hi - lo;
  if (!(span > 0)) return [lo];
  const raw = span / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) {
    ticks.push(Number(v.toPrecision(12)));
  }
  return ticks;
}

/** Ticks of a log axis on [lo, hi]: 1, 2, 5 × 10^k, or every integer mantissa on short ranges. */
export function logTicks(lo: number, hi: number): number[] {
  const pick = (mantissas: number[]): number[] => {
    const out: number[] = [];
    for (let k = Math.floor(Math.log10(lo)); k <= Math.ceil(Math.log10(hi)); k++) {
      for (const m of mantissas) {
        const v = Number((m * 10 ** k).toPrecision(6));
        if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) out.push(v);
      }
    }
    return out;
  };
  const decades = Math.log10(hi / lo);
  if (decades > 4) return pick([1]);
  const ticks = pick([1, 2, 5]);
  return ticks.length >= 3 ? ticks : pick([1, 2, 3, 4, 5, 6, 7, 8, 9]);
}

/**
 * The ticks that get a label: at least `minGap` pixels apart, 1, 2 and 5 × 10^k first (so a
 * dense log axis labels 0.5 and 1 rather than 0.6 and 0.9).
 */
function labelledTicks(ticks: number[], position: (v: number) => number, minGap = 15): number[] {
  const mantissa = (v: number): number => Math.round(Math.abs(v) / 10 ** Math.floor(Math.log10(Math.abs(v))));
  const preferred = (v: number): boolean => v === 0 || [1, 2, 5, 10].includes(mantissa(v));
  const kept: number[] = [];
  for (const t of [...ticks.filter(preferred), ...ticks.filter((v) => !preferred(v))]) {
    if (kept.every((k) => Math.abs(position(k) - position(t)) >= minGap)) kept.push(t);
  }
  return kept;
}

function tickLabel(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a < 1e-3 || a >= 1e5 ? v.toExponential(0).replace('e+', 'e') : String(Number(v.toPrecision(3)));
}

export class LineChart {
  private readonly series = new Map<string, Series>();
  private readonly svgHost: HTMLElement;
  private readonly legend: HTMLElement;
  private options: ChartOptions;
  private yOverride: [number, number] | null = null;
  private pending = 0;
  private readonly clipId = `chart-clip-${++LineChart.count}`;
  private static count = 0;

  constructor(
    readonly container: HTMLElement,
    options: ChartOptions,
  ) {
    this.options = options;
    container.classList.add('chart');
    container.innerHTML =
      `<div class="chart-head"><span class="chart-title">${escapeHtml(options.title)}</span>` +
      `<span class="chart-legend"></span></div><div class="chart-plot"></div>`;
    this.legend = container.querySelector('.chart-legend') as HTMLElement;
    this.svgHost = container.querySelector('.chart-plot') as HTMLElement;
    this.flush();
  }

  /** Declares (or restyles) a series; its points are kept. */
  addSeries(id: string, style: SeriesStyle): void {
    const existing = this.series.get(id);
    if (existing) existing.style = style;
    else this.series.set(id, { style, xs: [], ys: [] });
    this.schedule();
  }

  push(id: string, x: number, y: number): void {
    const s = this.series.get(id);
    if (!s) throw new Error(`LineChart: unknown series '${id}'`);
    s.xs.push(x);
    s.ys.push(y);
    this.schedule();
  }

  /** Removes every series. */
  clear(): void {
    this.series.clear();
    this.yOverride = null;
    this.schedule();
  }

  setOptions(patch: Partial<ChartOptions>): void {
    this.options = { ...this.options, ...patch };
    this.schedule();
  }

  /** Forces a y range (for charts that share a scale), `null` to fit the data again. */
  setYDomain(domain: [number, number] | null): void {
    this.yOverride = domain;
    this.schedule();
  }

  /** Finite y values (positive ones on a log axis) of every series. */
  yValues(): number[] {
    const log = this.options.yScale === 'log';
    return [...this.series.values()].flatMap((s) => s.ys.filter((v) => Number.isFinite(v) && (!log || v > 0)));
  }

  pointCount(id?: string): number {
    if (id !== undefined) return this.series.get(id)?.xs.length ?? 0;
    let n = 0;
    for (const s of this.series.values()) n += s.xs.length;
    return n;
  }

  /** Points of each series, by series id. */
  counts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [id, s] of this.series) out[id] = s.xs.length;
    return out;
  }

  private schedule(): void {
    if (this.pending) return;
    this.pending = requestAnimationFrame(() => {
      this.pending = 0;
      this.render();
    });
  }

  /** Renders now (and cancels a scheduled render). */
  flush(): void {
    if (this.pending) cancelAnimationFrame(this.pending);
    this.pending = 0;
    this.render();
  }

  private yDomain(): [number, number] {
    if (this.yOverride) return this.yOverride;
    if (this.options.yDomain) return this.options.yDomain;
    const log = this.options.yScale === 'log';
    const values = this.yValues();
    for (const r of this.options.references ?? []) values.push(r.y);
    if (values.length === 0) return log ? [0.1, 10] : [0, 1];
    let lo = Math.min(...values);
    const hi = Math.max(...values);
    if (log) {
      lo = Math.max(lo, 1e-12);
      const pad = Math.max(Math.log10(hi / lo) * 0.08, 0.05);
      return [lo / 10 ** pad, hi * 10 ** pad];
    }
    const pad = hi > lo ? (hi - lo) * 0.08 : Math.abs(hi) * 0.1 || 1;
    return [lo - pad, hi + pad];
  }

  private render(): void {
    const o = this.options;
    const log = o.yScale === 'log';
    const [ylo, yhi] = this.yDomain();
    const all = [...this.series.values()];
    let xlo = o.xDomain ? o.xDomain[0] : Infinity;
    let xhi = o.xDomain ? o.xDomain[1] : -Infinity;
    for (const s of all)
      for (const x of s.xs) {
        xlo = Math.min(xlo, x);
        xhi = Math.max(xhi, x);
      }
    if (!Number.isFinite(xlo)) {
      xlo = 0;
      xhi = 1;
    }
    if (xhi <= xlo) xhi = xlo + 1;

    const tY = (v: number): number =>
      log ? (Math.log10(v) - Math.log10(ylo)) / (Math.log10(yhi) - Math.log10(ylo)) : (v - ylo) / (yhi - ylo);
    const px = (x: number): number => M.left + ((x - xlo) / (xhi - xlo)) * PW;
    const py = (v: number): number => M.top + (1 - Math.min(1.02, Math.max(-0.02, tY(v)))) * PH;

    const parts: string[] = [];
    // Grid and axes.
    const yTicks = log ? logTicks(ylo, yhi) : linearTicks(ylo, yhi, 5);
    for (const t of yTicks) {
      const y = round1(py(t));
      parts.push(`<line class="grid" x1="${M.left}" x2="${M.left + PW}" y1="${y}" y2="${y}"/>`);
    }
    for (const t of labelledTicks(yTicks, py)) {
      parts.push(
        `<text class="tick" x="${M.left - 6}" y="${round1(py(t))}" dy="0.32em" text-anchor="end">${tickLabel(t)}</text>`,
      );
    }
    const xTicks = linearTicks(xlo, xhi, 6).filter((t) => Number.isInteger(t) || xhi - xlo < 6);
    for (const t of xTicks) {
      const x = round1(px(t));
      parts.push(`<line class="grid" x1="${x}" x2="${x}" y1="${M.top}" y2="${M.top + PH}"/>`);
      parts.push(`<text class="tick" x="${x}" y="${M.top + PH + 15}" text-anchor="middle">${tickLabel(t)}</text>`);
    }
    parts.push(`<rect class="frame" x="${M.left}" y="${M.top}" width="${PW}" height="${PH}"/>`);
    parts.push(
      `<text class="axis-label" x="${M.left + PW / 2}" y="${H - 6}" text-anchor="middle">${escapeHtml(o.xLabel)}</text>`,
    );
    parts.push(
      `<text class="axis-label" transform="translate(14 ${M.top + PH / 2}) rotate(-90)" text-anchor="middle">${escapeHtml(o.yLabel)}${log ? ' (log)' : ''}</text>`,
    );
    for (const r of o.references ?? []) {
      if (log && r.y <= 0) continue;
      const y = round1(py(r.y));
      parts.push(`<line class="reference" x1="${M.left}" x2="${M.left + PW}" y1="${y}" y2="${y}"/>`);
      parts.push(
        `<text class="reference-label" x="${M.left + PW - 4}" y="${y}" dy="-0.35em" text-anchor="end">${escapeHtml(r.label)}</text>`,
      );
    }
    // Series.
    parts.push(`<g clip-path="url(#${this.clipId})">`);
    let total = 0;
    for (const [id, s] of this.series) {
      const pts: string[] = [];
      for (let i = 0; i < s.xs.length; i++) {
        const v = s.ys[i];
        if (!Number.isFinite(v) || (log && v <= 0)) continue;
        pts.push(`${round1(px(s.xs[i]))},${round1(py(v))}`);
      }
      total += s.xs.length;
      const st = s.style;
      const last = s.ys.length > 0 ? String(s.ys[s.ys.length - 1]) : '';
      parts.push(
        `<g class="series" data-series="${escapeHtml(id)}" data-points="${s.xs.length}" data-last="${last}">` +
          `<polyline fill="none" stroke="${st.color}" stroke-width="${st.width ?? 2}" stroke-opacity="${st.opacity ?? 1}"` +
          `${st.dash ? ` stroke-dasharray="${st.dash}"` : ''} stroke-linejoin="round" points="${pts.join(' ')}"/>`,
      );
      if (st.markers ?? pts.length <= 60) {
        for (const p of pts) {
          const [cx, cy] = p.split(',');
          parts.push(`<circle cx="${cx}" cy="${cy}" r="2.6" fill="${st.color}" fill-opacity="${st.opacity ?? 1}"/>`);
        }
      }
      parts.push('</g>');
    }
    parts.push('</g>');
    if (total === 0 && o.placeholder) {
      parts.push(
        `<text class="placeholder" x="${M.left + PW / 2}" y="${M.top + PH / 2}" text-anchor="middle">${escapeHtml(o.placeholder)}</text>`,
      );
    }
    this.svgHost.innerHTML =
      `<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${escapeHtml(o.title)}" data-points="${total}">` +
      `<defs><clipPath id="${this.clipId}"><rect x="${M.left - 4}" y="${M.top - 4}" width="${PW + 8}" height="${PH + 8}"/></clipPath></defs>` +
      parts.join('') +
      '</svg>';
    this.legend.innerHTML = all
      .filter((s) => !s.style.hideInLegend)
      .map(
        (s) =>
          `<span class="legend-item"><svg width="22" height="10" aria-hidden="true"><line x1="1" x2="21" y1="5" y2="5" stroke="${s.style.color}" ` +
          `stroke-width="${Math.max(2, s.style.width ?? 2)}" stroke-opacity="${s.style.opacity ?? 1}"${s.style.dash ? ` stroke-dasharray="${s.style.dash}"` : ''}/></svg>${escapeHtml(s.style.label)}</span>`,
      )
      .join('');
  }
}
