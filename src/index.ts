/**
 * tfjs-warmup-rnn: warmup-capable recurrent layers for TensorFlow.js.
 *
 * Recurrent layers (BRC, nBRC, GRU, LSTM) that run on a fused, fast recurrence on every tfjs
 * backend, and the warmup method of Lambrechts et al. (2023, arXiv 2106.01001), which makes a
 * recurrent network multistable before training so that it can learn long time dependencies.
 *
 * @packageDocumentation
 */
import './register';

export { WarmupRnnError, InvalidArgumentError, ShapeError, NonFiniteError, ConcurrentUseError } from './errors';

export { BRCCell, type BRCCellArgs } from './cells/brc_cell';
export { NBRCCell, type NBRCCellArgs } from './cells/nbrc_cell';
export { GRUCell, type GRUCellArgs } from './cells/gru_cell';
export { LSTMCell, type LSTMCellArgs, type ChronoArgs } from './cells/lstm_cell';
export type { FusedCellArgs } from './cells/fused_cell';
export type {
  Initializer,
  InitializerIdentifier,
  Regularizer,
  RegularizerIdentifier,
  Constraint,
  ConstraintIdentifier,
  KerasObjectIdentifier,
} from './cells/keras_objects';
export { BlockOrthogonal, type BlockOrthogonalArgs } from './cells/initializers/block_orthogonal';
export { ChronoBias, type ChronoBiasArgs } from './cells/initializers/chrono_bias';
export type { RecurrentActivation, RecurrentActivationName } from './recurrence/activation';

export type { RecurrentLayerArgs, ApplyInputs } from './layers/fused_rnn';
export { BRC, brc, type BRCLayerArgs } from './layers/brc';
export { NBRC, nbrc, type NBRCLayerArgs } from './layers/nbrc';
export { GRU, gru, type GRULayerArgs } from './layers/gru';
export { LSTM, lstm, type LSTMLayerArgs } from './layers/lstm';
export { DoubleRNN, doubleRNN, type DoubleRNNLayerArgs, type DoubleRNNCellKind } from './layers/double_rnn';
export { isWarmupCapable, type WarmupCapable, type ConstantInputOptions } from './layers/warmup_capable';

export { vaa, vaaAsync, vaaStar } from './multistability/index';
export { measureVaa, type MeasureVaaOptions, type VaaMeasurement } from './multistability/measure_vaa';
export type { SequenceInput } from './multistability/sequence_inputs';

export {
  ready,
  engineStatus,
  setEngineMode,
  getEngineMode,
  type EngineMode,
  type EngineStatus,
} from './engine/engine_loader';

export { warmup } from './warmup/warmup';
export { WARMUP_DEFAULTS, type WarmupMode, type WarmupOptions } from './warmup/warmup_options';
export type { WarmupReport, WarmupStepInfo, WarmupLayerProgress, WarmupLayerVerdict } from './warmup/warmup_report';

export { findFixedPoints } from './attractors/find_fixed_points';
export {
  FIXED_POINT_DEFAULTS,
  type FindFixedPointsOptions,
  type ConstantInputChoice,
} from './attractors/fixed_point_options';
export type { FixedPoint, FixedPointAnalysis, FixedPointKind } from './attractors/fixed_point_analysis';
export type { Complex, JacobianMode } from './attractors/eigen_spectrum';
export type { StateBlock } from './attractors/recurrent_system';
export type { StopReason } from './attractors/minimise_speed';
export {
  countAttractors,
  type CountAttractorsOptions,
  type AttractorCount,
  type Basin,
} from './attractors/count_attractors';
export { landscapeSvg, type LandscapeSvgOptions } from './attractors/landscape_svg';
