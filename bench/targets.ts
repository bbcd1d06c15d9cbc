/**
 * The performance targets, as checks on one row's measured ratios.
 *
 * Issue 8 (the engine vs our tfjs-op path, same layer, same weights), GRU and LSTM alike, length 100:
 *  - wasm, forward+backward: ≥ 5× at 32 units, ≥ 3× at 64, ≥ 1.5× at 256; forward: ≥ 5× at 32;
 *  - wasm, forward+backward, every size ≥ 32 units: the engine's effective GFLOP/s ≥ 40 % of a
 *    large `tf.matMul`'s GFLOP/s in the same run;
 *  - cpu: ≥ 20× at 256 units (forward and forward+backward).
 * Issue 2 (our layer on its default path vs the tfjs built-ins): ≥ 3× for forward+backward at
 * 256 units on wasm, never slower (≥ 1×) anywhere else it is timed. BRC and nBRC within 1.2× of
 * our GRU's time (ratio ≥ 0.83).
 */
import type { BenchBackend } from './backend';
import type { CaseSpec, Mode } from './cases';

export interface TargetCheck {
  /** What is checked, e.g. "ops/engine ≥ 5×". */
  text: string;
  met: boolean;
}

export interface RowRatios {
  /** ops median / engine median. */
  opsOverEngine?: number;
  /** builtin median / engine median. */
  builtinOverEngine?: number;
  /** engine GFLOP/s / large matMul GFLOP/s. */
  fractionOfMatMul?: number;
  /** our GRU median / ours median (BRC, nBRC rows). */
  gruOverOurs?: number;
}

const atLeast = (value: number | undefined, min: number): boolean =>
  value != null && Number.isFinite(value) && value >= min;

export function checksFor(spec: CaseSpec, mode: Mode, backend: BenchBackend, r: RowRatios): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const fb = mode === 'forward+backward';
  if (spec.family === 'BRC' || spec.family === 'nBRC') {
    checks.push({ text: 'gru/ours ≥ 0.83× (≤ 1.2× GRU time)', met: atLeast(r.gruOverOurs, 1 / 1.2) });
    return checks;
  }
  if (spec.time === 100) {
    const opsTarget =
      backend === 'wasm'
        ? fb
          ? ({ 32: 5, 64: 3, 256: 1.5 } as Record<number, number>)[spec.units]
          : spec.units === 32
            ? 5
            : undefined
        : spec.units === 256
          ? 20
          : undefined;
    if (opsTarget != null)
      checks.push({ text: `ops/engine ≥ ${opsTarget}×`, met: atLeast(r.opsOverEngine, opsTarget) });
    if (backend === 'wasm' && fb && spec.units >= 32) {
      checks.push({ text: 'GFLOP/s ≥ 40 % of matMul', met: atLeast(r.fractionOfMatMul, 0.4) });
    }
  }
  if (r.builtinOverEngine != null) {
    const min = backend === 'wasm' && fb && spec.units === 256 && spec.time === 100 ? 3 : 1;
    checks.push({ text: `tf.layers/engine ≥ ${min}×`, met: atLeast(r.builtinOverEngine, min) });
  }
  return checks;
}
