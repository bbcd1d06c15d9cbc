// Simple (Elman) RNN (src/recurrence/kernels/simple_rnn.ts): h' = f(x·W + b + h·U).
// Saved per step, [batch, u]: h' before masking.
import { matmulAdd, matmulTransAAdd, matmulTransBAddPacked, packTransposedB } from './matmul';
import {
  activate, activeRowsAt, addInto, at, blendMasked, carryRowsFrom, packComputedRows, copy, derivative, ld, splat, st,
  startBackwardStep, TANH, zero, zeroRowsFrom,
} from './elementwise';

export function simpleRnnForward(
  time: i32, batch: i32, units: i32,
  projection: usize, projectionStride: i32,
  mask: usize, active: usize,
  states: usize, ring: i32,
  saved: usize, savedStride: i32,
  kernel: usize, _unused: usize,
  gates: usize,
  act: i32, _recAct: i32,
): void {
  // The default activations get their own copy of the loops (see `activate`).
  if (act == TANH) simpleRnnForwardOf(time, batch, units, projection, projectionStride, mask, active, states, ring, saved, savedStride, kernel, _unused, gates, TANH, _recAct);
  else simpleRnnForwardOf(time, batch, units, projection, projectionStride, mask, active, states, ring, saved, savedStride, kernel, _unused, gates, act, _recAct);
}

@inline function simpleRnnForwardOf(
  time: i32, batch: i32, units: i32,
  projection: usize, projectionStride: i32,
  mask: usize, active: usize,
  states: usize, ring: i32,
  saved: usize, savedStride: i32,
  kernel: usize, _unused: usize,
  gates: usize,
  act: i32, _recAct: i32,
): void {
  const u = units;
  const slotSize = batch * u;
  for (let t = 0; t < time; t++) {
    const hp = at(states, (ring ? t & 1 : t) * slotSize);
    const hn = at(states, (ring ? (t + 1) & 1 : t + 1) * slotSize);
    const rows = activeRowsAt(active, t, batch);
    const n = rows * u;
    copy(gates, at(projection, t * projectionStride), n);
    matmulAdd(rows, u, u, hp, u, kernel, u, gates, u);
    const s = at(saved, t * savedStride);
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      const y = activate(act, ld(at(gates, i), 4));
      st(at(s, i), y, 4);
      st(at(hn, i), y, 4);
    }
    for (; i < n; i++) {
      const y = activate(act, ld(at(gates, i), 1));
      st(at(s, i), y, 1);
      st(at(hn, i), y, 1);
    }
    if (mask != 0) {
      blendMasked(hn, hp, at(mask, t * batch), rows, u);
      carryRowsFrom(hn, hp, u, rows, batch);
    }
  }
}

/** Backward through time; see gruResetAfterBackward. `work`: 2·batch·u. */
export function simpleRnnBackward(
  time: i32, batch: i32, units: i32,
  dy: usize, mask: usize, active: usize, states: usize, saved: usize,
  kernel: usize, _flag: i32,
  dProjection: usize, constant: i32,
  dRecurrent: usize, carry: usize, dKernel: usize, _dUnused: usize,
  work: usize, act: i32, _recAct: i32,
): void {
  // The default activations get their own copy of the loops (see `activate`).
  if (act == TANH) simpleRnnBackwardOf(time, batch, units, dy, mask, active, states, saved, kernel, _flag, dProjection, constant, dRecurrent, carry, dKernel, _dUnused, work, TANH, _recAct);
  else simpleRnnBackwardOf(time, batch, units, dy, mask, active, states, saved, kernel, _flag, dProjection, constant, dRecurrent, carry, dKernel, _dUnused, work, act, _recAct);
}

@inline function simpleRnnBackwardOf(
  time: i32, batch: i32, units: i32,
  dy: usize, mask: usize, active: usize, states: usize, saved: usize,
  kernel: usize, _flag: i32,
  dProjection: usize, constant: i32,
  dRecurrent: usize, carry: usize, dKernel: usize, _dUnused: usize,
  work: usize, act: i32, _recAct: i32,
): void {
  const u = units;
  const slotSize = batch * u;
  const dNew = work;
  const dStep = mask != 0 ? at(work, slotSize) : dNew;
  zero(carry, slotSize);
  if (constant) zero(dProjection, slotSize);
  // The gradient of the gate pre-activations is the projection's gradient: written there
  // directly, and kept in dRecurrent only when the projection's is summed over steps.
  const dGates = constant ? dRecurrent : dProjection;
  // The recurrent kernel packed once for the per-step products (in the parameter gradient's
  // memory, written only after the time loop; 0 when it does not fit: units not a multiple of 8).
  const packedKernel = packTransposedB(u, u, kernel, u, dKernel, u * u);
  for (let t = time - 1; t >= 0; t--) {
    const s = at(saved, t * slotSize);
    const dRec = at(dGates, t * slotSize);
    const rows = activeRowsAt(active, t, batch);
    const n = rows * u;
    let i = 0;
    if (mask == 0) {
      // The step's gradient dy + carry read here (no separate pass); the carry restarts at 0 for
      // the recurrent product added after.
      const d = at(dy, t * slotSize);
      for (; i + 4 <= slotSize; i += 4) fusedCols(d, carry, s, dRec, i, 4, act);
      for (; i < slotSize; i++) fusedCols(d, carry, s, dRec, i, 1, act);
    } else {
      startBackwardStep(at(dy, t * slotSize), carry, dNew, dStep, at(mask, t * batch), batch, u);
      for (; i + 4 <= n; i += 4) st(at(dRec, i), f32x4.mul(ld(at(dStep, i), 4), derivative(act, ld(at(s, i), 4))), 4);
      for (; i < n; i++) st(at(dRec, i), f32x4.mul(ld(at(dStep, i), 1), derivative(act, ld(at(s, i), 1))), 1);
    }
    matmulTransBAddPacked(rows, u, u, dRec, u, kernel, u, packedKernel, carry, u);
    if (constant) addInto(dProjection, dRec, n);
    else zeroRowsFrom(dRec, u, rows, batch);
  }
  // With skipped rows, the parameter gradient runs over the computed rows only, packed into
  // dRecurrent (in place when it holds the gates' gradient) and in place in states (not read
  // after this).
  const rowCount = packComputedRows(dRecurrent, dGates, u, states, u, batch, time, active);
  const dG = active != 0 ? dRecurrent : dGates;
  zero(dKernel, u * u);
  matmulTransAAdd(u, rowCount, u, states, u, dG, u, dKernel, u);
}

@inline function fusedCols(dy: usize, carry: usize, s: usize, dRec: usize, i: i32, w: i32, act: i32): void {
  const d = f32x4.add(ld(at(dy, i), w), ld(at(carry, i), w));
  st(at(carry, i), splat(0), w);
  st(at(dRec, i), f32x4.mul(d, derivative(act, ld(at(s, i), w))), w);
}
