/**
 * The arithmetic of a GRU or LSTM layer, for the engine's effective GFLOP/s (arithmetic divided
 * by wall time). Counted: the matrix products only — per step, the input projection x·W
 * (2·B·F·G·U) and the recurrent product h·U (2·B·U·G·U), with G = 3 gate blocks for the GRU and
 * 4 for the LSTM. Backward does two products per forward product (the gradients of the left and
 * of the right factor), so forward+backward = 3 × forward. Elementwise work (gates, activations)
 * is left out, so the figure understates the work done.
 */
import type { Mode } from './cases';

export function layerFlops(
  family: 'GRU' | 'LSTM',
  units: number,
  batch: number,
  time: number,
  features: number,
  mode: Mode,
): number {
  const g = family === 'GRU' ? 3 : 4;
  const forward = 2 * batch * time * g * units * (features + units);
  return mode === 'forward' ? forward : 3 * forward;
}
