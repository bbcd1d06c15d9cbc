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
    const shapes = k.inputShapes.map((s) => (s == null ? '?' : `[${s.join(',')}]`)).join(' ') + matMulForm(name, k.inputShapes);
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
