import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/errors';
import { parseIdx } from '../../src/tasks';
import { makeIdx } from './idx_fixture';

describe('parseIdx', () => {
  it('parses a tiny hand-made file (dims big-endian, data row-major, a view)', () => {
    const bytes = makeIdx([2, 3], [1, 2, 3, 4, 5, 255]);
    expect(Array.from(bytes.subarray(0, 12))).toEqual([0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3]);
    const parsed = parseIdx(bytes);
    expect(parsed.dims).toEqual([2, 3]);
    expect(Array.from(parsed.data)).toEqual([1, 2, 3, 4, 5, 255]);
    expect(parsed.data.buffer).toBe(bytes.buffer);
  });

  it('reads dims above 2^16 and works on a Buffer / offset view', () => {
    const bytes = makeIdx([70000], new Uint8Array(70000).fill(7));
    expect(parseIdx(bytes).dims).toEqual([70000]);
    const padded = new Uint8Array(bytes.length + 3);
    padded.set(bytes, 3);
    const view = padded.subarray(3);
    expect(parseIdx(view).data[69999]).toBe(7);
    expect(parseIdx(Buffer.from(makeIdx([1], [9]))).data[0]).toBe(9);
  });

  it('accepts empty dimensions (zero values)', () => {
    expect(parseIdx(makeIdx([0, 28, 28], [])).dims).toEqual([0, 28, 28]);
  });

  it('rejects every malformed input with a precise message', () => {
    const cases: [unknown, RegExp][] = [
      [[0, 0, 8, 1], /expected the file's bytes as a Uint8Array, received an array of length 4/],
      [new Uint8Array([0, 0, 8]), /at least 4 bytes for the IDX magic number, received 3/],
      [new Uint8Array([0, 1, 8, 1, 0, 0, 0, 0]), /bad magic number.*received 0x00 0x01/],
      [new Uint8Array([8, 0, 0, 1, 0, 0, 0, 0]), /bad magic number.*received 0x08 0x00/],
      [makeIdx([1], [0], 0x0d), /unsupported IDX data type 0x0d \(float32\); only 0x08 \(unsigned byte\)/],
      [makeIdx([1], [0], 0x42), /unsupported IDX data type 0x42 \(not an IDX type\)/],
      [new Uint8Array([0, 0, 8, 0]), /at least 1 dimension, the header declares 0/],
      [
        new Uint8Array([0, 0, 8, 3, 0, 0, 0, 1, 0, 0]),
        /truncated header: 3 dimension\(s\) need 16 header bytes, received 10/,
      ],
      [
        makeIdx([2, 3], [1, 2, 3, 4, 5, 6]).subarray(0, 15),
        /truncated data: dims \[2, 3\] need 6 data bytes, received 3/,
      ],
      [
        new Uint8Array([...makeIdx([2], [1, 2]), 0, 0]),
        /2 unexpected trailing byte\(s\) after the 2 data bytes of dims \[2\]/,
      ],
      [gzipSync(makeIdx([1], [1])), /gzip-compressed.*decompress them first/],
    ];
    for (const [input, message] of cases) {
      expect(() => parseIdx(input as Uint8Array)).toThrow(InvalidArgumentError);
      expect(() => parseIdx(input as Uint8Array)).toThrow(message);
    }
  });
});
