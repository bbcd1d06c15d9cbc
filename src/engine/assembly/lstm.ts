// LSTM, gate order i, f, c, o (src/recurrence/kernels/lstm.ts):
//   [z_i, z_f, z_g, z_o] = x·W + b + h·U;  i, f, o = f_r(z);  g = f(z_g)
//   c' = f ⊙ c + i ⊙ g;  h' = o ⊙ f(c')
// States: h then c, each `[slots, batch, u]`, the c block right after the h block.
// Saved per step, [batch, 5u]: i | f | g | o | f(c').
import { matmulAdd, matmulTransAAdd, matmulTransBAddPacked, packTransposedB } from './matmul';
import {
  activate, activeRowsAt, addInto, at, blendMasked, carryRowsFrom, packComputedRows, copyRows, derivative, ld, splat, st,
  startBackwardStep, zero, zeroRowsFrom, SIGMOID, TANH,
} from './elementwise';

export function lstmForward(
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
  if (act == TANH && recAct == SIGMOID) lstmForwardOf(time, batch, units, projection, projectionStride, mask, active, states, ring, saved, savedStride, kernel, _unused, gates, TANH, SIGMOID);
  else lstmForwardOf(time, batch, units, projection, projectionStride, mask, active, states, ring, saved, savedStride, kernel, _unused, gates, act, recAct);
}

@inline function lstmForwardOf(
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
  const g4 = 4 * u;
  const slotSize = batch * u;
  const cStates = at(states, (ring ? 2 : time + 1) * slotSize);
  for (let t = 0; t < time; t++) {
    const previous = (ring ? t & 1 : t) * slotSize;
    const next = (ring ? (t + 1) & 1 : t + 1) * slotSize;
    const hp = at(states, previous);
    const hn = at(states, next);
    const cp = at(cStates, previous);
    const cn = at(cStates, next);
    const rows = activeRowsAt(active, t, batch);
    copyRows(gates, g4, at(projection, t * projectionStride), g4, rows, g4);
    matmulAdd(rows, u, g4, hp, u, kernel, g4, gates, g4);
    const st0 = at(saved, t * savedStride);
    for (let b = 0; b < rows; b++) {
      const g = at(gates, b * g4);
      const s = at(st0, b * 5 * u);
      const c = at(cp, b * u);
      const ho = at(hn, b * u);
      const co = at(cn, b * u);
      let j = 0;
      for (; j + 4 <= u; j += 4) forwardCols(g, s, c, ho, co, u, j, 4, act, recAct);
      for (; j < u; j++) forwardCols(g, s, c, ho, co, u, j, 1, act, recAct);
    }
    if (mask != 0) {
      blendMasked(hn, hp, at(mask, t * batch), rows, u);
      blendMasked(cn, cp, at(mask, t * batch), rows, u);
      carryRowsFrom(hn, hp, u, rows, batch);
      carryRowsFrom(cn, cp, u, rows, batch);
    }
  }
}

@inline function forwardCols(g: usize, s: usize, c: usize, ho: usize, co: usize, u: i32, j: i32, w: i32, act: i32, recAct: i32): void {
  const i = activate(recAct, ld(at(g, j), w));
  const f = activate(recAct, ld(at(g, u + j), w));
  const gg = activate(act, ld(at(g, 2 * u + j), w));
  const o = activate(recAct, ld(at(g, 3 * u + j), w));
  const cNew = f32x4.add(f32x4.mul(f, ld(at(c, j), w)), f32x4.mul(i, gg));
  const ac = activate(act, cNew);
  st(at(s, j), i, w);
  st(at(s, u + j), f, w);
  st(at(s, 2 * u + j), gg, w);
  st(at(s, 3 * u + j), o, w);
  st(at(s, 4 * u + j), ac, w);
  st(at(co, j), cNew, w);
  st(at(ho, j), f32x4.mul(o, ac), w);
}

/** Backward through time; see gruResetAfterBackward for the arguments. `work`: 4·batch·u + batch·4u. */
export function lstmBackward(
  time: i32, batch: i32, units: i32,
  dy: usize, mask: usize, active: usize, states: usize, saved: usize,
  kernel: usize, _flag: i32,
  dProjection: usize, constant: i32,
  dRecurrent: usize, carry: usize, dKernel: usize, _dUnused: usize,
  work: usize, act: i32, recAct: i32,
): void {
  // The default activations get their own copy of the loops (see `activate`).
  if (act == TANH && recAct == SIGMOID) lstmBackwardOf(time, batch, units, dy, mask, active, states, saved, kernel, _flag, dProjection, constant, dRecurrent, carry, dKernel, _dUnused, work, TANH, SIGMOID);
  else lstmBackwardOf(time, batch, units, dy, mask, active, states, saved, kernel, _flag, dProjection, constant, dRecurrent, carry, dKernel, _dUnused, work, act, recAct);
}

@inline function lstmBackwardOf(
  time: i32, batch: i32, units: i32,
  dy: usize, mask: usize, active: usize, states: usize, saved: usize,
  kernel: usize, _flag: i32,
  dProjection: usize, constant: i32,
  dRecurrent: usize, carry: usize, dKernel: usize, _dUnused: usize,
  work: usize, act: i32, recAct: i32,
): void {
  const u = units;
  const g4 = 4 * u;
  const slotSize = batch * u;
  const dyC = at(dy, time * slotSize);
  const cStates = at(states, (time + 1) * slotSize);
  const carryH = carry;
  const carryC = at(carry, slotSize);
  const dNewH = work;
  const dNewC = at(work, slotSize);
  const dStepH = mask != 0 ? at(work, 2 * slotSize) : dNewH;
  const dStepC = mask != 0 ? at(work, 3 * slotSize) : dNewC;
  zero(carry, 2 * slotSize);
  if (constant) zero(dProjection, batch * g4);
  // The gradient of the gate pre-activations is the projection's gradient: written there
  // directly, and kept in dRecurrent only when the projection's is summed over steps.
  const dGates = constant ? dRecurrent : dProjection;
  // The recurrent kernel packed once for the per-step products (in the parameter gradient's
  // memory, written only after the time loop; 0 when it does not fit: units not a multiple of 8).
  const packedKernel = packTransposedB(g4, u, kernel, g4, dKernel, u * g4);
  for (let t = time - 1; t >= 0; t--) {
    const cp = at(cStates, t * slotSize);
    const sv = at(saved, t * batch * 5 * u);
    const dRec = at(dGates, t * batch * g4);
    const rows = activeRowsAt(active, t, batch);
    if (mask == 0) {
      // The step's gradient is dy + carry: read inside the loop instead of in a separate pass.
      backwardRows(true, at(dy, t * slotSize), at(dyC, t * slotSize), sv, cp, dRec, carryH, carryC, batch, u, act, recAct);
    } else {
      const m = at(mask, t * batch);
      startBackwardStep(at(dy, t * slotSize), carryH, dNewH, dStepH, m, batch, u);
      startBackwardStep(at(dyC, t * slotSize), carryC, dNewC, dStepC, m, batch, u);
      backwardRows(false, dStepH, dStepC, sv, cp, dRec, carryH, carryC, rows, u, act, recAct);
    }
    matmulTransBAddPacked(rows, g4, u, dRec, g4, kernel, g4, packedKernel, carryH, u);
    if (constant) addInto(dProjection, dRec, rows * g4);
    else zeroRowsFrom(dRec, g4, rows, batch);
  }
  // With skipped rows, the parameter gradient runs over the computed rows only, packed into
  // dRecurrent (in place when it holds the gates' gradient) and in place in the h states (not
  // read after this).
  const rowCount = packComputedRows(dRecurrent, dGates, g4, states, u, batch, time, active);
  const dG = active != 0 ? dRecurrent : dGates;
  zero(dKernel, u * g4);
  matmulTransAAdd(u, rowCount, g4, states, u, dG, g4, dKernel, g4);
}

// One step's gate gradients, row by row. With `fused` (no mask), dh and dc are the step's dy and
// the carries hold the gradient flowing back from the next step: their sum is this step's
// gradient, and the carries restart from this step's contributions (carryH at 0, for the
// recurrent product added after). Otherwise dh and dc are the masked gradients
// (startBackwardStep) and carryC already holds the masked-out part.
@inline function backwardRows(
  fused: bool, dh: usize, dc: usize, sv: usize, cp: usize, dRec: usize, carryH: usize, carryC: usize,
  batch: i32, u: i32, act: i32, recAct: i32,
): void {
  for (let b = 0; b < batch; b++) {
    const s = at(sv, b * 5 * u);
    const c = at(cp, b * u);
    const dhb = at(dh, b * u);
    const dcb = at(dc, b * u);
    const dr = at(dRec, b * 4 * u);
    const ch = at(carryH, b * u);
    const cc = at(carryC, b * u);
    let j = 0;
    for (; j + 4 <= u; j += 4) backwardCols(fused, s, c, dhb, dcb, dr, ch, cc, u, j, 4, act, recAct);
    for (; j < u; j++) backwardCols(fused, s, c, dhb, dcb, dr, ch, cc, u, j, 1, act, recAct);
  }
}

@inline function backwardCols(
  fused: bool, s: usize, c: usize, dh: usize, dc: usize, dr: usize, ch: usize, cc: usize, u: i32, j: i32, w: i32,
  act: i32, recAct: i32,
): void {
  const i = ld(at(s, j), w);
  const f = ld(at(s, u + j), w);
  const g = ld(at(s, 2 * u + j), w);
  const o = ld(at(s, 3 * u + j), w);
  const ac = ld(at(s, 4 * u + j), w);
  let dH = ld(at(dh, j), w);
  let dC = ld(at(dc, j), w);
  if (fused) {
    dH = f32x4.add(dH, ld(at(ch, j), w));
    dC = f32x4.add(dC, ld(at(cc, j), w));
    st(at(ch, j), splat(0), w);
  }
  const dCT = f32x4.add(dC, f32x4.mul(f32x4.mul(dH, o), derivative(act, ac)));
  st(at(dr, j), f32x4.mul(f32x4.mul(dCT, g), derivative(recAct, i)), w);
  st(at(dr, u + j), f32x4.mul(f32x4.mul(dCT, ld(at(c, j), w)), derivative(recAct, f)), w);
  st(at(dr, 2 * u + j), f32x4.mul(f32x4.mul(dCT, i), derivative(act, g)), w);
  st(at(dr, 3 * u + j), f32x4.mul(f32x4.mul(dH, ac), derivative(recAct, o)), w);
  const dPrevious = f32x4.mul(dCT, f);
  st(at(cc, j), fused ? dPrevious : f32x4.add(ld(at(cc, j), w), dPrevious), w);
}
