/**
 * Float64 reference implementations of the cells, written straight from SPEC §5, for tests.
 * Weights use the Keras layout: kernel [inputDim, G·units] row-major, etc.
 */
export interface ReferenceWeights {
  kernel: Float64Array; // [inputDim, G·units]
  recurrentKernel: Float64Array; // BRC: [2·units]; nBRC: [units, 2·units]; GRU: [units, 3·units]
  bias: Float64Array; // BRC/nBRC: [3·units]; GRU reset-after: [2, 3·units]
}

export type ReferenceCell = 'brc' | 'nbrc' | 'gru';

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** x·M for a row vector x [n] and M [n, m] row-major, taking columns [from, from + count). */
function rowTimes(x: ArrayLike<number>, m: ArrayLike<number>, cols: number, from: number, count: number): number[] {
  const out = new Array<number>(count).fill(0);
  for (let i = 0; i < x.length; i++) {
    for (let j = 0; j < count; j++) out[j] += x[i] * m[i * cols + from + j];
  }
  return out;
}

/**
 * Runs one sample's sequence `x[t][f]` from h = 0; returns h after every step.
 */
export function referenceRun(cell: ReferenceCell, w: ReferenceWeights, x: number[][], units: number): number[][] {
  const u = units;
  let h = new Array<number>(u).fill(0);
  const out: number[][] = [];
  for (const xt of x) {
    const next = new Array<number>(u);
    if (cell === 'gru') {
      // Reset-after GRU, gates z, r, h; bias row 0 input, row 1 recurrent.
      const xp = rowTimes(xt, w.kernel, 3 * u, 0, 3 * u).map((v, j) => v + w.bias[j]);
      const rp = rowTimes(h, w.recurrentKernel, 3 * u, 0, 3 * u).map((v, j) => v + w.bias[3 * u + j]);
      for (let j = 0; j < u; j++) {
        const z = sigmoid(xp[j] + rp[j]);
        const r = sigmoid(xp[u + j] + rp[u + j]);
        const hh = Math.tanh(xp[2 * u + j] + r * rp[2 * u + j]);
        next[j] = z * h[j] + (1 - z) * hh;
      }
    } else {
      const xp = rowTimes(xt, w.kernel, 3 * u, 0, 3 * u).map((v, j) => v + w.bias[j]);
      const mem =
        cell === 'brc'
          ? [...h.map((hj, j) => w.recurrentKernel[j] * hj), ...h.map((hj, j) => w.recurrentKernel[u + j] * hj)]
          : rowTimes(h, w.recurrentKernel, 2 * u, 0, 2 * u);
      for (let j = 0; j < u; j++) {
        const c = sigmoid(xp[j] + mem[j]);
        const a = 1 + Math.tanh(xp[u + j] + mem[u + j]);
        next[j] = c * h[j] + (1 - c) * Math.tanh(xp[2 * u + j] + a * h[j]);
      }
    }
    h = next;
    out.push(h.slice());
  }
  return out;
}
