import { InvalidArgumentError } from '../errors';
import type { AttractorCount } from './count_attractors';
import type { FixedPointAnalysis, FixedPointKind } from './fixed_point_analysis';
import { principalPlane, project } from './principal_plane';

/** Options of {@link landscapeSvg}. */
export interface LandscapeSvgOptions {
  /** Width in pixels. Default 420. */
  width?: number;
  /** Height in pixels. Default 340. */
  height?: number;
  /** A title drawn above the plot. Default none. */
  title?: string;
  /**
   * Draw only this recurrent layer's part of the state (its blocks in
   * {@link FixedPointAnalysis.blocks}, by layer name): the whole system's trajectories and points
   * as that layer sees them. Default: the whole state.
   */
  layer?: string;
}

const COLORS: Record<FixedPointKind, string> = { stable: '#1f5fa8', unstable: '#c62828', slow: '#e08a00' };

/**
 * Draws an attractor landscape as a self-contained SVG string (no scripts, no external
 * resources): the states projected on their two leading principal components, trajectories from
 * the starting states (grey lines, when `source` is a {@link countAttractors} result recorded
 * with `recordPoints`), starting states (small grey dots), and the points found, by kind:
 * stable (filled blue discs), unstable (red rings) and slow (orange triangles). The axes say how
 * much of the variance each component holds. A pure function: same input, same string.
 *
 * @throws InvalidArgumentError when `layer` names no layer of the analysis.
 *
 * @example
 * ```ts
 * const count = await countAttractors(model, { inputs, horizon: 2000, recordPoints: 24, seed: 1 });
 * document.body.insertAdjacentHTML('beforeend', landscapeSvg(count, { title: 'after warmup' }));
 * ```
 */
export function landscapeSvg(source: AttractorCount | FixedPointAnalysis, options: LandscapeSvgOptions = {}): string {
  const width = options.width ?? 420;
  const height = options.height ?? 340;
  const analysis: FixedPointAnalysis = 'analysis' in source ? source.analysis : source;
  const recorded = 'analysis' in source ? source.trajectories : null;
  const full = analysis.dimension;
  const n = analysis.startingStates.length / full;
  const columns = selectedColumns(analysis, options.layer);
  const d = columns.length;
  const select = (values: Float32Array): Float32Array => {
    if (d === full) return values;
    const rows = values.length / full;
    const out = new Float32Array(rows * d);
    for (let r = 0; r < rows; r++) for (let c = 0; c < d; c++) out[r * d + c] = values[r * full + columns[c]];
    return out;
  };
  const startingStates = select(analysis.startingStates);
  const recordedStates = recorded == null ? null : select(recorded.states);
  const pointValues = new Float32Array(analysis.points.length * full);
  analysis.points.forEach((p, i) => pointValues.set(p.state, i * full));
  const selectedPoints = select(pointValues);
  // The plane of the states the network actually visits (trajectories when recorded).
  const basis = recordedStates ?? concat(startingStates, selectedPoints);
  const plane = principalPlane(basis, d);

  const lines: Array<Array<[number, number]>> = [];
  if (recorded != null) {
    const times = recorded.times.length;
    for (let t = 0; t < n; t++) {
      lines.push(
        Array.from({ length: times }, (_, k) => project(plane, recordedStates as Float32Array, (t * times + k) * d)),
      );
    }
  }
  const starts = Array.from({ length: n }, (_, t) => project(plane, startingStates, t * d));
  const points = analysis.points.map((p, i) => ({ kind: p.kind, at: project(plane, selectedPoints, i * d) }));
  const all = [...lines.flat(), ...starts, ...points.map((p) => p.at)];

  const top = options.title != null ? 30 : 12;
  const left = 46;
  const right = 12;
  const bottom = 62;
  const xs = all.map((p) => p[0]);
  const ys = all.map((p) => p[1]);
  const [x0, x1] = paddedRange(xs);
  const [y0, y1] = paddedRange(ys);
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const sx = (x: number) => left + ((x - x0) / (x1 - x0)) * plotW;
  const sy = (y: number) => top + plotH - ((y - y0) / (y1 - y0)) * plotH;
  const f = (v: number) => v.toFixed(1);

  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="11">`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    `<rect x="${left}" y="${top}" width="${plotW}" height="${plotH}" fill="#fbfbfd" stroke="#c8ccd2"/>`,
  );
  if (options.title != null)
    parts.push(
      `<text x="${width / 2}" y="19" text-anchor="middle" font-size="13" font-weight="600">${escapeXml(options.title)}</text>`,
    );
  parts.push(
    `<text x="${left + plotW / 2}" y="${top + plotH + 16}" text-anchor="middle" fill="#555">PC1 (${(100 * plane.explained[0]).toFixed(0)}% of variance)</text>`,
    `<text transform="translate(${left - 10} ${top + plotH / 2}) rotate(-90)" text-anchor="middle" fill="#555">PC2 (${(100 * plane.explained[1]).toFixed(0)}%)</text>`,
  );
  for (const line of lines) {
    parts.push(
      `<polyline fill="none" stroke="#8a94a0" stroke-opacity="0.45" stroke-width="1" points="${line.map(([x, y]) => `${f(sx(x))},${f(sy(y))}`).join(' ')}"/>`,
    );
  }
  for (const [x, y] of starts) parts.push(`<circle cx="${f(sx(x))}" cy="${f(sy(y))}" r="1.8" fill="#8a94a0"/>`);
  // Slow and unstable first, stable on top: the attractors are what a reader looks for.
  const drawOrder: FixedPointKind[] = ['slow', 'unstable', 'stable'];
  for (const kind of drawOrder) {
    for (const p of points.filter((q) => q.kind === kind)) parts.push(marker(kind, sx(p.at[0]), sy(p.at[1])));
  }
  // Legend under the plot.
  const counts = analysis.counts;
  const legend: Array<[FixedPointKind, string]> = [
    ['stable', `stable (${counts.stable})`],
    ['unstable', `unstable (${counts.unstable})`],
    ['slow', `slow (${counts.slow})`],
  ];
  const legendY = height - 24;
  let lx = left;
  for (const [kind, label] of legend) {
    parts.push(marker(kind, lx + 6, legendY - 4), `<text x="${lx + 16}" y="${legendY}">${label}</text>`);
    lx += 22 + label.length * 6.2;
  }
  const caption =
    recorded != null
      ? `${n} trajectories, steps 0 to ${recorded.times[recorded.times.length - 1]}`
      : `${n} starting states`;
  parts.push(`<text x="${left}" y="${height - 7}" fill="#666" font-size="10">${caption}</text>`);
  parts.push('</svg>');
  return parts.join('');
}

/** Indices of the state values to draw: all, or those of one layer's blocks. */
function selectedColumns(analysis: FixedPointAnalysis, layer: string | undefined): number[] {
  const blocks = layer == null ? analysis.blocks : analysis.blocks.filter((b) => b.layer === layer);
  if (blocks.length === 0) {
    const names = [...new Set(analysis.blocks.map((b) => `'${b.layer}'`))].join(', ');
    throw new InvalidArgumentError(
      `landscapeSvg: option 'layer' names '${layer}', which is not a recurrent layer of the analysis (${names}).`,
    );
  }
  return blocks.flatMap((b) => Array.from({ length: b.size }, (_, i) => b.offset + i));
}

function marker(kind: FixedPointKind, x: number, y: number): string {
  const cx = x.toFixed(1);
  const cy = y.toFixed(1);
  if (kind === 'stable')
    return `<circle cx="${cx}" cy="${cy}" r="5.5" fill="${COLORS.stable}" stroke="#ffffff" stroke-width="1.5"><title>stable</title></circle>`;
  if (kind === 'unstable')
    return `<circle cx="${cx}" cy="${cy}" r="5" fill="#ffffff" stroke="${COLORS.unstable}" stroke-width="2"><title>unstable</title></circle>`;
  const s = 6;
  return `<polygon points="${x.toFixed(1)},${(y - s).toFixed(1)} ${(x - s * 0.87).toFixed(1)},${(y + s * 0.5).toFixed(1)} ${(x + s * 0.87).toFixed(1)},${(y + s * 0.5).toFixed(1)}" fill="${COLORS.slow}" stroke="#ffffff" stroke-width="1"><title>slow</title></polygon>`;
}

function paddedRange(values: number[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [-1, 1];
  if (hi - lo < 1e-9) {
    lo -= 1;
    hi += 1;
  }
  const pad = 0.06 * (hi - lo);
  return [lo - pad, hi + pad];
}

function concat(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function escapeXml(text: string): string {
  return text.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}
