import { InvalidArgumentError } from '../errors';
import { TMAZE_GAMMA, TMAZE_GOAL_REWARD, TMaze, type TMazeAction, type TMazeCue } from './tmaze';
import { checkInteger, describeValue } from '../utils/validate_options';

/**
 * What a {@link TMazePolicy} sees before choosing an action: the episode so far.
 * `observations` has one more entry than `actions` and `rewards` (the current observation is
 * last; `rewards[t]` followed `actions[t]`). The arrays grow during the episode: do not modify
 * them, and copy them if you keep them.
 */
export interface TMazeHistory {
  readonly observations: readonly (readonly number[])[];
  readonly actions: readonly TMazeAction[];
  readonly rewards: readonly number[];
}

/**
 * A deterministic (greedy) policy: returns the action (0 right, 1 up, 2 left, 3 down) to take
 * after `history`. A recurrent Q-network would feed the history (or only its last entry, keeping
 * its state between calls: the calls of one episode come in order, starting from a history with
 * one observation) and return the arg-max action.
 */
export type TMazePolicy = (history: TMazeHistory) => number;

/** Summary of one episode run by {@link runTMazeEpisode}. */
export interface TMazeEpisode {
  /** The cue the episode was run with. */
  cue: TMazeCue;
  /** Number of steps (actions) taken, ≤ 3L − 1. */
  steps: number;
  /** Sum of the rewards. */
  totalReward: number;
  /** Σ γᵗ r_t with γ = {@link TMAZE_GAMMA}. */
  discountedReturn: number;
  /** The agent turned at the junction. */
  terminated: boolean;
  /** The horizon was reached without a turn. */
  truncated: boolean;
  /** The whole history (observations, actions, rewards). */
  history: TMazeHistory;
}

/**
 * Runs one episode of a T-Maze of the given length with a forced cue, following `policy` until
 * the episode ends (a turn at the junction or the 3L − 1 step horizon).
 *
 * @throws {@link InvalidArgumentError} if the policy returns anything but an integer 0 … 3.
 * @example
 * ```ts
 * const always = () => 0; // always right: never turns, truncated after 3L − 1 steps
 * const episode = runTMazeEpisode(always, 10, 'up'); // steps 29, totalReward −1.9
 * ```
 */
export function runTMazeEpisode(policy: TMazePolicy, length: number, cue: TMazeCue): TMazeEpisode {
  const fn = 'runTMazeEpisode';
  if (typeof policy !== 'function') {
    throw new InvalidArgumentError(`${fn}: policy must be a function, received ${describeValue(policy)}.`);
  }
  checkInteger(fn, 'length', length, 2);
  if (cue !== 'up' && cue !== 'down') {
    throw new InvalidArgumentError(`${fn}: cue must be 'up' or 'down', received ${describeValue(cue)}.`);
  }
  const maze = new TMaze({ length, seed: 0 });
  const observations: number[][] = [maze.reset(cue)];
  const actions: TMazeAction[] = [];
  const rewards: number[] = [];
  const history: TMazeHistory = { observations, actions, rewards };
  let totalReward = 0;
  let discountedReturn = 0;
  let discount = 1;
  for (;;) {
    const action = policy(history);
    if (!Number.isInteger(action) || action < 0 || action > 3) {
      throw new InvalidArgumentError(
        `${fn}: the policy must return an integer action in [0, 3], received ${describeValue(action)} at step ${actions.length}.`,
      );
    }
    const result = maze.step(action as TMazeAction);
    actions.push(action as TMazeAction);
    rewards.push(result.reward);
    observations.push(result.observation);
    totalReward += result.reward;
    discountedReturn += discount * result.reward;
    discount *= TMAZE_GAMMA;
    if (result.done) {
      return {
        cue,
        steps: actions.length,
        totalReward,
        discountedReturn,
        terminated: result.terminated,
        truncated: result.truncated,
        history,
      };
    }
  }
}

/**
 * Whether `policy` is optimal on the T-Maze of the given length (see the
 * [method guide](../../docs/method.md#t-maze)): greedy episodes with the cue forced up and
 * forced down both earn +4 in exactly L + 1 steps, that is, each episode ends with the correct
 * turn (+4) at its (L + 1)-th step. Since reaching the junction from cell 0 takes at least L
 * moves right, this means L moves right and no other action before the turn, so the total
 * reward is exactly +4.
 *
 * @param policy A deterministic policy (see {@link TMazePolicy}); it is called for two episodes,
 *   first with the cue up, then down.
 * @param length Corridor length L (≥ 2).
 * @example
 * ```ts
 * const optimal: TMazePolicy = ({ observations }) => {
 *   const last = observations[observations.length - 1];
 *   if (last[3] !== 1) return 0;                       // not at the junction: go right
 *   return observations[0][0] === 1 ? 1 : 3;           // remember the cue: up or down
 * };
 * isOptimalTMazePolicy(optimal, 10); // true
 * ```
 */
export function isOptimalTMazePolicy(policy: TMazePolicy, length: number): boolean {
  for (const cue of ['up', 'down'] as const) {
    const episode = runTMazeEpisode(policy, length, cue);
    const lastReward = episode.history.rewards[episode.steps - 1];
    if (!episode.terminated || episode.steps !== length + 1 || lastReward !== TMAZE_GOAL_REWARD) {
      return false;
    }
  }
  return true;
}
