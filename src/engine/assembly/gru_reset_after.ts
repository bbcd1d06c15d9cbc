// GRU, reset gate after the recurrent product (src/recurrence/kernels/gru_reset_after.ts):
//   R = h·U + b';  z, r = f_r(x_zr + R_zr);  ĥ = f(x_h + r ⊙ R_h);  h' = ĥ + z ⊙ (h − ĥ)
// Saved per step, [batch, 4u]: z | r | ĥ | R_h.
import { matmulAdd, matmulTransAAdd, matmulTransBAddPacked, packTransposedB } from './matmul';
import {
  activate, activeRowsAt, addInto, at, blendMasked, carryRowsFrom, columnSums, packComputedRows, copyRows, derivative, ld, one, st,
  startBackwardStep, zero, zeroRowsFrom, SIGMOID, TANH,
} from './elementwise';

export function gruResetAfterForward(
  time: i32, batch: i32, units: i32,
  projection: usize, projectionStride: i32,
  mask: usize, active: usize,
  states: usize, ring: i32,
  saved: usize, savedStride: i32,
  kernel: usize, bias: usize,
  gates: usize,
  act: i32, recAct: i32,
): void {
  // The default activations get their own copy of the loops (see `activate`).
  if (act == TANH && recAct == SIGMOID) gruResetAfterForwardOf(time, batch, units, projection, projectionStride, mask, active, states, ring, saved, savedStride, kernel, bias, gates, TANH, SIGMOID);
  else gruResetAfterForwardOf(time, batch, units, projection, projectionStride, mask, active, states, ring, saved, savedStride, kernel, bias, gates, act, recAct);
}

@inline function gruResetAfterForwardOf(
  time: i32, batch: i32, units: i32,
  projection: usize, projectionStride: i32,
  mask: usize, active: usize,
  states: usize, ring: i32,
  saved: usize, savedStride: i32,
  kernel: usize, bias: usize,
  gates: usize,
  act: i32, recAct: i32,
): void {
  const u = units;
  const g3 = 3 * u;
  const slotSize = batch * u;
  for (let t = 0; t < time; t++) {
    const hp = at(states, (ring ? t & 1 : t) * slotSize);
    const hn = at(states, (ring ? (t + 1) & 1 : t + 1) * slotSize);
    const rows = activeRowsAt(active, t, batch);
    if (bias != 0) copyRows(gates, g3, bias, 0, rows, g3);
    else zero(gates, rows * g3);
    matmulAdd(rows, u, g3, hp, u, kernel, g3, gates, g3);
    const xt = at(projection, t * projectionStride);
    const st0 = at(saved, t * savedStride);
    for (let b = 0; b < rows; b++) {
      const x = at(xt, b * g3);
      const g = at(gates, b * g3);
      const s = at(st0, b * 4 * u);
      const h = at(hp, b * u);
      const out = at(hn, b * u);
      let j = 0;
      for (; j + 4 <= 2 * u; j += 4) st(at(s, j), activate(recAct, f32x4.add(ld(at(x, j), 4), ld(at(g, j), 4))), 4);
      for (; j < 2 * u; j++) st(at(s, j), activate(recAct, f32x4.add(ld(at(x, j), 1), ld(at(g, j), 1))), 1);
      j = 0;
      for (; j + 4 <= u; j += 4) forwardCols(x, g, s, h, out, u, j, 4, act);
      for (; j < u; j++) forwardCols(x, g, s, h, out, u, j, 1, act);
    }
    if (mask != 0) {
      blendMasked(hn, hp, at(mask, t * batch), rows, u);
      carryRowsFrom(hn, hp, u, rows, batch);
    }
  }
}

@inline function forwardCols(x: usize, g: usize, s: usize, h: usize, out: usize, u: i32, j: i32, w: i32, act: i32): void {
  const z = ld(at(s, j), w);
  const r = ld(at(s, u + j), w);
  const rH = ld(at(g, 2 * u + j), w);
  const c = activate(act, f32x4.add(ld(at(x, 2 * u + j), w), f32x4.mul(r, rH)));
  st(at(s, 2 * u + j), c, w);
  st(at(s, 3 * u + j), rH, w);
  st(at(out, j), f32x4.add(c, f32x4.mul(z, f32x4.sub(ld(at(h, j), w), c))), w);
}

/**
 * Backward through time. `states` is `[time + 1, batch, u]` (initial state first), `dy` the
 * gradient of every step's state `[time, batch, u]`. Writes dProjection (`[time, batch, 3u]`,
 * or summed over steps into `[batch, 3u]` when `constant`), the initial state's gradient into
 * `carry` (`[batch, u]`), dU and db'. `dRecurrent` holds `[time, batch, 3u]`; `work` needs
 * `2·batch·u + batch·3u` floats.
 */
export function gruResetAfterBackward(
  time: i32, batch: i32, units: i32,
  dy: usize, mask: usize, active: usize, states: usize, saved: usize,
  kernel: usize, hasBias: i32,
  dProjection: usize, constant: i32,
  dRecurrent: usize, carry: usize, dKernel: usize, dBias: usize,
  work: usize, act: i32, recAct: i32,
): void {
  // The default activations get their own copy of the loops (see `activate`).
  if (act == TANH && recAct == SIGMOID) gruResetAfterBackwardOf(time, batch, units, dy, mask, active, states, saved, kernel, hasBias, dProjection, constant, dRecurrent, carry, dKernel, dBias, work, TANH, SIGMOID);
  else gruResetAfterBackwardOf(time, batch, units, dy, mask, active, states, saved, kernel, hasBias, dProjection, constant, dRecurrent, carry, dKernel, dBias, work, act, recAct);
}

@inline function gruResetAfterBackwardOf(
  time: i32, batch: i32, units: i32,
  dy: usize, mask: usize, active: usize, states: usize, saved: usize,
  kernel: usize, hasBias: i32,
  dProjection: usize, constant: i32,
  dRecurrent: usize, carry: usize, dKernel: usize, dBias: usize,
  work: usize, act: i32, recAct: i32,
): void {
  const u = units;
  const g3 = 3 * u;
  const slotSize = batch * u;
  const dNew = work;
  const dStep = mask != 0 ? at(work, slotSize) : dNew;
  const dProjStep = at(work, 2 * slotSize);
  zero(carry, slotSize);
  if (constant) zero(dProjection, batch * g3);
  // The recurrent kernel packed once for the per-step products (in the parameter gradient's
  // memory, written only after the time loop; 0 when it does not fit: units not a multiple of 8).
  const packedKernel = packTransposedB(g3, u, kernel, g3, dKernel, u * g3);
  for (let t = time - 1; t >= 0; t--) {
    const fused = mask == 0;
    // Without a mask the step's gradient dy + carry is read inside the loops (no separate pass),
    // and the carry restarts from this step's contributions.
    if (!fused) startBackwardStep(at(dy, t * slotSize), carry, dNew, dStep, at(mask, t * batch), batch, u);
    const dt = fused ? at(dy, t * slotSize) : dStep;
    const hp = at(states, t * slotSize);
    const sv = at(saved, t * batch * 4 * u);
    const dRec = at(dRecurrent, t * batch * g3);
    const dP = constant ? dProjStep : at(dProjection, t * batch * g3);
    const rows = activeRowsAt(active, t, batch);
    for (let b = 0; b < rows; b++) {
      const s = at(sv, b * 4 * u);
      const h = at(hp, b * u);
      const d = at(dt, b * u);
      const dr = at(dRec, b * g3);
      const dp = at(dP, b * g3);
      const c = at(carry, b * u);
      let j = 0;
      if (fused) {
        for (; j + 4 <= u; j += 4) backwardCols(true, s, h, d, dr, dp, c, u, j, 4, act, recAct);
        for (; j < u; j++) backwardCols(true, s, h, d, dr, dp, c, u, j, 1, act, recAct);
      } else {
        for (; j + 4 <= u; j += 4) backwardCols(false, s, h, d, dr, dp, c, u, j, 4, act, recAct);
        for (; j < u; j++) backwardCols(false, s, h, d, dr, dp, c, u, j, 1, act, recAct);
      }
    }
    matmulTransBAddPacked(rows, g3, u, dRec, g3, kernel, g3, packedKernel, carry, u);
    if (constant) addInto(dProjection, dProjStep, rows * g3);
    else zeroRowsFrom(dP, g3, rows, batch);
  }
  // With skipped rows, the parameter gradient runs over the computed rows only (packed in place:
  // neither array is read after this).
  const rowCount = packComputedRows(dRecurrent, dRecurrent, g3, states, u, batch, time, active);
  zero(dKernel, u * g3);
  matmulTransAAdd(u, rowCount, g3, states, u, dRecurrent, g3, dKernel, g3);
  if (hasBias) columnSums(dBias, dRecurrent, g3, rowCount, g3);
}

// `fused`: d is the step's dy and c the carry from the next step (their sum is the gradient),
// and c is overwritten; otherwise d is the masked gradient and c accumulates.
@inline function backwardCols(
  fused: bool, s: usize, h: usize, d: usize, dr: usize, dp: usize, c: usize, u: i32, j: i32, w: i32, act: i32,
  recAct: i32,
): void {
  const z = ld(at(s, j), w);
  const r = ld(at(s, u + j), w);
  const cand = ld(at(s, 2 * u + j), w);
  const rH = ld(at(s, 3 * u + j), w);
  const carried = ld(at(c, j), w);
  const dn = fused ? f32x4.add(ld(at(d, j), w), carried) : ld(at(d, j), w);
  const dCand = f32x4.mul(f32x4.mul(dn, f32x4.sub(one(), z)), derivative(act, cand));
  const dZ = f32x4.mul(f32x4.mul(dn, f32x4.sub(ld(at(h, j), w), cand)), derivative(recAct, z));
  const dR = f32x4.mul(f32x4.mul(dCand, rH), derivative(recAct, r));
  st(at(dr, j), dZ, w);
  st(at(dr, u + j), dR, w);
  st(at(dr, 2 * u + j), f32x4.mul(dCand, r), w);
  st(at(dp, j), dZ, w);
  st(at(dp, u + j), dR, w);
  st(at(dp, 2 * u + j), dCand, w);
  st(at(c, j), fused ? f32x4.mul(dn, z) : f32x4.add(carried, f32x4.mul(dn, z)), w);
}
