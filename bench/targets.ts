/**
 * The performance targets of issue 2, as predicates on the ratio baseline/ours:
 *  - GRU, LSTM vs the tfjs built-ins: ≥ 3× for forward+backward at 256 units on wasm;
 *    never slower (≥ 1×) anywhere else.
 *  - BRC, nBRC vs our GRU: within 1.2× of our GRU's time, i.e. ratio ≥ 1/1.2.
 */
import type { BenchBackend } from './backend';
import type { CaseSpec, Mode } from './cases';

export interface Target {
  /** Smallest acceptable baseline/ours ratio. */
  minRatio: number;
  /** How the target reads in the table. */
  text: string;
}

export function targetFor(spec: CaseSpec, mode: Mode, backend: BenchBackend): Target {
  if (spec.family === 'BRC' || spec.family === 'nBRC') {
    return { minRatio: 1 / 1.2, text: '≥ 0.83× (≤ 1.2× GRU time)' };
  }
  if (backend === 'wasm' && mode === 'forward+backward' && spec.units === 256) {
    return { minRatio: 3, text: '≥ 3×' };
  }
  return { minRatio: 1, text: '≥ 1× (never slower)' };
}

export function meets(ratio: number, target: Target): boolean {
  return Number.isFinite(ratio) && ratio >= target.minRatio;
}
