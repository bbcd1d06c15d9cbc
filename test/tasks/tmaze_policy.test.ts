import { describe, expect, it } from 'vitest';
import {
  TMAZE_GAMMA,
  isOptimalTMazePolicy,
  runTMazeEpisode,
  type TMazeHistory,
  type TMazePolicy,
} from '../../src/tasks';

/** Goes right until the junction, then turns the way the first observation said. */
const optimal: TMazePolicy = ({ observations }) => {
  const last = observations[observations.length - 1];
  if (last[3] !== 1) return 0;
  return observations[0][0] === 1 ? 1 : 3;
};

describe('runTMazeEpisode', () => {
  it('runs the optimal policy: L rights then the correct turn', () => {
    for (const cue of ['up', 'down'] as const) {
      const episode = runTMazeEpisode(optimal, 6, cue);
      expect(episode.cue).toBe(cue);
      expect(episode.steps).toBe(7);
      expect(episode.totalReward).toBe(4);
      expect(episode.discountedReturn).toBeCloseTo(4 * TMAZE_GAMMA ** 6, 12);
      expect(episode.terminated).toBe(true);
      expect(episode.truncated).toBe(false);
      expect(episode.history.actions).toEqual([0, 0, 0, 0, 0, 0, cue === 'up' ? 1 : 3]);
      expect(episode.history.rewards).toEqual([0, 0, 0, 0, 0, 0, 4]);
      expect(episode.history.observations.length).toBe(8);
    }
  });

  it('passes the growing history in order, starting with one observation', () => {
    const seen: number[] = [];
    const policy = (h: TMazeHistory) => {
      expect(h.observations.length).toBe(h.actions.length + 1);
      expect(h.rewards.length).toBe(h.actions.length);
      seen.push(h.actions.length);
      return 2; // always left: bump in cell 0 until the horizon
    };
    const episode = runTMazeEpisode(policy, 3, 'up');
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(episode.steps).toBe(8);
    expect(episode.truncated).toBe(true);
    expect(episode.totalReward).toBeCloseTo(-0.8, 12);
  });

  it('rejects invalid policies, lengths, cues and actions', () => {
    expect(() => runTMazeEpisode(3 as never, 3, 'up')).toThrow(/policy must be a function, received 3/);
    expect(() => runTMazeEpisode(optimal, 1, 'up')).toThrow(/option 'length' must be an integer >= 2, received 1/);
    expect(() => runTMazeEpisode(optimal, 3, 'left' as never)).toThrow(/cue must be 'up' or 'down', received "left"/);
    expect(() => runTMazeEpisode(() => 4, 3, 'up')).toThrow(/integer action in \[0, 3\], received 4 at step 0/);
    expect(() => runTMazeEpisode((h) => (h.actions.length < 2 ? 0 : 0.5), 3, 'up')).toThrow(/received 0.5 at step 2/);
  });
});

describe('isOptimalTMazePolicy', () => {
  it('is true for the optimal policy, for several lengths', () => {
    for (const L of [2, 3, 10, 50]) expect(isOptimalTMazePolicy(optimal, L)).toBe(true);
  });

  it('is false for wrong, lucky, slow, stuck and blind policies', () => {
    const alwaysUp: TMazePolicy = (h) => (h.observations[h.observations.length - 1][3] === 1 ? 1 : 0);
    const opposite: TMazePolicy = (h) => (optimal(h) === 0 ? 0 : 4 - optimal(h));
    // Reaches +4 but wastes two steps (a wall bump at the start).
    const slow: TMazePolicy = (h) => (h.actions.length === 0 ? 2 : optimal(h));
    // Reaches +4 with no penalty, but one step back costs two extra steps: L + 3 steps.
    const detour: TMazePolicy = (h) => (h.actions.length === 1 ? 2 : optimal(h));
    const neverTurns: TMazePolicy = () => 0;
    const cueBlind: TMazePolicy = (h) => {
      const last = h.observations[h.observations.length - 1];
      return last[3] === 1 ? 3 : 0; // always down
    };
    for (const policy of [alwaysUp, opposite, slow, detour, neverTurns, cueBlind]) {
      expect(isOptimalTMazePolicy(policy, 5)).toBe(false);
    }
    expect(runTMazeEpisode(slow, 5, 'up').steps).toBe(7);
    expect(runTMazeEpisode(slow, 5, 'up').totalReward).toBeCloseTo(3.9, 12);
    expect(runTMazeEpisode(detour, 5, 'down')).toMatchObject({ steps: 8, totalReward: 4, terminated: true });
  });
});
