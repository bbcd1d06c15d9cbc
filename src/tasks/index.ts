/**
 * Benchmarks of the warmup paper (see the
 * [method guide](../../docs/method.md#benchmark-tasks)), entry point `tfjs-warmup-rnn/tasks`:
 * data generators for copy-first-input and denoising, sequential / permuted MNIST from IDX
 * bytes, and the T-Maze environment. Browser-safe (no Node imports); the Node file loader for
 * MNIST lives in `tfjs-warmup-rnn/tasks/node`.
 *
 * @packageDocumentation
 */
export type { Seed } from '../utils/seeded_random';
export { copyFirstInput, type CopyFirstInputData, type CopyFirstInputOptions } from './copy_first_input';
export { DENOISING_DEFAULTS, denoising, type DenoisingData, type DenoisingOptions } from './denoising';
export { IDX_UNSIGNED_BYTE, parseIdx, type IdxArray } from './idx';
export { DEFAULT_MNIST_PERMUTATION_SEED, MNIST_CLASSES, MNIST_PIXELS, mnistPermutation } from './mnist_permutation';
export {
  sequentialMnist,
  type MnistPermutationOption,
  type SequentialMnistData,
  type SequentialMnistOptions,
} from './sequential_mnist';
export {
  TMAZE_ACTIONS,
  TMAZE_EXPLORATION_PROBABILITIES,
  TMAZE_GAMMA,
  TMAZE_GOAL_REWARD,
  TMAZE_OBSERVATIONS,
  TMAZE_PENALTY,
  TMaze,
  type TMazeAction,
  type TMazeCue,
  type TMazeOptions,
  type TMazeStep,
} from './tmaze';
export {
  isOptimalTMazePolicy,
  runTMazeEpisode,
  type TMazeEpisode,
  type TMazeHistory,
  type TMazePolicy,
} from './tmaze_policy';
export { SeededRandom, randomSeed, type StreamKey, type MutableArrayLike } from '../utils/seeded_random';
// The same error classes as the main entry (one shared chunk in the build), so `instanceof`
// works whichever entry a user imports them from.
export { WarmupRnnError, InvalidArgumentError, ShapeError, NonFiniteError } from '../errors';
