/**
 * Pins every entry of src/backend/tfjs_quirks.ts: each test fails when our workaround is removed
 * or when tfjs stops showing the quirk (then drop the workaround and its entry). Where the quirk
 * is only slowness, the test asserts what our helper does instead (which kernels it runs).
 */
import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  TFJS_QUIRKS,
  biasRow,
  floatView,
  leadingSlices,
  pickTimeSteps,
  splitColumns,
  splitTimeSteps,
  transposed,
  transposedTimes,
} from '../../src/backend/tfjs_quirks';
import { denseProjection } from '../../src/recurrence/projection';
import { releaseAbandonedTape } from '../../src/utils/abandoned_tape';
import { OptimizerState } from '../../src/warmup/optimizer_state';
import { backendName, expectNoLeaks, maxAbsDiff } from '../helpers';

const backend = backendName();

async function kernelNames(f: () => tf.Tensor | tf.Tensor[]): Promise<string[]> {
  let out: tf.Tensor | tf.Tensor[] = [];
  const info = await tf.profile(() => (out = f()));
  tf.dispose(out);
  return info.kernels.map((k) => k.name);
}

function ramp(shape: number[]): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Array.from({ length: n }, (_, i) => Math.sin(i + 1)),
    shape,
  );
}

describe('tfjs 4.22 quirks (src/backend/tfjs_quirks.ts)', () => {
  it('runs on the tfjs version the quirks were established on (an upgrade: re-check every entry)', () => {
    expect(tf.version_core, 'tfjs changed: re-run test/backend and drop the workarounds for fixed quirks').toMatch(
      /^4\.22\./,
    );
  });

  it('names a pinning test that exists for every quirk', () => {
    for (const [name, quirk] of Object.entries(TFJS_QUIRKS)) {
      const file = quirk.pinnedBy.split(' ')[0];
      expect(existsSync(join(__dirname, '..', file)), `${name}: ${file}`).toBe(true);
      expect(quirk.backends.length, name).toBeGreaterThan(0);
    }
  });

  it('wasmSliceCopiesWholeInput: on wasm, time steps and untaped column blocks run no Slice/Unpack/SplitV kernel', async () => {
    const x = ramp([6, 2, 3]);
    const m = ramp([3, 8]) as tf.Tensor2D;
    const steps = splitTimeSteps(x);
    expect(steps.map((s) => s.arraySync())).toEqual(tf.unstack(x).map((s) => s.arraySync()));
    tf.dispose(steps);
    const stepKernels = await kernelNames(() => splitTimeSteps(x));
    const blockKernels = await kernelNames(() => splitColumns(m, [4, 4], { differentiable: false }));
    const slicing = ['Slice', 'Unpack', 'SplitV', 'StridedSlice', 'GatherV2'];
    if (backend === 'wasm') {
      expect(stepKernels.filter((k) => slicing.includes(k))).toEqual([]);
      expect(blockKernels.filter((k) => slicing.includes(k))).toEqual([]);
    } else {
      expect(stepKernels).toContain('Unpack');
    }
    tf.dispose([x, m]);
  });

  it('cpuStridedSliceSlow: on cpu, column blocks come from one transpose, not a strided split', async () => {
    const m = ramp([3, 12]) as tf.Tensor2D;
    const blocks = splitColumns(m, [4, 8], { differentiable: true });
    expect(blocks.map((b) => b.arraySync())).toEqual(tf.split(m, [4, 8], 1).map((b) => b.arraySync()));
    tf.dispose(blocks);
    const names = await kernelNames(() => splitColumns(m, [4, 8], { differentiable: true }));
    if (backend === 'cpu') {
      expect(names).toContain('Transpose');
      expect(names).not.toContain('SplitV');
    }
    m.dispose();
  });

  it('wasmTransposedMatMulSlow: transposed products and the projection gradient use no transpose flag', async () => {
    const a = ramp([5, 3]) as tf.Tensor2D;
    const b = ramp([5, 4]) as tf.Tensor2D;
    const w = ramp([3, 4]) as tf.Tensor2D;
    const bias = ramp([4]) as tf.Tensor1D;
    expect(transposedTimes(a, b).arraySync()).toEqual(tf.matMul(a, b, true, false).arraySync());
    expect(transposed(a).arraySync()).toEqual(tf.transpose(a).arraySync());
    const info = await tf.profile(() => {
      const grads = tf.grads((x, k, c) =>
        tf.sum(denseProjection(x as tf.Tensor2D, k as tf.Tensor2D, c as tf.Tensor1D)),
      )([a, w, bias]);
      return grads;
    });
    const products = info.kernels.filter((k) => k.name === 'BatchMatMul' || k.name === '_FusedMatMul');
    expect(products.length).toBeGreaterThanOrEqual(3);
    // A plain product's inner dimensions meet: [.., m, k] · [.., k, n]. A transpose flag breaks that.
    for (const { inputShapes } of products) {
      const [left, right] = inputShapes as number[][];
      expect(left[left.length - 1], JSON.stringify(inputShapes)).toBe(right[right.length - 2]);
    }
    tf.dispose([a, b, w, bias]);
  });

  it('wasmFusedMatMulBiasRank: a reshaped bias row is refused on wasm; biasRow works everywhere', () => {
    const a = ramp([2, 3]) as tf.Tensor2D;
    const k = ramp([3, 4]) as tf.Tensor2D;
    const bias = ramp([2, 4]);
    const reshaped = () =>
      tf.fused.matMul({ a, b: k, bias: tf.reshape(tf.slice(bias, [1, 0], [1, 4]), [4]) }).dispose();
    if (backend === 'wasm') expect(reshaped).toThrow(/rank-1 bias/);
    else expect(reshaped).not.toThrow();
    const y = tf.fused.matMul({ a, b: k, bias: biasRow(bias, 1) });
    const expected = tf.add(tf.matMul(a, k), tf.slice(bias, [1, 0], [1, 4]));
    expect(maxAbsDiff(y.dataSync(), expected.dataSync())).toBeLessThan(1e-6);
    tf.dispose([a, k, bias, y, expected]);
  });

  it('unstackGradientThrows: tf.unstack of a length-1 axis cannot be differentiated; leadingSlices can', () => {
    const x = ramp([1, 2, 3]);
    expect(() => tf.grad((t: tf.Tensor) => tf.sum(tf.unstack(t)[0]))(x)).toThrow(/must be a `Tensor\[\]`/);
    const g = tf.grad((t: tf.Tensor) => tf.sum(leadingSlices(t)[0]))(x);
    expect(g.arraySync()).toEqual(tf.onesLike(x).arraySync());
    const y = ramp([3, 2, 2]);
    expect(leadingSlices(y).map((s) => s.arraySync())).toEqual(tf.unstack(y).map((s) => s.arraySync()));
    tf.dispose([x, g, y]);
  });

  it("wasmGatherGradientMissing: tf.gather's gradient fails on wasm; pickTimeSteps differentiates everywhere", () => {
    const x = ramp([2, 3, 2]);
    const gathered = () =>
      tf
        .grad((t: tf.Tensor) => tf.sum(tf.gather(t, tf.tensor1d([0, 2], 'int32'), 1)))(x)
        .dispose();
    if (backend === 'wasm') expect(gathered).toThrow(/UnsortedSegmentSum/);
    else expect(gathered).not.toThrow();
    const picked = pickTimeSteps([x as tf.Tensor3D], [2, 0])[0];
    expect(picked.arraySync()).toEqual([(x.arraySync() as number[][][])[0][2], (x.arraySync() as number[][][])[1][0]]);
    const g = tf.grad((t: tf.Tensor) => tf.sum(pickTimeSteps([t as tf.Tensor3D], [2, 0])[0]))(x);
    expect(g.arraySync()).toEqual([
      [
        [0, 0],
        [0, 0],
        [1, 1],
      ],
      [
        [1, 1],
        [0, 0],
        [0, 0],
      ],
    ]);
    tf.dispose([x, picked, g]);
  });

  it('tapeKeepsSavedOnThrow: a throwing gradient leaves saved tensors behind; releaseAbandonedTape frees them', async () => {
    const v = tf.variable(ramp([4, 4]));
    const before = tf.memory().numTensors;
    expect(() =>
      tf.variableGrads(() => {
        tf.sum(tf.exp(tf.matMul(v, v)));
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(tf.memory().numTensors, 'tfjs now frees an abandoned tape: drop releaseAbandonedTape').toBeGreaterThan(
      before,
    );
    releaseAbandonedTape();
    expect(tf.memory().numTensors).toBe(before);
    v.dispose();
  });

  it('wasmReadSyncCopies: dataSync on wasm returns a new copy each read; floatView reads the tensor in place', () => {
    const t = ramp([5, 3]);
    const a = t.dataSync();
    // The quirk: a fresh array per read on wasm; the cpu backend hands out its own array.
    if (backend === 'wasm') expect(t.dataSync()).not.toBe(a);
    else expect(t.dataSync()).toBe(a);
    const view = floatView(t);
    expect(Array.from(view)).toEqual(Array.from(a));
    if (backend === 'wasm') {
      // A view: same bytes as the backend's heap, not a copy (writing through it shows in the tensor).
      expect(view.buffer).not.toBe(a.buffer);
      view[0] = 42;
      expect(t.dataSync()[0]).toBe(42);
    } else {
      expect(view).toBe(t.dataSync());
    }
    t.dispose();
  });

  it('adamaxStateUnsaveable: Adamax cannot hand out its state; OptimizerState.save says so with null', async () => {
    const v = tf.variable(ramp([3]));
    const adamax = tf.train.adamax(0.01);
    adamax.minimize(() => tf.sum(tf.square(v)));
    await expect(adamax.getWeights()).rejects.toThrow();
    await expectNoLeaks(async () => {
      expect(await OptimizerState.save(adamax)).toBeNull();
    });
    adamax.dispose();
    v.dispose();
  });
});
