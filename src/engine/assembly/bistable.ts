// Bistable recurrent cells (src/recurrence/kernels/bistable.ts): BRC (diagonal memory w, [2u])
// and nBRC (full memory W, [u, 2u]):
//   c = σ(x_c + m_c(h));  a = 1 + tanh(x_a + m_a(h));  h' = c ⊙ h + (1 − c) ⊙ tanh(x_h + a ⊙ h)
// Saved per step, [batch, 3u]: c | tanh(x_a + m_a(h)) | candidate.
import { matmulAdd, matmulTransAAdd, matmulTransBAddPacked, packTransposedB } from './matmul';
import {
  activate, activeRowsAt, addInto, at, blendMasked, carryRowsFrom, packComputedRows, copyRows, ld, one as ONE, SIGMOID, st,
  startBackwardStep, TANH, zero, zeroRowsFrom,
} from './elementwise';

export function brcForward(
  time: i32, batch: i32, units: i32, projection: usize, projectionStride: i32, mask: usize, active: usize,
  states: usize, ring: i32, saved: usize, savedStride: i32, memory: usize, _unused: usize, gates: usize,
  _act: i32, _recAct: i32,
): void {
  bistableForward(false, time, batch, units, projection, projectionStride, mask, active, states, ring, saved, savedStride, memory, gates);
}

export function nbrcForward(
  time: i32, batch: i32, units: i32, projection: usize, projectionStride: i32, mask: usize, active: usize,
  states: usize, ring: i32, saved: usize, savedStride: i32, memory: usize, _unused: usize, gates: usize,
  _act: i32, _recAct: i32,
): void {
  bistableForward(true, time, batch, units, projection, projectionStride, mask, active, states, ring, saved, savedStride, memory, gates);
}

function bistableForward(
  full: bool, time: i32, batch: i32, u: i32, projection: usize, projectionStride: i32, mask: usize, active: usize,
  states: usize, ring: i32, saved: usize, savedStride: i32, memory: usize, gates: usize,
): void {
  const g2 = 2 * u;
  const p3 = 3 * u;
  const slotSize = batch * u;
  for (let t = 0; t < time; t++) {
    const hp = at(states, (ring ? t & 1 : t) * slotSize);
    const hn = at(states, (ring ? (t + 1) & 1 : t + 1) * slotSize);
    const xt = at(projection, t * projectionStride);
    const rows = activeRowsAt(active, t, batch);
    copyRows(gates, g2, xt, p3, rows, g2);
    if (full) matmulAdd(rows, u, g2, hp, u, memory, g2, gates, g2);
    const st0 = at(saved, t * savedStride);
    for (let b = 0; b < rows; b++) {
      const x = at(xt, b * p3);
      const g = at(gates, b * g2);
      const s = at(st0, b * p3);
      const h = at(hp, b * u);
      const out = at(hn, b * u);
      let j = 0;
      for (; j + 4 <= u; j += 4) forwardCols(full, memory, x, g, s, h, out, u, j, 4);
      for (; j < u; j++) forwardCols(full, memory, x, g, s, h, out, u, j, 1);
    }
    if (mask != 0) {
      blendMasked(hn, hp, at(mask, t * batch), rows, u);
      carryRowsFrom(hn, hp, u, rows, batch);
    }
  }
}

@inline function forwardCols(
  full: bool, memory: usize, x: usize, g: usize, s: usize, h: usize, out: usize, u: i32, j: i32, w: i32,
): void {
  const hv = ld(at(h, j), w);
  let preC = ld(at(g, j), w);
  let preA = ld(at(g, u + j), w);
  if (!full) {
    preC = f32x4.add(preC, f32x4.mul(ld(at(memory, j), w), hv));
    preA = f32x4.add(preA, f32x4.mul(ld(at(memory, u + j), w), hv));
  }
  const c = activate(SIGMOID, preC);
  const tanhA = activate(TANH, preA);
  const cand = activate(TANH, f32x4.add(ld(at(x, 2 * u + j), w), f32x4.mul(f32x4.add(tanhA, ONE()), hv)));
  st(at(s, j), c, w);
  st(at(s, u + j), tanhA, w);
  st(at(s, 2 * u + j), cand, w);
  st(at(out, j), f32x4.add(cand, f32x4.mul(c, f32x4.sub(hv, cand))), w);
}

export function brcBackward(
  time: i32, batch: i32, units: i32, dy: usize, mask: usize, active: usize, states: usize, saved: usize,
  memory: usize, _flag: i32, dProjection: usize, constant: i32,
  dRecurrent: usize, carry: usize, dMemory: usize, _dUnused: usize, work: usize, _act: i32, _recAct: i32,
): void {
  bistableBackward(false, time, batch, units, dy, mask, active, states, saved, memory, dProjection, constant, dRecurrent, carry, dMemory, work);
}

export function nbrcBackward(
  time: i32, batch: i32, units: i32, dy: usize, mask: usize, active: usize, states: usize, saved: usize,
  memory: usize, _flag: i32, dProjection: usize, constant: i32,
  dRecurrent: usize, carry: usize, dMemory: usize, _dUnused: usize, work: usize, _act: i32, _recAct: i32,
): void {
  bistableBackward(true, time, batch, units, dy, mask, active, states, saved, memory, dProjection, constant, dRecurrent, carry, dMemory, work);
}

/** `work`: 2·batch·u + batch·3u. */
function bistableBackward(
  full: bool, time: i32, batch: i32, u: i32, dy: usize, mask: usize, active: usize, states: usize, saved: usize,
  memory: usize, dProjection: usize, constant: i32, dRecurrent: usize, carry: usize, dMemory: usize, work: usize,
): void {
  const g2 = 2 * u;
  const p3 = 3 * u;
  const slotSize = batch * u;
  const dNew = work;
  const dStep = mask != 0 ? at(work, slotSize) : dNew;
  const dProjStep = at(work, 2 * slotSize);
  zero(carry, slotSize);
  if (constant) zero(dProjection, batch * p3);
  // The recurrent kernel packed once for the per-step products (in the parameter gradient's
  // memory, written only after the time loop; 0 when it does not fit: units not a multiple of 8).
  const packedMemory = full ? packTransposedB(g2, u, memory, g2, dMemory, u * g2) : 0;
  for (let t = time - 1; t >= 0; t--) {
    const fused = mask == 0;
    // Without a mask the step's gradient dy + carry is read inside the loop (no separate pass),
    // and the carry restarts from this step's contributions.
    if (!fused) startBackwardStep(at(dy, t * slotSize), carry, dNew, dStep, at(mask, t * batch), batch, u);
    const dt = fused ? at(dy, t * slotSize) : dStep;
    const hp = at(states, t * slotSize);
    const sv = at(saved, t * batch * p3);
    const dRec = at(dRecurrent, t * batch * g2);
    const dP = constant ? dProjStep : at(dProjection, t * batch * p3);
    const rows = activeRowsAt(active, t, batch);
    for (let b = 0; b < rows; b++) {
      const s = at(sv, b * p3);
      const h = at(hp, b * u);
      const d = at(dt, b * u);
      const dr = at(dRec, b * g2);
      const dp = at(dP, b * p3);
      const c = at(carry, b * u);
      let j = 0;
      if (fused) {
        for (; j + 4 <= u; j += 4) backwardCols(true, full, memory, s, h, d, dr, dp, c, u, j, 4);
        for (; j < u; j++) backwardCols(true, full, memory, s, h, d, dr, dp, c, u, j, 1);
      } else {
        for (; j + 4 <= u; j += 4) backwardCols(false, full, memory, s, h, d, dr, dp, c, u, j, 4);
        for (; j < u; j++) backwardCols(false, full, memory, s, h, d, dr, dp, c, u, j, 1);
      }
    }
    if (full) matmulTransBAddPacked(rows, g2, u, dRec, g2, memory, g2, packedMemory, carry, u);
    if (constant) addInto(dProjection, dProjStep, rows * p3);
    else zeroRowsFrom(dP, p3, rows, batch);
  }
  // With skipped rows, the parameter gradient runs over the computed rows only (packed in place:
  // neither array is read after this).
  const rowCount = packComputedRows(dRecurrent, dRecurrent, g2, states, u, batch, time, active);
  if (full) {
    zero(dMemory, u * g2);
    matmulTransAAdd(u, rowCount, g2, states, u, dRecurrent, g2, dMemory, g2);
    return;
  }
  // Diagonal memory: dw_c = Σ h ⊙ dpre_c, dw_a = Σ h ⊙ dpre_a over every step and row.
  zero(dMemory, g2);
  for (let row = 0; row < rowCount; row++) {
    const h = at(states, row * u);
    const dr = at(dRecurrent, row * g2);
    let j = 0;
    for (; j + 4 <= u; j += 4) diagonalCols(dMemory, h, dr, u, j, 4);
    for (; j < u; j++) diagonalCols(dMemory, h, dr, u, j, 1);
  }
}

@inline function diagonalCols(dMemory: usize, h: usize, dr: usize, u: i32, j: i32, w: i32): void {
  const hv = ld(at(h, j), w);
  st(at(dMemory, j), f32x4.add(ld(at(dMemory, j), w), f32x4.mul(hv, ld(at(dr, j), w))), w);
  st(at(dMemory, u + j), f32x4.add(ld(at(dMemory, u + j), w), f32x4.mul(hv, ld(at(dr, u + j), w))), w);
}

// `fused`: d is the step's dy and `carry` the gradient from the next step (their sum is the
// step's gradient), and the carry is overwritten; otherwise d is the masked gradient and the carry
// accumulates.
@inline function backwardCols(
  fused: bool, full: bool, memory: usize, s: usize, h: usize, d: usize, dr: usize, dp: usize, carry: usize, u: i32,
  j: i32, w: i32,
): void {
  const c = ld(at(s, j), w);
  const tanhA = ld(at(s, u + j), w);
  const cand = ld(at(s, 2 * u + j), w);
  const hv = ld(at(h, j), w);
  const carried = ld(at(carry, j), w);
  const dn = fused ? f32x4.add(ld(at(d, j), w), carried) : ld(at(d, j), w);
  const one = ONE();
  const dCandPre = f32x4.mul(f32x4.mul(dn, f32x4.sub(one, c)), f32x4.sub(one, f32x4.mul(cand, cand)));
  const dPreC = f32x4.mul(f32x4.mul(dn, f32x4.sub(hv, cand)), f32x4.mul(c, f32x4.sub(one, c)));
  const dPreA = f32x4.mul(f32x4.mul(dCandPre, hv), f32x4.sub(one, f32x4.mul(tanhA, tanhA)));
  st(at(dr, j), dPreC, w);
  st(at(dr, u + j), dPreA, w);
  st(at(dp, j), dPreC, w);
  st(at(dp, u + j), dPreA, w);
  st(at(dp, 2 * u + j), dCandPre, w);
  let dPrevious = f32x4.add(f32x4.mul(dn, c), f32x4.mul(dCandPre, f32x4.add(tanhA, one)));
  if (!full) {
    dPrevious = f32x4.add(
      dPrevious,
      f32x4.add(f32x4.mul(dPreC, ld(at(memory, j), w)), f32x4.mul(dPreA, ld(at(memory, u + j), w))),
    );
  }
  st(at(carry, j), fused ? dPrevious : f32x4.add(carried, dPrevious), w);
}
