/**
 * Markdown writer of docs/benchmarks.md: machine, date, command, per backend a table of the
 * engine rows (engine, tfjs ops, tf.layers) and one of BRC/nBRC vs GRU, whole jobs, where the
 * time goes (engine time splits and per-op profiles) and the warmup section.
 */
import type { BenchBackend } from './backend';
import { caseLabel, CHECK_STEPS, isEngineRow, type Agreement, type CaseSpec, type Column, type Mode } from './cases';
import type { MachineInfo } from './machine';
import type { MatMulPeak } from './matmul_peak';
import type { EngineSplit, OpProfile } from './profile';
import type { TargetCheck } from './targets';
import type { TimingPlan } from './timing';

export interface ModeResult {
  mode: Mode;
  /** Every timed repetition per column, in run order (ms). */
  times: Partial<Record<Column, number[]>>;
  medians: Partial<Record<Column, number>>;
  /** The engine's effective GFLOP/s (GRU/LSTM rows). */
  engineGflops: number | null;
  checks: TargetCheck[];
}

export interface CaseResult {
  spec: CaseSpec;
  columns: { column: Column; label: string }[];
  agreement: { ops: Agreement | null; builtin: Agreement | null };
  plan: TimingPlan;
  modes: ModeResult[];
}

export interface BackendResult {
  backend: BenchBackend;
  details: string;
  /** The large tf.matMul measured at the start and end of this backend's rows. */
  matMul: MatMulPeak;
  cases: CaseResult[];
  /** The engine's memory after this backend's rows. */
  engineMemoryMiB: number;
}

export interface BenchReport {
  date: string;
  command: string;
  /** Git revision of the code measured. */
  revision: string;
  quick: boolean;
  machine: MachineInfo;
  /** The engine's state at start. */
  engine: string;
  loadAverageEnd: number[];
  totalSeconds: number;
  batch: number;
  backends: BackendResult[];
  /** Per-op profiles and engine time splits, with the time steps of the profiled runs. */
  profiles: { backend: BenchBackend; time: number; items: OpProfile[]; splits: EngineSplit[] } | null;
  /** The "Whole jobs" section and its target checks, when measured. */
  wholeJobs?: { body: string; checks: TargetCheck[] };
  /** Body of the "Warmup" section; a placeholder when absent. */
  warmup?: string;
}

const ms = (v: number | undefined): string =>
  v == null ? '—' : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
const ratio = (v: number): string => `${v.toFixed(2)}×`;
const sci = (v: number): string => (v === 0 ? '0' : v.toExponential(1));
const agreementText = (a: Agreement | null): string => (a == null ? '—' : `${sci(a.output)} / ${sci(a.gradients)}`);
const checksText = (checks: TargetCheck[]): string =>
  checks.length === 0 ? '—' : checks.map((c) => `${c.text}: ${c.met ? 'met' : '**missed**'}`).join('; ');
const repsText = (p: TimingPlan): string =>
  `${p.warmup}${p.warmupSteps == null ? '' : ` (${p.warmupSteps} steps)`}+${p.reps}`;

function engineTable(result: BackendResult): string[] {
  const lines = [
    '| case | L | mode | engine ms | tfjs ops ms | tf.layers ms | ops / engine | tf.layers / engine | engine GFLOP/s (% of matMul) | targets | reps | max \\|Δ\\| engine–ops (out / grads) | max \\|Δ\\| engine–tf.layers |',
    '|---|---:|---|---:|---:|---:|---:|---:|---:|---|---|---|---|',
  ];
  for (const c of result.cases.filter((c) => isEngineRow(c.spec))) {
    for (const m of c.modes) {
      const md = m.medians;
      const over = (v: number | undefined) => (v == null || md.engine == null ? '—' : ratio(v / md.engine));
      const gf =
        m.engineGflops == null
          ? '—'
          : `${m.engineGflops.toFixed(1)} (${((100 * m.engineGflops) / result.matMul.gflops).toFixed(0)} %)`;
      lines.push(
        `| ${caseLabel(c.spec)} | ${c.spec.time} | ${m.mode} | ${ms(md.engine)} | ${ms(md.ops)} | ${ms(md.builtin)} | ${over(md.ops)} | ` +
          `${over(md.builtin)} | ${gf} | ${checksText(m.checks)} | ${repsText(c.plan)} | ${agreementText(c.agreement.ops)} | ${agreementText(c.agreement.builtin)} |`,
      );
    }
  }
  return lines;
}

function cellTable(result: BackendResult): string[] {
  const rows = result.cases.filter((c) => !isEngineRow(c.spec));
  if (rows.length === 0) return [];
  const lines = [
    'BRC and nBRC against our GRU (reset-after, sigmoid), both on the default path (the engine):',
    '',
    '| case | mode | ours ms | our gru ms | gru / ours | target | reps |',
    '|---|---|---:|---:|---:|---|---|',
  ];
  for (const c of rows) {
    for (const m of c.modes) {
      const r = m.medians.gru != null && m.medians.ours != null ? ratio(m.medians.gru / m.medians.ours) : '—';
      lines.push(
        `| ${caseLabel(c.spec)} | ${m.mode} | ${ms(m.medians.ours)} | ${ms(m.medians.gru)} | ${r} | ${checksText(m.checks)} | ${repsText(c.plan)} |`,
      );
    }
  }
  return lines;
}

function rawTimes(result: BackendResult): string[] {
  const lines = [
    '<details><summary>Every timed repetition (ms), in run order</summary>',
    '',
    '| case | L | mode | column | times |',
    '|---|---:|---|---|---|',
  ];
  for (const c of result.cases) {
    for (const m of c.modes) {
      for (const col of c.columns) {
        lines.push(
          `| ${caseLabel(c.spec)} | ${c.spec.time} | ${m.mode} | ${col.label} | ${(m.times[col.column] ?? []).map((v) => ms(v)).join(', ')} |`,
        );
      }
    }
  }
  lines.push('', '</details>');
  return lines;
}

function splitSection(s: EngineSplit): string[] {
  return [
    `- **${s.label}**, ${s.runs} runs: ${ms(s.wallMs)} ms per run — ` +
      s.parts.map((p) => `${p.name}: ${ms(p.ms)} ms (${((100 * p.ms) / s.wallMs).toFixed(0)} %)`).join('; ') +
      '.',
  ];
}

function profileSection(p: OpProfile, time: number, top: number): string[] {
  const pct = (v: number): string => `${((100 * v) / (p.kernelMs || 1)).toFixed(1)}%`;
  const perStep = (calls: number): string => (calls / time).toFixed(2);
  const outside = Math.max(0, p.wallMs - p.kernelMs);
  const lines = [
    `#### ${p.label}`,
    '',
    `Profiled run: ${ms(p.wallMs)} ms wall, of which ${ms(p.kernelMs)} ms inside ${p.kernelCalls} kernel calls ` +
      `(${(p.kernelCalls / time).toFixed(1)} per time step) and ${ms(outside)} ms outside kernels ` +
      `(JavaScript: op dispatch, tape, tidy, and the profiler itself). Peak memory ${(p.peakBytes / 2 ** 20).toFixed(1)} MiB.`,
    '',
    '| kernel | calls | calls / step | ms | share of kernel time |',
    '|---|---:|---:|---:|---:|',
  ];
  for (const r of p.byName.slice(0, top)) {
    lines.push(`| ${r.name} | ${r.calls} | ${perStep(r.calls)} | ${ms(r.ms)} | ${pct(r.ms)} |`);
  }
  const rest = p.byName.slice(top);
  if (rest.length > 0) {
    const restCalls = rest.reduce((s, r) => s + r.calls, 0);
    const restMs = rest.reduce((s, r) => s + r.ms, 0);
    lines.push(
      `| (${rest.length} other kernels) | ${restCalls} | ${perStep(restCalls)} | ${ms(restMs)} | ${pct(restMs)} |`,
    );
  }
  lines.push(
    '',
    'Heaviest kernel × input-shape groups:',
    '',
    '| kernel | input shapes | calls | ms | share |',
    '|---|---|---:|---:|---:|',
  );
  for (const r of p.byShape.slice(0, 6)) {
    lines.push(`| ${r.name} | \`${r.shapes}\` | ${r.calls} | ${ms(r.ms)} | ${pct(r.ms)} |`);
  }
  if (p.wrappers.length > 0) {
    lines.push(
      '',
      'Custom-gradient wrappers (their time includes the kernels nested in them, so not counted above): ' +
        p.wrappers.map((w) => `\`${w.name}\` ×${w.calls} (${ms(w.ms)} ms)`).join(', ') +
        '.',
    );
  }
  lines.push('');
  return lines;
}

export function renderReport(r: BenchReport): string {
  const m = r.machine;
  const lines: string[] = [
    '# Benchmarks',
    '',
    '<!-- Generated by `npm run bench` (bench/run.ts). Do not edit by hand: rerun the command. -->',
    '',
    r.quick ? '> **Quick smoke run (`--quick`): tiny sizes, numbers mean nothing.**\n' : '',
    `- Date: ${r.date}`,
    `- Command: \`${r.command}\``,
    `- Code: ${r.revision}`,
    `- Machine: ${m.cpu}, ${m.cores} cores visible, ${m.memoryGiB} GiB; ${m.os}; load average at start ${m.loadAverage.join(' / ')}, at end ${r.loadAverageEnd.join(' / ')} (1/5/15 min; the machine is shared, so absolute times vary — read the ratios)`,
    `- Software: Node ${m.node}, @tensorflow/tfjs ${m.tfjs}, @tensorflow/tfjs-backend-wasm ${m.tfjsWasm}`,
    `- Engine: ${r.engine}`,
    ...r.backends.map(
      (b) =>
        `- Backend ${b.backend}: ${b.details}; large \`tf.matMul\` (${b.matMul.n}³, median of ${b.matMul.ms.length} runs at the start and end of its rows): ` +
        `${b.matMul.gflops.toFixed(1)} GFLOP/s; engine memory afterwards ${b.engineMemoryMiB.toFixed(1)} MiB`,
    ),
    `- Total runtime: ${r.totalSeconds.toFixed(0)} s`,
    '',
    ...(Math.min(m.loadAverage[0], r.loadAverageEnd[0]) > m.cores
      ? [
          `> **Measured under heavy load** (load average ${m.loadAverage[0]} at start, ${r.loadAverageEnd[0]} at end, on ${m.cores} cores): ` +
            'every column ran several times slower than on an idle machine and single ratios scatter by ±50 %; read the ratios of the table as a whole, and rerun `npm run bench` on an idle machine for a verdict on a target within that margin.',
          '',
        ]
      : []),
    '## Method',
    '',
    `- Input: batch ${r.batch}, length L (100 with 8 input features; the 784-step row has 1 feature, the shape of sequential MNIST), standard normal with a fixed seed; every layer returns only the last output (\`returnSequences: false\`).`,
    '- **forward**: `layer.apply(x)` inside `tf.tidy`, then `await y.data()` on the `[batch, units]` output.',
    '- **forward+backward**: `tf.variableGrads(() => tf.sum(layer.apply(x)), layer.trainableWeights)`, then `await g.data()` on every gradient (no optimizer update).',
    "- GRU / LSTM rows: one layer of ours timed on the whole-sequence WebAssembly engine (**engine**, `setEngineMode('auto')`) and on the tfjs-op path (**tfjs ops**, `setEngineMode('ops')`) — every run checks with `engineStatus()` that the intended path ran — and `tf.layers.gru` / `tf.layers.lstm` (**tf.layers**) with equal arguments (our GRU with `resetAfter: false`; both with `recurrentActivation: 'sigmoid'`) and identical weights. The last two columns are the largest absolute differences of outputs and weight gradients, measured before timing on the first " +
      `${CHECK_STEPS} steps of the input.`,
    '- On the cpu backend, tf.layers is timed only up to 32 units at length 100 (one pass at 256 units takes ~40 s there).',
    "- **engine GFLOP/s**: the layer's matrix arithmetic (per step 2·B·G·U·(F + U) for G gate blocks, ×3 for forward+backward; elementwise work not counted) divided by the engine's median time; in brackets, as a share of the large `tf.matMul`'s GFLOP/s on the same backend in the same run.",
    '- Timing: each row is warmed up (untimed runs of every column; at ≥ 128 units and in the 784-step row on the first 10 steps only), then timed repetitions rotate the order of the columns each repetition. `reps` = warm-up + timed repetitions per column. Reported: medians; ratios of medians (above 1: the engine is faster).',
    "- Targets (issue 8, engine vs tfjs ops, GRU and LSTM, L 100): wasm forward+backward ≥ 5× at 32 units, ≥ 3× at 64, ≥ 1.5× at 256; wasm forward ≥ 5× at 32; wasm forward+backward at ≥ 32 units: engine GFLOP/s ≥ 40 % of the large matMul's; cpu ≥ 20× at 256 units. Issue 2 (our layer, default path, vs tf.layers): ≥ 3× forward+backward at 256 units on wasm, ≥ 1× everywhere else; BRC and nBRC within 1.2× of our GRU's time. Medians of few repetitions on a shared machine: a ratio within a few percent of its target is a tie, not a verdict.",
    '',
  ];
  const missed: string[] = [];
  let checked = 0;
  for (const b of r.backends) {
    for (const c of b.cases) {
      for (const mr of c.modes) {
        for (const check of mr.checks) {
          checked++;
          if (!check.met) missed.push(`${b.backend} ${caseLabel(c.spec)} L${c.spec.time} ${mr.mode}: ${check.text}`);
        }
      }
    }
  }
  for (const check of r.wholeJobs?.checks ?? []) {
    checked++;
    if (!check.met) missed.push(`wasm whole job: ${check.text}`);
  }
  lines.push('## Summary', '');
  if (missed.length === 0) lines.push(`All ${checked} targets met.`, '');
  else
    lines.push(`${checked - missed.length} of ${checked} targets met; missed:`, '', ...missed.map((t) => `- ${t}`), '');
  for (const b of r.backends) {
    lines.push(`## ${b.backend}`, '', ...engineTable(b), '', ...cellTable(b), '', ...rawTimes(b), '');
  }
  if (r.wholeJobs != null) lines.push(r.wholeJobs.body);
  lines.push('## Where the time goes', '');
  if (r.profiles == null) {
    lines.push('_Not profiled in this run._', '');
  } else {
    const time = r.profiles.time;
    lines.push(
      `### The engine path (${r.profiles.backend}, forward+backward, batch ${r.batch}, length ${time})`,
      '',
      "Self time under V8's sampling profiler (100 µs), by where the code lives. WebAssembly reached through the tfjs backend's JavaScript counts as tfjs kernels; the rest is the engine's module.",
      '',
      ...r.profiles.splits.flatMap(splitSection),
      '',
      `### Per-op profiles (${r.profiles.backend})`,
      '',
      `One forward+backward pass under \`tf.profile\`, aggregated by kernel. Kernel time is the backend timer around each synchronous kernel call; "calls / step" divides by the sequence length (${time}).`,
      '',
    );
    for (const p of r.profiles.items) {
      const top = p.byName
        .slice(0, 3)
        .map((k) => `${k.name} ${((100 * k.ms) / (p.kernelMs || 1)).toFixed(0)}% (${(k.calls / time).toFixed(1)}/step)`)
        .join(', ');
      lines.push(
        `- **${p.label}**: ${(p.kernelCalls / time).toFixed(1)} kernel calls per step; ${ms(p.kernelMs)} of ${ms(p.wallMs)} ms ` +
          `in kernels; heaviest: ${top}.`,
      );
    }
    lines.push('');
    for (const p of r.profiles.items) lines.push(...profileSection(p, time, 8));
  }
  lines.push(r.warmup ?? '## Warmup\n\n_Not measured in this run (it runs on the wasm backend only)._\n');
  return lines.filter((l, i, all) => !(l === '' && all[i - 1] === '')).join('\n');
}
