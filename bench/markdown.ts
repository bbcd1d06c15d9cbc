/**
 * Markdown writer of docs/benchmarks.md: machine, date, command, one table per backend, the
 * per-op profiles ("Where the time goes") and a placeholder section for warmup rows.
 */
import type { BenchBackend } from './backend';
import { caseLabel, CHECK_STEPS, type Agreement, type CaseSpec, type Mode, type Sizes } from './cases';
import type { MachineInfo } from './machine';
import type { OpProfile } from './profile';
import type { Target } from './targets';
import type { PairTiming, TimingPlan } from './timing';

export interface ModeResult {
  mode: Mode;
  timing: PairTiming;
  target: Target;
  met: boolean;
}

export interface CaseResult {
  spec: CaseSpec;
  oursName: string;
  baselineName: string;
  agreement: Agreement | null;
  plan: TimingPlan;
  modes: ModeResult[];
}

export interface BackendResult {
  backend: BenchBackend;
  details: string;
  cases: CaseResult[];
}

export interface BenchReport {
  date: string;
  command: string;
  /** Git revision of the code measured. */
  revision: string;
  quick: boolean;
  machine: MachineInfo;
  loadAverageEnd: number[];
  totalSeconds: number;
  sizes: Sizes;
  backends: BackendResult[];
  /** Per-op profiles, with the time steps of the profiled run (for calls per step). */
  profiles: { backend: BenchBackend; units: number; time: number; items: OpProfile[] } | null;
  /** Body of the "Warmup" section; a placeholder when absent. */
  warmup?: string;
}

const ms = (v: number): string => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const ratio = (v: number): string => `${v.toFixed(2)}×`;
const sci = (v: number): string => (v === 0 ? '0' : v.toExponential(1));

function resultTable(result: BackendResult): string[] {
  const lines = [
    '| case | mode | ours | baseline | ours ms | baseline ms | ratio (baseline/ours) | target | met? | reps | max \\|Δ\\| out / grads |',
    '|---|---|---|---|---:|---:|---:|---|:---:|---|---|',
  ];
  for (const c of result.cases) {
    for (const m of c.modes) {
      const agreement = c.agreement == null ? '— (different cells)' : `${sci(c.agreement.output)} / ${sci(c.agreement.gradients)}`;
      lines.push(
        `| ${caseLabel(c.spec)} | ${m.mode} | ${c.oursName} | ${c.baselineName} | ${ms(m.timing.oursMedian)} | ` +
          `${ms(m.timing.baselineMedian)} | ${ratio(m.timing.ratio)} | ${m.target.text} | ${m.met ? 'yes' : '**no**'} | ` +
          `${c.plan.warmup}${c.plan.warmupSteps == null ? '' : ` (${c.plan.warmupSteps} steps)`}+${c.plan.reps} | ${agreement} |`,
      );
    }
  }
  return lines;
}

function rawTimes(result: BackendResult): string[] {
  const lines = ['<details><summary>Every timed repetition (ms), in run order</summary>', '', '| case | mode | ours | baseline |', '|---|---|---|---|'];
  for (const c of result.cases) {
    for (const m of c.modes) {
      lines.push(`| ${caseLabel(c.spec)} | ${m.mode} | ${m.timing.ours.map(ms).join(', ')} | ${m.timing.baseline.map(ms).join(', ')} |`);
    }
  }
  lines.push('', '</details>');
  return lines;
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
    lines.push(`| (${rest.length} other kernels) | ${restCalls} | ${perStep(restCalls)} | ${ms(restMs)} | ${pct(restMs)} |`);
  }
  lines.push('', 'Heaviest kernel × input-shape groups:', '', '| kernel | input shapes | calls | ms | share |', '|---|---|---:|---:|---:|');
  for (const r of p.byShape.slice(0, 6)) {
    lines.push(`| ${r.name} | \`${r.shapes}\` | ${r.calls} | ${ms(r.ms)} | ${pct(r.ms)} |`);
  }
  if (p.wrappers.length > 0) {
    lines.push(
      '',
      'Custom-gradient wrappers (their time includes the kernels nested in them, so not counted above): ' +
        p.wrappers.map((w) => `\`${w.name}\` ×${w.calls} (${ms(w.ms)} ms)`).join(', ') + '.',
    );
  }
  lines.push('');
  return lines;
}

export function renderReport(r: BenchReport): string {
  const m = r.machine;
  const { batch, time, features } = r.sizes;
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
    ...r.backends.map((b) => `- Backend ${b.backend}: ${b.details}`),
    `- Total runtime: ${r.totalSeconds.toFixed(0)} s`,
    '',
    '## Method',
    '',
    `- Input: batch ${batch}, length ${time}, ${features} input features (standard normal, fixed seed); every layer returns only the last output (\`returnSequences: false\`).`,
    '- **forward**: `layer.apply(x)` inside `tf.tidy`, then `await y.data()` on the `[batch, units]` output.',
    '- **forward+backward**: `tf.variableGrads(() => tf.sum(layer.apply(x)), layer.trainableWeights)`, then `await g.data()` on every gradient (no optimizer update).',
    "- GRU / LSTM rows: ours vs `tf.layers.gru` / `tf.layers.lstm` with equal arguments (our GRU with `resetAfter: false`; both with `recurrentActivation: 'sigmoid'`) and identical weights (`builtin.setWeights(ours.getWeights())`); the last column is the largest absolute difference of outputs and weight gradients between the two, measured before timing on the first " +
      `${CHECK_STEPS} steps of the input.`,
    '- BRC / nBRC rows: ours vs our GRU with its defaults (reset-after, sigmoid); each keeps its own initial weights.',
    '- Timing: each case is warmed up (untimed runs of both layers; on cpu at 256 units on the first steps only, to keep the run short), then timed repetitions alternate ours and baseline (order flipped every repetition). `reps` = warm-up + timed repetitions per layer. Reported: the median; ratio = baseline median / ours median (above 1: ours is faster).',
    '- Targets (issue 2): GRU and LSTM ≥ 3× faster than the built-ins for forward+backward at 256 units on wasm, and never slower (≥ 1×) anywhere; BRC and nBRC within 1.2× of our GRU (ratio ≥ 0.83). Medians of few repetitions on a shared machine: a ratio within a few percent of its target is a tie, not a verdict.',
    '',
  ];
  const missed: string[] = [];
  for (const b of r.backends) {
    for (const c of b.cases) {
      for (const mr of c.modes) {
        if (!mr.met) missed.push(`${b.backend} ${caseLabel(c.spec)} ${mr.mode}: ${ratio(mr.timing.ratio)} (target ${mr.target.text})`);
      }
    }
  }
  lines.push('## Summary', '');
  if (missed.length === 0) lines.push('All targets met.', '');
  else lines.push(`Targets missed (${missed.length}):`, '', ...missed.map((s) => `- ${s}`), '');
  for (const b of r.backends) {
    const reps = [
      ...new Set(
        b.cases.map(
          (c) =>
            `${c.spec.units} units: ${c.plan.warmup} warm-up` +
            (c.plan.warmupSteps == null ? '' : ` on the first ${c.plan.warmupSteps} steps`) +
            ` + ${c.plan.reps} timed`,
        ),
      ),
    ];
    lines.push(`## ${b.backend}`, '', `Repetitions per layer — ${reps.join('; ')}.`, '', ...resultTable(b), '', ...rawTimes(b), '');
  }
  lines.push('## Where the time goes', '');
  if (r.profiles == null) {
    lines.push('_Not profiled in this run._', '');
  } else {
    lines.push(
      `One forward+backward pass of the GRU pair at ${r.profiles.units} units on ${r.profiles.backend} (batch ${batch}, length ${r.profiles.time}) under \`tf.profile\`, ` +
        'aggregated by kernel. Kernel time is the backend timer around each synchronous kernel call; "calls / step" divides by the sequence length.',
      '',
    );
    const time = r.profiles.time;
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
    for (const p of r.profiles.items) lines.push(...profileSection(p, time, 12));
  }
  lines.push(r.warmup ?? '## Warmup\n\n_Not measured in this run (it runs on the wasm backend only)._\n');
  return lines.filter((l, i, all) => !(l === '' && all[i - 1] === '')).join('\n');
}
