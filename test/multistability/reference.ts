/**
 * Plain float64 JavaScript references of VAA and VAA*, written straight from SPEC §2 (the
 * relu form of C_ij, not the library's rearranged form), for checking the tensor versions.
 */

export type Matrix = number[][];

/** Rounds every entry to float32, so the reference sees exactly what the tensor holds. */
export function fround(states: Matrix): Matrix {
  return states.map((row) => row.map((v) => Math.fround(v)));
}

function distance(a: number[], b: number[]): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += (a[k]! - b[k]!) ** 2;
  return Math.sqrt(s);
}

/** VAA = (1/n) Σ_i 1 / |{j : ‖s_j − s_i‖ < ε}| in float64. */
export function vaaReference(states: Matrix, epsilon = 1e-4): number {
  const n = states.length;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    let count = 0;
    for (let j = 0; j < n; j++) if (distance(states[i]!, states[j]!) < epsilon) count++;
    sum += 1 / count;
  }
  return sum / n;
}

/** Pairwise distances of tanh(states) in float64. */
export function squashedDistances(states: Matrix): Matrix {
  const squashed = states.map((row) => row.map(Math.tanh));
  return squashed.map((a) => squashed.map((b) => distance(a, b)));
}

/** VAA* = (1/n) Σ_i 1 / Σ_j (1 − relu(d_ij − ε)/(d_ij + δ)), d on tanh(states), in float64. */
export function vaaStarReference(states: Matrix, epsilon = 1e-4, delta = 1e-6): number {
  const dist = squashedDistances(states);
  const n = states.length;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    let rowSum = 0;
    for (let j = 0; j < n; j++) {
      const d = dist[i]![j]!;
      rowSum += 1 - Math.max(d - epsilon, 0) / (d + delta);
    }
    sum += 1 / rowSum;
  }
  return sum / n;
}

/** Central finite-difference gradient of {@link vaaStarReference}, flattened row-major. */
export function vaaStarGradientFD(states: Matrix, epsilon = 1e-4, h = 1e-9): number[] {
  const grad: number[] = [];
  for (let i = 0; i < states.length; i++) {
    for (let k = 0; k < states[i]!.length; k++) {
      const plus = states.map((row) => row.slice());
      const minus = states.map((row) => row.slice());
      plus[i]![k]! += h;
      minus[i]![k]! -= h;
      grad.push((vaaStarReference(plus, epsilon) - vaaStarReference(minus, epsilon)) / (2 * h));
    }
  }
  return grad;
}

/**
 * Smallest |d_ij/ε − 1| over pairs i ≠ j: how far the configuration is from the kink of C at
 * d = ε (finite differences are only meaningful where no pair sits near it).
 */
export function distanceFromKink(states: Matrix, epsilon = 1e-4): number {
  const dist = squashedDistances(states);
  let m = Infinity;
  for (let i = 0; i < dist.length; i++) {
    for (let j = 0; j < dist.length; j++) {
      if (i !== j) m = Math.min(m, Math.abs(dist[i]![j]! / epsilon - 1));
    }
  }
  return m;
}
