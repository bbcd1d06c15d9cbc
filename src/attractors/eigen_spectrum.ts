import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

/** A complex number `re + i·im`. */
export interface Complex {
  re: number;
  im: number;
}

/** One eigen-mode of a Jacobian: eigenvalue λ and its (possibly complex) eigenvector. */
export interface JacobianMode {
  /** The eigenvalue λ. */
  value: Complex;
  /** |λ|: the factor by which a small displacement along this mode grows (> 1) or shrinks (< 1) per step. */
  modulus: number;
  /** Real parts of the eigenvector (unit length over real and imaginary parts together). */
  vectorRe: Float64Array;
  /** Imaginary parts of the eigenvector (zero for a real eigenvalue). */
  vectorIm: Float64Array;
}

/** Eigen-decomposition of one Jacobian (internal result). */
export interface Spectrum {
  /** All eigenvalues, largest |λ| first. */
  eigenvalues: Complex[];
  /** The `modes` leading eigen-modes, largest |λ| first. */
  leadingModes: JacobianMode[];
}

/**
 * Eigenvalues (and the leading eigenvectors) of a real, non-symmetric `d × d` matrix stored
 * row-major in `values` from `offset`, with ml-matrix's `EigenvalueDecomposition` (Hessenberg
 * reduction + shifted QR, from JAMA), in float64.
 */
export function spectrumOf(values: Float32Array, offset: number, d: number, modes: number): Spectrum {
  const rows: number[][] = [];
  for (let i = 0; i < d; i++) rows.push(Array.from(values.subarray(offset + i * d, offset + (i + 1) * d)));
  const decomposition = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: false });
  const re = decomposition.realEigenvalues;
  const im = decomposition.imaginaryEigenvalues;
  const order = re.map((_, i) => i).sort((a, b) => Math.hypot(re[b], im[b]) - Math.hypot(re[a], im[a]));
  const eigenvalues = order.map((i) => ({ re: re[i], im: im[i] }));
  if (modes === 0) return { eigenvalues, leadingModes: [] };
  const vectors = decomposition.eigenvectorMatrix;
  const leadingModes = order.slice(0, Math.min(modes, d)).map((i) => {
    const vectorRe = new Float64Array(d);
    const vectorIm = new Float64Array(d);
    // JAMA stores a complex pair λ, conj(λ) (positive imaginary part first) as the real and
    // imaginary parts of one eigenvector in two adjacent columns.
    const pairedWith = im[i] > 0 ? i + 1 : im[i] < 0 ? i - 1 : -1;
    for (let r = 0; r < d; r++) {
      if (pairedWith < 0) {
        vectorRe[r] = vectors.get(r, i);
      } else {
        const first = Math.min(i, pairedWith);
        vectorRe[r] = vectors.get(r, first);
        vectorIm[r] = (im[i] > 0 ? 1 : -1) * vectors.get(r, first + 1);
      }
    }
    let norm = 0;
    for (let r = 0; r < d; r++) norm += vectorRe[r] ** 2 + vectorIm[r] ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let r = 0; r < d; r++) {
      vectorRe[r] /= norm;
      vectorIm[r] /= norm;
    }
    return { value: { re: re[i], im: im[i] }, modulus: Math.hypot(re[i], im[i]), vectorRe, vectorIm };
  });
  return { eigenvalues, leadingModes };
}
