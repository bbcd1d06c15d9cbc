// GRU, reset gate before the recurrent product (src/recurrence/kernels/gru_reset_before.ts):
//   z, r = f_r(x_zr + h·U_zr);  s = r ⊙ h;  ĥ = f(x_h + s·U_h);  h' = ĥ + z ⊙ (h − ĥ)
// U = [U_zr | U_h] is [u, 3u]. Saved per step, [batch, 4u]: z | r | ĥ | s.
import { matmulAdd, matmulTransAAdd, matmulTransBAddPacked, packTransposedB } from './matmul';
import {
  activate, activeRowsAt, addInto, at, blendMasked, carryRowsFrom, compactSteps, packComputedRows, copyRows, derivative, ld, one, st,
  startBackwardStep, zero, zeroRowsFrom, SIGMOID, TANH,
} from './elementwise';

export function gruResetBeforeForward(
  time: i32, batch: i32, units: i32,
  projection: usize, projectionStride: i32,
  mask: usize, active: usize,
  states: usize, ring: i32,
  saved: usize, savedStride: i32,
  kernel: usize, _unused: usize,
  gates: usize,
  act: i32, recAct: i32,
): void {
  // The default activations get their own copy of the loops (see `activate`).
  if (act == TANH && recAct == SIGMOID) gruResetBeforeForwardOf(time, batch, units, projection, projectionStride, mask, active, states, ring, saved, savedStride, kernel, _unused, gates, TANH, SIGMOID);
  else gruResetBeforeForwardOf(time, batch, units, projection, projectionStride, mask, active, states, ring, saved, savedStride, kernel, _unused, gates, act, recAct);
}

@inline function gruResetBeforeForwardOf(
  time: i32, batch: i32, units: i32,
  projection: usize, projectionStride: i32,
  mask: usize, active: usize,
  states: usize, ring: i32,
  saved: usize, savedStride: i32,
  kernel: usize, _unused: usize,
  gates: usize,
  act: i32, recAct: i32,
): void {
  const u = units;
  const g3 = 3 * u;
  const s4 = 4 * u;
  const slotSize = batch * u;
  for (let t = 0; t < time; t++) {
    const hp = at(states, (ring ? t & 1 : t) * slotSize);
    const hn = at(states, (ring ? (t + 1) & 1 : t + 1) * slotSize);
    const rows = activeRowsAt(active, t, batch);
    copyRows(gates, g3, at(projection, t * projectionStride), g3, rows, g3);
    matmulAdd(rows, u, 2 * u, hp, u, kernel, g3, gates, g3);
    const st0 = at(saved, t * savedStride);
    for (let b = 0; b < rows; b++) {
      const g = at(gates, b * g3);
      const s = at(st0, b * s4);
      const h = at(hp, b * u);
      let j = 0;
      for (; j + 4 <= 2 * u; j += 4) st(at(s, j), activate(recAct, ld(at(g, j), 4)), 4);
      for (; j < 2 * u; j++) st(at(s, j), activate(recAct, ld(at(g, j), 1)), 1);
      j = 0;
      for (; j + 4 <= u; j += 4) st(at(s, 3 * u + j), f32x4.mul(ld(at(s, u + j), 4), ld(at(h, j), 4)), 4);
      for (; j < u; j++) st(at(s, 3 * u + j), f32x4.mul(ld(at(s, u + j), 1), ld(at(h, j), 1)), 1);
    }
    // (r ⊙ h)·U_h, read from the saved block (row stride 4u) into the candidate columns.
    matmulAdd(rows, u, u, at(st0, 3 * u), s4, at(kernel, 2 * u), g3, at(gates, 2 * u), g3);
    for (let b = 0; b < rows; b++) {
      const g = at(gates, b * g3);
      const s = at(st0, b * s4);
      const h = at(hp, b * u);
      const out = at(hn, b * u);
      let j = 0;
      for (; j + 4 <= u; j += 4) candidateCols(g, s, h, out, u, j, 4, act);
      for (; j < u; j++) candidateCols(g, s, h, out, u, j, 1, act);
    }
    if (mask != 0) {
      blendMasked(hn, hp, at(mask, t * batch), rows, u);
      carryRowsFrom(hn, hp, u, rows, batch);
    }
  }
}

@inline function candidateCols(g: usize, s: usize, h: usize, out: usize, u: i32, j: i32, w: i32, act: i32): void {
  const c = activate(act, ld(at(g, 2 * u + j), w));
  st(at(s, 2 * u + j), c, w);
  st(at(out, j), f32x4.add(c, f32x4.mul(ld(at(s, j), w), f32x4.sub(ld(at(h, j), w), c))), w);
}

/** Backward through time; see gruResetAfterBackward. `work`: 3·batch·u + batch·3u. */
export function gruResetBeforeBackward(
  time: i32, batch: i32, units: i32,
  dy: usize, mask: usize, active: usize, states: usize, saved: usize,
  kernel: usize, _flag: i32,
  dProjection: usize, constant: i32,
  dRecurrent: usize, carry: usize, dKernel: usize, _dUnused: usize,
  work: usize, act: i32, recAct: i32,
): void {
  // The default activations get their own copy of the loops (see `activate`).
  if (act == TANH && recAct == SIGMOID) gruResetBeforeBackwardOf(time, batch, units, dy, mask, active, states, saved, kernel, _flag, dProjection, constant, dRecurrent, carry, dKernel, _dUnused, work, TANH, SIGMOID);
  else gruResetBeforeBackwardOf(time, batch, units, dy, mask, active, states, saved, kernel, _flag, dProjection, constant, dRecurrent, carry, dKernel, _dUnused, work, act, recAct);
}

@inline function gruResetBeforeBackwardOf(
  time: i32, batch: i32, units: i32,
  dy: usize, mask: usize, active: usize, states: usize, saved: usize,
  kernel: usize, _flag: i32,
  dProjection: usize, constant: i32,
  dRecurrent: usize, carry: usize, dKernel: usize, _dUnused: usize,
  work: usize, act: i32, recAct: i32,
): void {
  const u = units;
  const g3 = 3 * u;
  const s4 = 4 * u;
  const slotSize = batch * u;
  const dNew = work;
  const dStep = mask != 0 ? at(work, slotSize) : dNew;
  const dReset = at(work, 2 * slotSize);
  zero(carry, slotSize);
  if (constant) zero(dProjection, batch * g3);
  // The gradient of the gate pre-activations is the projection's gradient: written there
  // directly, and kept in dRecurrent only when the projection's is summed over steps.
  const dGates = constant ? dRecurrent : dProjection;
  // The recurrent kernel packed once for the per-step products (in the parameter gradient's
  // memory, written only after the time loop; 0 when it does not fit: units not a multiple of 8).
  const packedGates = packTransposedB(2 * u, u, kernel, g3, dKernel, 2 * u * u);
  const packedCandidate = packTransposedB(u, u, at(kernel, 2 * u), g3, at(dKernel, 2 * u * u), u * u);
  for (let t = time - 1; t >= 0; t--) {
    const fused = mask == 0;
    // Without a mask the step's gradient dy + carry is read inside the loops (no separate pass),
    // and the carry restarts from this step's contributions.
    if (!fused) startBackwardStep(at(dy, t * slotSize), carry, dNew, dStep, at(mask, t * batch), batch, u);
    const dt = fused ? at(dy, t * slotSize) : dStep;
    const hp = at(states, t * slotSize);
    const sv = at(saved, t * batch * s4);
    const dRec = at(dGates, t * batch * g3);
    const rows = activeRowsAt(active, t, batch);
    for (let b = 0; b < rows; b++) {
      const s = at(sv, b * s4);
      const d = at(dt, b * u);
      const dr = at(dRec, b * g3);
      const c = at(carry, b * u);
      let j = 0;
      if (fused) {
        for (; j + 4 <= u; j += 4) candidateBackCols(true, s, d, c, dr, u, j, 4, act);
        for (; j < u; j++) candidateBackCols(true, s, d, c, dr, u, j, 1, act);
      } else {
        for (; j + 4 <= u; j += 4) candidateBackCols(false, s, d, c, dr, u, j, 4, act);
        for (; j < u; j++) candidateBackCols(false, s, d, c, dr, u, j, 1, act);
      }
    }
    // d(r ⊙ h) = dĥ_pre · U_hᵀ
    zero(dReset, rows * u);
    matmulTransBAddPacked(rows, u, u, at(dRec, 2 * u), g3, at(kernel, 2 * u), g3, packedCandidate, dReset, u);
    for (let b = 0; b < rows; b++) {
      const s = at(sv, b * s4);
      const h = at(hp, b * u);
      const d = at(dt, b * u);
      const dr = at(dRec, b * g3);
      const ds = at(dReset, b * u);
      const c = at(carry, b * u);
      let j = 0;
      if (fused) {
        for (; j + 4 <= u; j += 4) gateBackCols(true, s, h, d, dr, ds, c, u, j, 4, recAct);
        for (; j < u; j++) gateBackCols(true, s, h, d, dr, ds, c, u, j, 1, recAct);
      } else {
        for (; j + 4 <= u; j += 4) gateBackCols(false, s, h, d, dr, ds, c, u, j, 4, recAct);
        for (; j < u; j++) gateBackCols(false, s, h, d, dr, ds, c, u, j, 1, recAct);
      }
    }
    matmulTransBAddPacked(rows, 2 * u, u, dRec, g3, kernel, g3, packedGates, carry, u);
    if (constant) addInto(dProjection, dRec, rows * g3);
    else zeroRowsFrom(dRec, g3, rows, batch);
  }
  // With skipped rows, the parameter gradient runs over the computed rows only, packed into
  // dRecurrent (in place when it holds the gates' gradient) and in place in states and saved
  // (neither is read after this; the skipped rows' saved values were never written).
  const rowCount = packComputedRows(dRecurrent, dGates, g3, states, u, batch, time, active);
  if (active != 0) compactSteps(saved, saved, s4, batch, time, active);
  const dG = active != 0 ? dRecurrent : dGates;
  zero(dKernel, u * g3);
  matmulTransAAdd(u, rowCount, 2 * u, states, u, dG, g3, dKernel, g3);
  matmulTransAAdd(u, rowCount, u, at(saved, 3 * u), s4, at(dG, 2 * u), g3, at(dKernel, 2 * u), g3);
}

// `fused`: d is the step's dy and `carry` the gradient from the next step (their sum is the
// step's gradient), and gateBackCols overwrites the carry; otherwise d is the masked gradient and
// the carry accumulates.
@inline function candidateBackCols(
  fused: bool, s: usize, d: usize, carry: usize, dr: usize, u: i32, j: i32, w: i32, act: i32,
): void {
  const z = ld(at(s, j), w);
  const c = ld(at(s, 2 * u + j), w);
  const dn = fused ? f32x4.add(ld(at(d, j), w), ld(at(carry, j), w)) : ld(at(d, j), w);
  st(at(dr, 2 * u + j), f32x4.mul(f32x4.mul(dn, f32x4.sub(one(), z)), derivative(act, c)), w);
}

@inline function gateBackCols(
  fused: bool, s: usize, h: usize, d: usize, dr: usize, ds: usize, c: usize, u: i32, j: i32, w: i32, recAct: i32,
): void {
  const z = ld(at(s, j), w);
  const r = ld(at(s, u + j), w);
  const cand = ld(at(s, 2 * u + j), w);
  const hv = ld(at(h, j), w);
  const carried = ld(at(c, j), w);
  const dn = fused ? f32x4.add(ld(at(d, j), w), carried) : ld(at(d, j), w);
  const dsv = ld(at(ds, j), w);
  st(at(dr, j), f32x4.mul(f32x4.mul(dn, f32x4.sub(hv, cand)), derivative(recAct, z)), w);
  st(at(dr, u + j), f32x4.mul(f32x4.mul(dsv, hv), derivative(recAct, r)), w);
  const dPrevious = f32x4.add(f32x4.mul(dn, z), f32x4.mul(dsv, r));
  st(at(c, j), fused ? dPrevious : f32x4.add(carried, dPrevious), w);
}
