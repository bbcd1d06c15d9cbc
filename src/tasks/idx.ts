import { InvalidArgumentError } from '../errors';
import { describeValue } from '../utils/validate_options';

/** A parsed IDX file of unsigned bytes (see {@link parseIdx}). */
export interface IdxArray {
  /** Dimension sizes, outermost first (MNIST images: `[count, 28, 28]`; labels: `[count]`). */
  readonly dims: readonly number[];
  /**
   * The values in row-major order, `dims` multiplied together long. A view into the bytes passed
   * to {@link parseIdx} (no copy): do not modify it unless you own those bytes.
   */
  readonly data: Uint8Array;
}

/** IDX type code of unsigned bytes, the only one {@link parseIdx} reads. */
export const IDX_UNSIGNED_BYTE = 0x08;

const IDX_TYPE_NAMES: Record<number, string> = {
  0x08: 'unsigned byte',
  0x09: 'signed byte',
  0x0b: 'int16',
  0x0c: 'int32',
  0x0d: 'float32',
  0x0e: 'float64',
};

function hex(byte: number): string {
  return `0x${byte.toString(16).padStart(2, '0')}`;
}

/**
 * Parses an IDX file (the format of the original MNIST files by LeCun et al.) holding unsigned
 * bytes: a 4-byte magic number `0x00 0x00 0x08 n`, then `n` big-endian uint32 dimension sizes,
 * then the values. Works in browsers and Node (no I/O: pass the file's bytes, already
 * decompressed).
 *
 * Throws {@link InvalidArgumentError} with a precise message for: a non-`Uint8Array` argument,
 * gzip-compressed bytes, a short or bad magic number, a type other than unsigned byte, zero
 * dimensions, a truncated header or data, and trailing bytes after the data.
 *
 * @param bytes The whole file (a Node `Buffer` is a `Uint8Array` and works as is).
 * @returns `{ dims, data }`; `data` is a view into `bytes`.
 * @example
 * ```ts
 * const bytes = new Uint8Array(await (await fetch('train-labels-idx1-ubyte')).arrayBuffer());
 * const { dims, data } = parseIdx(bytes); // dims = [60000], data[0] = 5
 * ```
 */
export function parseIdx(bytes: Uint8Array): IdxArray {
  const fn = 'parseIdx';
  if (!(bytes instanceof Uint8Array)) {
    throw new InvalidArgumentError(
      `${fn}: expected the file's bytes as a Uint8Array, received ${describeValue(bytes)}.`,
    );
  }
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    throw new InvalidArgumentError(
      `${fn}: the bytes are gzip-compressed (they start with 0x1f 0x8b); decompress them first (Node: zlib.gunzipSync; browsers: DecompressionStream('gzip')).`,
    );
  }
  if (bytes.length < 4) {
    throw new InvalidArgumentError(
      `${fn}: expected at least 4 bytes for the IDX magic number, received ${bytes.length} byte(s).`,
    );
  }
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new InvalidArgumentError(
      `${fn}: bad magic number: an IDX file starts with two zero bytes, received ${hex(bytes[0])} ${hex(bytes[1])}.`,
    );
  }
  const type = bytes[2];
  if (type !== IDX_UNSIGNED_BYTE) {
    const name = IDX_TYPE_NAMES[type];
    throw new InvalidArgumentError(
      `${fn}: unsupported IDX data type ${hex(type)}${name ? ` (${name})` : ' (not an IDX type)'}; only ${hex(IDX_UNSIGNED_BYTE)} (unsigned byte) is supported.`,
    );
  }
  const rank = bytes[3];
  if (rank === 0) {
    throw new InvalidArgumentError(`${fn}: expected at least 1 dimension, the header declares 0.`);
  }
  const headerLength = 4 + 4 * rank;
  if (bytes.length < headerLength) {
    throw new InvalidArgumentError(
      `${fn}: truncated header: ${rank} dimension(s) need ${headerLength} header bytes, received ${bytes.length}.`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  let size = 1;
  for (let d = 0; d < rank; d++) {
    const n = view.getUint32(4 + 4 * d, false);
    dims.push(n);
    size *= n;
  }
  const expected = headerLength + size;
  if (bytes.length < expected) {
    throw new InvalidArgumentError(
      `${fn}: truncated data: dims [${dims.join(', ')}] need ${size} data bytes, received ${bytes.length - headerLength}.`,
    );
  }
  if (bytes.length > expected) {
    throw new InvalidArgumentError(
      `${fn}: ${bytes.length - expected} unexpected trailing byte(s) after the ${size} data bytes of dims [${dims.join(', ')}].`,
    );
  }
  return { dims, data: bytes.subarray(headerLength, expected) };
}
