import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { MNIST_PIXELS } from '../../src/tasks/index';
import { ExampleArgsError } from '../../examples/common/cli';
import { resultHeaders, resultRows, runSupervised, type SupervisedRunSpec } from '../../examples/common/supervised';
import {
  DENOISING_QUICK_OPTIONS,
  DENOISING_TASK,
  denoisingData,
  parseDenoisingArgs,
} from '../../examples/supervised/denoising';
import { MNIST_QUICK_OPTIONS, MNIST_TASK, mnistData, parseMnistArgs } from '../../examples/supervised/mnist';
import { textTable } from '../../examples/demo/table';
import { renderExampleReport, writeExampleReport } from '../../examples/common/html_report';
import { supervisedReport } from '../../examples/common/supervised_report';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectNoLeaks } from '../helpers';

const SPEC: Omit<SupervisedRunSpec, 'variant'> = {
  cell: 'gru',
  seed: 0,
  units: 2,
  warmupSteps: 1,
  epochs: 1,
  batchSize: 16,
  learningRate: 1e-3,
  vaaSteps: 5,
};

describe('denoising example', () => {
  it('parses the command line', () => {
    expect(parseDenoisingArgs(['-h'])).toEqual({ help: true });
    const parsed = parseDenoisingArgs(['--quick', '--length', '30', '--cells=nbrc,lstm', '--variants', 'warmup']);
    if (parsed.help) throw new Error('unexpected help');
    expect(parsed.options).toMatchObject({
      quick: true,
      length: 30,
      cells: ['nbrc', 'lstm'],
      variants: ['warmup'],
      units: DENOISING_QUICK_OPTIONS.units,
    });
    expect(() => parseDenoisingArgs(['--length', '9'])).toThrow(ExampleArgsError);
    expect(() => parseDenoisingArgs(['--quick', '--batch-size', '64'])).toThrow(/--batch-size/);
    expect(() => parseDenoisingArgs(['--units', '4', '--units', '5'])).toThrow(/twice/);
    expect(() => parseDenoisingArgs(['--variants', 'none,double', '--units', '5'])).toThrow(/even/);
  });

  it('runs plain and warmed-up networks end to end without leaking tensors', async () => {
    const data = denoisingData({ length: 12, trainSamples: 16, validSamples: 8, testSamples: 8 }, 0);
    try {
      expect(data.x.shape).toEqual([16, 12, 2]);
      expect(data.y.shape).toEqual([16, 5]);
      const plain = await expectNoLeaks(() => runSupervised(DENOISING_TASK, data, { ...SPEC, variant: 'none' }));
      const warmed = await expectNoLeaks(() => runSupervised(DENOISING_TASK, data, { ...SPEC, variant: 'warmup' }));
      expect(plain.vaaInit).toBe(warmed.vaaInit); // same initial weights
      expect(warmed.vaaAfterWarmup).not.toBeNull();
      // Double layers with partial warmup: warmed (VAA measured after), finite metrics.
      const double = await expectNoLeaks(() => runSupervised(DENOISING_TASK, data, { ...SPEC, variant: 'double' }));
      expect(double.vaaAfterWarmup).not.toBeNull();
      expect(double.warmupMs).toBeGreaterThan(0);
      for (const v of [...double.valMetric, double.testMetric]) expect(Number.isFinite(v)).toBe(true);
      for (const r of [plain, warmed]) {
        expect(r.valMetric).toHaveLength(2);
        for (const v of [...r.valMetric, r.testMetric]) expect(Number.isFinite(v)).toBe(true);
      }
      const table = textTable(resultHeaders(DENOISING_TASK), resultRows(DENOISING_TASK, [plain, warmed]));
      expect(table).toContain('| gru  | warmup');

      // The report: one learning-curve chart per cell, summary and run tables, written as HTML + JSON.
      const options = { ...DENOISING_QUICK_OPTIONS, seeds: [0], length: 12 };
      const report = supervisedReport({
        task: DENOISING_TASK,
        options,
        title: 'Denoising <L = 12>',
        explanation: 'x & y',
        taskConfiguration: { 'sequence length L': '12' },
        command: 'npm run example:denoising -- --quick',
        startedAt: '2026-11-30T00:00:00Z',
        wallMs: 1000,
        plannedRuns: 3,
        machine: {
          cpu: 'test',
          cores: 2,
          memoryGiB: 1,
          os: 'test',
          node: 'v20',
          tfjs: '4.22.0',
          backend: 'wasm',
          loadAverage: [0, 0, 0],
        },
        results: [plain, warmed],
      });
      expect(report.summary.rows.map((r) => r.slice(0, 3))).toEqual([
        ['gru', 'none', '1'],
        ['gru', 'warmup', '1'],
      ]);
      expect(report.charts).toHaveLength(1);
      expect(report.charts[0].series.map((c) => c.values)).toEqual([plain.valMetric, warmed.valMetric]);
      const html = renderExampleReport(report);
      expect(html).toContain('Partial report: 2 of 3 runs');
      expect(html).toContain('Denoising &lt;L = 12&gt;');
      expect(html).toContain('<svg');
      expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
      const dir = await mkdtemp(join(tmpdir(), 'report-'));
      try {
        const files = await writeExampleReport(dir, report);
        expect(JSON.parse(await readFile(files.json, 'utf8')).results).toHaveLength(2);
        expect(await readFile(files.html, 'utf8')).toBe(html);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    } finally {
      tf.dispose(data as unknown as tf.TensorContainer);
    }
  });
});

describe('sequential MNIST example', () => {
  it('parses the command line', () => {
    const parsed = parseMnistArgs(['--quick', '--permuted', '--black-pixels', '3', '--train-samples', '32']);
    if (parsed.help) throw new Error('unexpected help');
    expect(parsed.options).toMatchObject({
      permuted: true,
      blackPixels: 3,
      trainSamples: 32,
      units: MNIST_QUICK_OPTIONS.units,
    });
    expect(() => parseMnistArgs(['--permuted=yes'])).toThrow(/takes no value/);
    expect(() => parseMnistArgs(['--test-samples', '20000'])).toThrow(/10000/);
  });

  it('prepares disjoint, permuted, padded full-length data from the IDX files', async () => {
    const options = { trainSamples: 4, validSamples: 2, testSamples: 2, blackPixels: 2, dataDir: undefined };
    const plain = await mnistData({ ...options, permuted: false });
    const permuted = await mnistData({ ...options, permuted: true });
    try {
      expect(plain.x.shape).toEqual([4, MNIST_PIXELS + 2, 1]);
      expect(plain.validX.shape).toEqual([2, MNIST_PIXELS + 2, 1]);
      expect(plain.y.shape).toEqual([4, 10]);
      expect(plain.testY.shape).toEqual([2, 10]);
      // The permutation reorders each image's pixels: same multiset, different order.
      const a = [...plain.x.dataSync()].slice(0, MNIST_PIXELS);
      const b = [...permuted.x.dataSync()].slice(0, MNIST_PIXELS);
      expect(b).not.toEqual(a);
      expect([...b].sort()).toEqual([...a].sort());
      // Black pixels are 0.0 and validation images differ from training images.
      expect([...plain.x.dataSync()].slice(MNIST_PIXELS, MNIST_PIXELS + 2)).toEqual([0, 0]);
      expect([...plain.validX.dataSync()].slice(0, MNIST_PIXELS)).not.toEqual(a);
    } finally {
      tf.dispose([plain, permuted] as unknown as tf.TensorContainer);
    }
  });

  it('runs a tiny 784-step plain and warmed-up run without leaking tensors', async () => {
    const data = await mnistData({
      trainSamples: 16,
      validSamples: 8,
      testSamples: 8,
      permuted: true,
      blackPixels: 0,
      dataDir: undefined,
    });
    try {
      for (const variant of ['none', 'warmup'] as const) {
        const r = await expectNoLeaks(() => runSupervised(MNIST_TASK, data, { ...SPEC, variant }));
        expect(r.valMetric).toHaveLength(2);
        for (const v of [...r.valMetric, r.testMetric]) {
          expect(v).toBeGreaterThanOrEqual(0);
          expect(v).toBeLessThanOrEqual(1);
        }
      }
    } finally {
      tf.dispose(data as unknown as tf.TensorContainer);
    }
  });
});
