/**
 * How far each shared backend case (test/shared/backend_cases.ts) may be from the cpu backend,
 * sized from measured differences (no test dependencies: the browser bundle imports it too).
 *
 * Error measure per case: max over elements of |x − x_cpu| / max(|x_cpu|, 1), absolute for
 * values of order 1 and relative for large ones (VAA*'s gradient reaches ~200). Allowed: the
 * measured value × {@link HEADROOM}, at least {@link FLOOR} for continuous values (a few float32
 * ulps at 1; several cases agree to the bit today, which a reordered sum may change). Discrete
 * results (VAA counts, which weights warmup changed) must agree exactly.
 *
 * To re-measure (after a change of numerics, e.g. a new engine): run the comparison tests with
 * MEASURE_BACKEND_DIFFS=1; they print the measured table instead of failing on it.
 */
export type ComparedBackend = 'wasm' | 'webgl' | 'webgpu';

export const HEADROOM = 10;
export const FLOOR = 1e-6;

/** Results that are counts or flags: equal on every backend, or the test fails. */
const EXACT = new Set(['vaa', 'vaaSync', 'measureVaa', 'warmupEffect', 'warmupVerdictRan']);

/** Measured max |x − x_cpu| / max(|x_cpu|, 1) per case (see the file comment for when and how). */
export const MEASURED: Record<ComparedBackend, Record<string, number>> = {
  // 2026-12-02, Node 20, tfjs 4.22 wasm backend (SIMD, 1 thread): the larger of two runs, before
  // and after the library's WebAssembly engine landed.
  wasm: {
    'brc.output0': 1.19e-7,
    'brc.output1': 5.96e-8,
    'brc.grad0': 4.84e-8,
    'brc.grad1': 2.38e-7,
    'brc.grad2': 8.94e-8,
    'brc.grad3': 1.33e-7,
    'brc.constantInput0': 5.96e-8,
    'nbrc.output0': 2.09e-7,
    'nbrc.output1': 2.09e-7,
    'nbrc.grad0': 4.17e-7,
    'nbrc.grad1': 1.79e-7,
    'nbrc.grad2': 3.67e-8,
    'nbrc.grad3': 2.12e-7,
    'nbrc.constantInput0': 5.96e-8,
    'gru.output0': 1.19e-7,
    'gru.output1': 5.96e-8,
    'gru.grad0': 1.19e-7,
    'gru.grad1': 8.4e-8,
    'gru.grad2': 3.35e-8,
    'gru.grad3': 7.18e-8,
    'gru.constantInput0': 3.73e-8,
    'gruResetBefore.output0': 5.96e-8,
    'gruResetBefore.output1': 2.98e-8,
    'gruResetBefore.grad0': 1.01e-7,
    'gruResetBefore.grad1': 1.19e-7,
    'gruResetBefore.grad2': 5.96e-8,
    'gruResetBefore.grad3': 1.18e-7,
    'gruResetBefore.constantInput0': 5.96e-8,
    'lstm.output0': 3.73e-8,
    'lstm.output1': 3.73e-8,
    'lstm.output2': 5.96e-8,
    'lstm.grad0': 0,
    'lstm.grad1': 2.98e-8,
    'lstm.grad2': 3.73e-9,
    'lstm.grad3': 5.96e-8,
    'lstm.constantInput0': 1.49e-8,
    'lstm.constantInput1': 7.45e-9,
    vaa: 0,
    vaaSync: 0,
    vaaStar: 8.82e-6,
    vaaStarGrad: 1.76e-4,
    measureVaa: 0,
    warmupBefore: 1.13e-6,
    warmupStep0: 0,
    warmupEffect: 0,
  },
  // 2026-12-02, headless Chromium, WebGL 2 on SwiftShader (float32 render targets): the larger of
  // two runs, before and after the engine landed (cpu then runs the engine, webgl the op path).
  webgl: {
    'brc.constantInput0': 5.96e-8,
    'brc.grad0': 2.2e-7,
    'brc.grad1': 4.17e-7,
    'brc.grad2': 1.19e-7,
    'brc.grad3': 1.49e-7,
    'brc.output0': 1.49e-7,
    'brc.output1': 1.19e-7,
    'gru.constantInput0': 5.96e-8,
    'gru.grad0': 1.49e-8,
    'gru.grad1': 8.4e-8,
    'gru.grad2': 5.96e-8,
    'gru.grad3': 5.96e-8,
    'gru.output0': 5.96e-8,
    'gru.output1': 5.96e-8,
    'gruResetBefore.constantInput0': 5.96e-8,
    'gruResetBefore.grad0': 1.12e-7,
    'gruResetBefore.grad1': 1.19e-7,
    'gruResetBefore.grad2': 4.47e-8,
    'gruResetBefore.grad3': 2.33e-7,
    'gruResetBefore.output0': 8.94e-8,
    'gruResetBefore.output1': 5.96e-8,
    'lstm.constantInput0': 2.98e-8,
    'lstm.constantInput1': 5.96e-8,
    'lstm.grad0': 8.94e-8,
    'lstm.grad1': 4.47e-8,
    'lstm.grad2': 1.68e-8,
    'lstm.grad3': 5.96e-8,
    'lstm.output0': 1.12e-7,
    'lstm.output1': 1.12e-7,
    'lstm.output2': 8.94e-8,
    measureVaa: 0,
    'nbrc.constantInput0': 5.96e-8,
    'nbrc.grad0': 5.96e-8,
    'nbrc.grad1': 1.19e-7,
    'nbrc.grad2': 8.94e-8,
    'nbrc.grad3': 1.43e-7,
    'nbrc.output0': 8.94e-8,
    'nbrc.output1': 5.96e-8,
    vaa: 0,
    vaaStar: 8.82e-6,
    vaaStarGrad: 1.76e-4,
    vaaSync: 0,
    warmupBefore: 3.16e-6,
    warmupEffect: 0,
    warmupStep0: 0,
  },
  // 2026-12-02, headless Chromium, WebGPU on SwiftShader (Vulkan): the larger of two runs, as webgl.
  webgpu: {
    'brc.constantInput0': 5.96e-8,
    'brc.grad0': 1.6e-7,
    'brc.grad1': 3.58e-7,
    'brc.grad2': 1.19e-7,
    'brc.grad3': 1.49e-7,
    'brc.output0': 1.49e-7,
    'brc.output1': 1.19e-7,
    'gru.constantInput0': 5.96e-8,
    'gru.grad0': 1.04e-7,
    'gru.grad1': 5.96e-8,
    'gru.grad2': 4.47e-8,
    'gru.grad3': 7.18e-8,
    'gru.output0': 5.96e-8,
    'gru.output1': 5.96e-8,
    'gruResetBefore.constantInput0': 5.96e-8,
    'gruResetBefore.grad0': 8.57e-8,
    'gruResetBefore.grad1': 1.19e-7,
    'gruResetBefore.grad2': 4.47e-8,
    'gruResetBefore.grad3': 1.16e-7,
    'gruResetBefore.output0': 8.94e-8,
    'gruResetBefore.output1': 5.96e-8,
    'lstm.constantInput0': 2.98e-8,
    'lstm.constantInput1': 5.96e-8,
    'lstm.grad0': 1.19e-7,
    'lstm.grad1': 5.96e-8,
    'lstm.grad2': 1.68e-8,
    'lstm.grad3': 8.94e-8,
    'lstm.output0': 1.12e-7,
    'lstm.output1': 1.12e-7,
    'lstm.output2': 8.94e-8,
    measureVaa: 0,
    'nbrc.constantInput0': 5.96e-8,
    'nbrc.grad0': 5.96e-8,
    'nbrc.grad1': 2.38e-7,
    'nbrc.grad2': 1.19e-7,
    'nbrc.grad3': 1.41e-7,
    'nbrc.output0': 8.94e-8,
    'nbrc.output1': 5.96e-8,
    vaa: 0,
    vaaStar: 8.82e-6,
    vaaStarGrad: 1.76e-4,
    warmupBefore: 3.16e-6,
    warmupEffect: 0,
    warmupStep0: 0,
  },
};

export function scaledError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i];
    const a = actual[i];
    if (Number.isNaN(a) || Number.isNaN(e)) {
      if (!(Number.isNaN(a) && Number.isNaN(e))) return Infinity;
      continue;
    }
    worst = Math.max(worst, Math.abs(a - e) / Math.max(Math.abs(e), 1));
  }
  return worst;
}

/** The allowed error of case `name` on `backend` (0: exact), or null when never measured. */
export function allowedError(backend: ComparedBackend, name: string): number | null {
  if (EXACT.has(name)) return 0;
  const measured = MEASURED[backend][name];
  return measured == null ? null : Math.max(measured * HEADROOM, FLOOR);
}

/**
 * Compares every case; returns one line per failure (empty: all within tolerance). With
 * `measure`, returns nothing and `report` receives the measured table as code to paste.
 */
export function compareBackendCases(
  backend: ComparedBackend,
  actual: Record<string, number[]>,
  expected: Record<string, number[]>,
  measure = false,
  report: (text: string) => void = () => undefined,
): string[] {
  const failures: string[] = [];
  const measured: Record<string, number> = {};
  for (const [name, values] of Object.entries(expected)) {
    const error = scaledError(actual[name] ?? [], values);
    measured[name] = error;
    const allowed = allowedError(backend, name);
    if (allowed == null)
      failures.push(`case '${name}': no measured tolerance for ${backend} (measure with MEASURE_BACKEND_DIFFS=1)`);
    else if (!(error <= allowed)) {
      failures.push(
        `case '${name}' (${backend} vs cpu): error ${error.toExponential(2)} > allowed ${allowed.toExponential(2)}; ${backend} ${JSON.stringify(actual[name])}, cpu ${JSON.stringify(values)}`,
      );
    }
  }
  if (measure) {
    const lines = Object.entries(measured).map(([n, v]) => `    '${n}': ${v === 0 ? '0' : v.toExponential(2)},`);
    report(`  ${backend}: {\n${lines.join('\n')}\n  },`);
    return [];
  }
  return failures;
}
