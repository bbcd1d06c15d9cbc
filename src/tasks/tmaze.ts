import { InvalidArgumentError } from '../errors';
import type { Seed, SeededRandom } from '../utils/seeded_random';
import { checkInteger, checkOptions, checkSeed, describeValue, rngFromSeedOption } from '../utils/validate_options';

/**
 * Discount factor of the T-Maze benchmark (see the
 * [method guide](../../docs/method.md#t-maze)).
 */
export const TMAZE_GAMMA = 0.98;

/** Reward for the correct turn at the junction. */
export const TMAZE_GOAL_REWARD = 4;

/** Reward for a wrong turn at the junction or for bumping into a wall. */
export const TMAZE_PENALTY = -0.1;

/** Action indices: right 0, up 1, left 2, down 3. */
export const TMAZE_ACTIONS = Object.freeze({ right: 0, up: 1, left: 2, down: 3 } as const);

/** An action index: 0 right, 1 up, 2 left, 3 down (see {@link TMAZE_ACTIONS}). */
export type TMazeAction = 0 | 1 | 2 | 3;

/** Index of the hot entry of each observation: up-cue 0, down-cue 1, corridor 2, junction 3. */
export const TMAZE_OBSERVATIONS = Object.freeze({ upCue: 0, downCue: 1, corridor: 2, junction: 3 } as const);

/**
 * Probabilities of the reference implementation's exploration policy, indexed by action:
 * right 1/2, up 1/6, left 1/6, down 1/6 (see {@link TMaze.explorationAction}).
 */
export const TMAZE_EXPLORATION_PROBABILITIES: readonly number[] = Object.freeze([1 / 2, 1 / 6, 1 / 6, 1 / 6]);

/** The cue of an episode: which way the goal is at the junction. */
export type TMazeCue = 'up' | 'down';

/** Options of {@link TMaze}. */
export interface TMazeOptions {
  /** Corridor length L (≥ 2, as in the reference): the junction is L cells right of the start. Required. */
  length: number;
  /**
   * Seed of the random cue drawn by `reset()` without an argument and of
   * {@link TMaze.explorationAction}. Default: a fresh random seed.
   */
  seed?: Seed;
}

/** What {@link TMaze.step} returns. */
export interface TMazeStep {
  /** The next observation: a one-hot array of length 4 (see {@link TMAZE_OBSERVATIONS}). */
  observation: number[];
  /** +4, −0.1 or 0 (see {@link TMaze}). */
  reward: number;
  /** `terminated || truncated`: the episode is over; call `reset()` before the next `step()`. */
  done: boolean;
  /** The agent turned up or down at the junction (the episode really ended). */
  terminated: boolean;
  /** The horizon (3L − 1 steps) was reached without a turn at the junction. */
  truncated: boolean;
}

const OPTION_NAMES = ['length', 'seed'] as const;

function oneHot(index: number): number[] {
  const o = [0, 0, 0, 0];
  o[index] = 1;
  return o;
}

/**
 * The T-Maze environment ([method guide](../../docs/method.md#t-maze); Bakker 2001; the paper's
 * reinforcement-learning benchmark), deterministic, as in the paper's reference implementation.
 *
 * **Geometry.** A corridor of cells `0 … L`; the agent starts in cell 0; cell `L` is the
 * junction, from which the agent can turn up or down. The goal is up or down (the *cue*), chosen
 * by `reset()`.
 *
 * **Observations** (one-hot of 4): up-cue `[1,0,0,0]` or down-cue `[0,1,0,0]` in cell 0 (the cue is
 * visible in cell 0 only, at the start and whenever the agent walks back to it), corridor
 * `[0,0,1,0]` in cells `1 … L−1`, junction `[0,0,0,1]` at the junction, and also after the turn
 * that ends the episode.
 *
 * **Actions** right 0, up 1, left 2, down 3. **Transitions and rewards**, for one `step`:
 * - right in a corridor cell (`0 … L−1`): one cell right, reward 0;
 * - left in cells `1 … L`: one cell left, reward 0;
 * - left in cell 0, right at the junction, up or down in a corridor cell: bump into a wall,
 *   stay, reward −0.1;
 * - up or down at the junction: the episode ends (`terminated`), reward +4 if the turn matches
 *   the cue, −0.1 otherwise.
 *
 * **Horizon.** The episode also ends (`truncated`) after 3L − 1 steps. An optimal agent earns +4
 * in exactly L + 1 steps (L moves right, then the correct turn); see `isOptimalTMazePolicy`.
 * Returns are discounted with {@link TMAZE_GAMMA} = 0.98.
 *
 * @example
 * ```ts
 * import { TMaze, TMAZE_ACTIONS } from 'tfjs-warmup-rnn/tasks';
 *
 * const maze = new TMaze({ length: 10, seed: 0 });
 * let observation = maze.reset('up');      // [1, 0, 0, 0]: the cue says "up"
 * let step;
 * do {
 *   const atJunction = observation[3] === 1;
 *   step = maze.step(atJunction ? TMAZE_ACTIONS.up : TMAZE_ACTIONS.right);
 *   observation = step.observation;
 * } while (!step.done);                      // 11 steps, last reward +4
 * ```
 */
export class TMaze {
  /** Size of an observation vector (4). */
  static readonly observationSize = 4;
  /** Number of actions (4). */
  static readonly actionCount = 4;

  /** Size of an observation vector (4). */
  readonly observationSize = TMaze.observationSize;
  /** Number of actions (4). */
  readonly actionCount = TMaze.actionCount;
  /** Corridor length L: the junction is cell L. */
  readonly length: number;
  /** Maximum number of steps of an episode: 3L − 1. */
  readonly horizon: number;

  private readonly cueRng: SeededRandom;
  private readonly explorationRng: SeededRandom;
  private currentCue: TMazeCue | null = null;
  private cell = 0;
  private steps = 0;
  private over = false;

  constructor(options: TMazeOptions) {
    const fn = 'TMaze';
    const opts = checkOptions<TMazeOptions>(fn, options, OPTION_NAMES, ['length']);
    this.length = checkInteger(fn, 'length', opts.length, 2);
    checkSeed(fn, 'seed', opts.seed);
    const rng = rngFromSeedOption(fn, 'seed', opts.seed);
    this.cueRng = rng.child('cue');
    this.explorationRng = rng.child('exploration');
    this.horizon = 3 * this.length - 1;
  }

  /** The cue of the current episode (null before the first `reset()`). */
  get cue(): TMazeCue | null {
    return this.currentCue;
  }

  /** The agent's cell, 0 … L (L is the junction; it stays L after the final turn). */
  get position(): number {
    return this.cell;
  }

  /** Number of `step` calls since the last `reset()`. */
  get stepCount(): number {
    return this.steps;
  }

  /** Whether the current episode is over (or not started). */
  get done(): boolean {
    return this.over;
  }

  /**
   * Starts a new episode in cell 0 and returns the first observation (the cue).
   *
   * @param cue `'up'` or `'down'` to force the cue; default: drawn with probability 1/2 each
   *   from the maze's seeded stream.
   */
  reset(cue?: TMazeCue): number[] {
    if (cue !== undefined && cue !== 'up' && cue !== 'down') {
      throw new InvalidArgumentError(
        `TMaze.reset: cue must be 'up', 'down' or omitted, received ${describeValue(cue)}.`,
      );
    }
    this.currentCue = cue ?? (this.cueRng.random() < 0.5 ? 'up' : 'down');
    this.cell = 0;
    this.steps = 0;
    this.over = false;
    return this.observe();
  }

  /**
   * Takes one action (0 right, 1 up, 2 left, 3 down) and returns the next observation, the
   * reward and whether the episode is over. Throws before the first `reset()` and after the end
   * of an episode.
   */
  step(action: TMazeAction): TMazeStep {
    if (this.currentCue === null) {
      throw new InvalidArgumentError('TMaze.step: call reset() before the first step().');
    }
    if (this.over) {
      throw new InvalidArgumentError(
        `TMaze.step: the episode is over (after ${this.steps} steps); call reset() to start a new one.`,
      );
    }
    if (!Number.isInteger(action) || action < 0 || action > 3) {
      throw new InvalidArgumentError(
        `TMaze.step: action must be an integer in [0, 3] (0 right, 1 up, 2 left, 3 down), received ${describeValue(action)}.`,
      );
    }
    const L = this.length;
    let reward = 0;
    let terminated = false;
    if (this.cell < L) {
      if (action === TMAZE_ACTIONS.right) this.cell += 1;
      else if (action === TMAZE_ACTIONS.left && this.cell > 0) this.cell -= 1;
      else reward = TMAZE_PENALTY; // left in cell 0, or up/down in the corridor: a wall
    } else if (action === TMAZE_ACTIONS.left) {
      this.cell -= 1;
    } else if (action === TMAZE_ACTIONS.right) {
      reward = TMAZE_PENALTY; // the wall facing the junction
    } else {
      terminated = true;
      const turn: TMazeCue = action === TMAZE_ACTIONS.up ? 'up' : 'down';
      reward = turn === this.currentCue ? TMAZE_GOAL_REWARD : TMAZE_PENALTY;
    }
    this.steps += 1;
    const truncated = !terminated && this.steps >= this.horizon;
    this.over = terminated || truncated;
    return { observation: this.observe(), reward, done: this.over, terminated, truncated };
  }

  /**
   * An action drawn from the reference implementation's exploration distribution
   * ({@link TMAZE_EXPLORATION_PROBABILITIES}: right 1/2, each other action 1/6), from the maze's
   * seeded stream.
   */
  explorationAction(): TMazeAction {
    return this.explorationRng.categorical(TMAZE_EXPLORATION_PROBABILITIES) as TMazeAction;
  }

  private observe(): number[] {
    if (this.cell === 0) {
      return oneHot(this.currentCue === 'up' ? TMAZE_OBSERVATIONS.upCue : TMAZE_OBSERVATIONS.downCue);
    }
    return oneHot(this.cell < this.length ? TMAZE_OBSERVATIONS.corridor : TMAZE_OBSERVATIONS.junction);
  }
}
