/**
 * Per-op profiler: runs a job once under `tf.profile` and aggregates kernel time and calls by
 * kernel name, and by kernel name plus input shapes (which tells, e.g., a transposed matMul
 * from a plain one).
 *
 * Kernel time comes from the backend's timer (on wasm and cpu: wall time around the
 * synchronous kernel call). Names that are not registered kernels of the backend (for example
 * `unnamed scope` or `fusedMatMul__op`) are custom-gradient wrappers: their time includes the
 * kernels nested in them, so they are listed apart and left out of the kernel sum.
 */
import * as tf from '@tensorflow/tfjs';
import type { Job } from './timing';

export interface KernelRow {
  name: string;
  /** Input shapes, only in the by-shape aggregation. */
  shapes?: string;
  calls: number;
  ms: number;
}

export interface OpProfile {
  label: string;
  /** Wall time of the profiled run (the profiler adds its own overhead). */
  wallMs: number;
  /** Sum of the time of leaf kernels. */
  kernelMs: number;
  /** Number of leaf kernel calls. */
  kernelCalls: number;
  byName: KernelRow[];
  byShape: KernelRow[];
  /** Custom-gradient wrappers (time includes nested kernels). */
  wrappers: KernelRow[];
  newTensors: number;
  peakBytes: number;
}

function aggregate(rows: Map<string, KernelRow>, key: string, make: () => KernelRow, ms: number): void {
  const row = rows.get(key) ?? make();
  row.calls += 1;
  row.ms += ms;
  rows.set(key, row);
}

/**
 * For matMul kernels, which product the input shapes imply (the profile records no attributes):
 * `a·b`, `aᵀ·b` or `a·bᵀ`, or both candidates when the shapes allow either.
 */
function matMulForm(name: string, shapes: (number[] | null)[]): string {
  if (name !== 'BatchMatMul' && name !== '_FusedMatMul') return '';
  const [a, b] = shapes;
  if (a == null || b == null || a.length < 2 || b.length < 2) return '';
  const [ar, ac] = a.slice(-2);
  const [br, bc] = b.slice(-2);
  const forms: string[] = [];
  if (ac === br) forms.push('a·b');
  if (ar === br) forms.push('aᵀ·b');
  if (ac === bc) forms.push('a·bᵀ');
  if (ar === bc) forms.push('aᵀ·bᵀ');
  return forms.length > 0 ? ` (${forms.join(' or ')})` : '';
}

export async function profileJob(label: string, job: Job): Promise<OpProfile> {
  const backend = tf.getBackend();
  const start = performance.now();
  const info = await tf.profile(async () => {
    await job();
  });
  const wallMs = performance.now() - start;
  const byName = new Map<string, KernelRow>();
  const byShape = new Map<string, KernelRow>();
  const wrappers = new Map<string, KernelRow>();
  let kernelMs = 0;
  let kernelCalls = 0;
  for (const k of info.kernels) {
    const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    const name = k.name;
    if (tf.getKernel(name, backend) == null) {
      aggregate(wrappers, name, () => ({ name, calls: 0, ms: 0 }), ms);
      continue;
    }
    kernelMs += ms;
    kernelCalls += 1;
    aggregate(byName, name, () => ({ name, calls: 0, ms: 0 }), ms);
    const shapes =
      k.inputShapes.map((s) => (s == null ? '?' : `[${s.join(',')}]`)).join(' ') + matMulForm(name, k.inputShapes);
    aggregate(byShape, `${name} ${shapes}`, () => ({ name, shapes, calls: 0, ms: 0 }), ms);
  }
  const sort = (m: Map<string, KernelRow>) => [...m.values()].sort((a, b) => b.ms - a.ms);
  return {
    label,
    wallMs,
    kernelMs,
    kernelCalls,
    byName: sort(byName),
    byShape: sort(byShape),
    wrappers: sort(wrappers),
    newTensors: info.newTensors,
    peakBytes: info.peakBytes,
  };
}

/** Where the time of an engine-path run goes, from V8's sampling profiler (self time). */
export interface EngineSplit {
  label: string;
  runs: number;
  /** Mean wall time of one run (under the profiler, which adds a little). */
  wallMs: number;
  /** Mean ms per run by category, largest first. */
  parts: { name: string; ms: number }[];
  /** Shorthands of the main parts, ms per run. */
  engineMs: number;
  kernelMs: number;
}

const CATEGORIES = {
  engine: 'engine (WebAssembly, the recurrence itself)',
  glue: 'engine glue (JavaScript in src/engine: copies in and out of engine memory, dispatch)',
  kernels: 'tfjs kernels (backend code: tensor creation, reads, the ops around the recurrence)',
  tfjs: 'tfjs JavaScript (op dispatch, tape, tidy, layers)',
  ours: 'our other JavaScript (layers, runner, cells)',
  gc: 'garbage collection',
  other: 'other (V8 and Node internals, the profiler)',
  idle: 'idle (waiting on promises)',
} as const;
type Category = keyof typeof CATEGORIES;

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

/**
 * Runs `job` `runs` times under V8's sampling profiler (node:inspector, 100 µs) and splits the
 * self time into {@link CATEGORIES}. WebAssembly frames called (through any depth) from the
 * tfjs wasm backend's JavaScript are tfjs kernels; the others are the engine's module.
 */
export async function profileEngineSplit(label: string, job: Job, runs: number): Promise<EngineSplit> {
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  const start = performance.now();
  for (let i = 0; i < runs; i++) await job();
  const wallMs = (performance.now() - start) / runs;
  const { profile } = await session.post('Profiler.stop');
  await session.post('Profiler.disable');
  session.disconnect();

  const nodes = new Map<number, ProfileNode>(profile.nodes.map((n) => [n.id, n as ProfileNode]));
  const selfUs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  // The first delta runs from Profiler.start to the first sample: not part of any frame.
  samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (i === 0 ? 0 : (deltas[i] ?? 0))));
  const totals = new Map<Category, number>();
  const isTfjs = (url: string) => url.includes('/@tensorflow/');
  const isKernelJs = (url: string) => url.includes('/tfjs-backend-wasm/') || url.includes('/tfjs-backend-cpu/');
  // Depth-first from the root, carrying whether a tfjs backend frame is above.
  const walk = (id: number, underBackend: boolean): void => {
    const node = nodes.get(id);
    if (node == null) return;
    const { functionName, url } = node.callFrame;
    let category: Category;
    if (url.startsWith('wasm://')) category = underBackend ? 'kernels' : 'engine';
    else if (isKernelJs(url)) category = 'kernels';
    else if (isTfjs(url)) category = 'tfjs';
    else if (url.includes('/src/engine/')) category = 'glue';
    else if (url.includes('/src/')) category = 'ours';
    else if (functionName === '(garbage collector)') category = 'gc';
    else if (functionName === '(idle)') category = 'idle';
    else category = 'other';
    totals.set(category, (totals.get(category) ?? 0) + (selfUs.get(id) ?? 0));
    for (const child of node.children ?? []) walk(child, underBackend || isKernelJs(url));
  };
  walk(profile.nodes[0].id, false);
  const perRun = (c: Category) => (totals.get(c) ?? 0) / 1000 / runs;
  const parts = (Object.keys(CATEGORIES) as Category[])
    .map((c) => ({ name: CATEGORIES[c], ms: perRun(c) }))
    .filter((p) => p.ms > 0)
    .sort((a, b) => b.ms - a.ms);
  return { label, runs, wallMs, parts, engineMs: perRun('engine'), kernelMs: perRun('kernels') };
}
