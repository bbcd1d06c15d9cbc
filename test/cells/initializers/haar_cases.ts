/**
 * Shapes and seeds on which the engine and JavaScript paths of orthogonalMatrix are compared
 * (in process and in a child without WebAssembly): square, tall and wide; sizes that are not
 * multiples of the kernel's 4 × 4 tiles, of its 32-reflection blocks or of its 64-column groups.
 */
export const PATH_CASES: ReadonlyArray<readonly [rows: number, cols: number, seed: number]> = [
  [1, 1, 1],
  [3, 3, 2],
  [7, 5, 3],
  [5, 7, 4],
  [33, 33, 5],
  [70, 37, 6],
  [37, 70, 7],
  [130, 129, 8],
];
