import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/errors';
import {
  TMAZE_ACTIONS,
  TMAZE_EXPLORATION_PROBABILITIES,
  TMAZE_GAMMA,
  TMAZE_GOAL_REWARD,
  TMAZE_OBSERVATIONS,
  TMAZE_PENALTY,
  TMaze,
  type TMazeAction,
} from '../../src/tasks';

const { right, up, left, down } = TMAZE_ACTIONS;
const UP_CUE = [1, 0, 0, 0];
const DOWN_CUE = [0, 1, 0, 0];
const CORRIDOR = [0, 0, 1, 0];
const JUNCTION = [0, 0, 0, 1];

/** A maze reset with `cue` and walked `moves` cells right. */
function at(length: number, moves: number, cue: 'up' | 'down' = 'up'): TMaze {
  const maze = new TMaze({ length, seed: 0 });
  maze.reset(cue);
  for (let i = 0; i < moves; i++) maze.step(right);
  expect(maze.position).toBe(moves);
  return maze;
}

describe('TMaze', () => {
  it('exposes the constants of SPEC §7', () => {
    expect(TMAZE_GAMMA).toBe(0.98);
    expect(TMAZE_GOAL_REWARD).toBe(4);
    expect(TMAZE_PENALTY).toBe(-0.1);
    expect(TMAZE_ACTIONS).toEqual({ right: 0, up: 1, left: 2, down: 3 });
    expect(TMAZE_OBSERVATIONS).toEqual({ upCue: 0, downCue: 1, corridor: 2, junction: 3 });
    expect(TMAZE_EXPLORATION_PROBABILITIES).toEqual([1 / 2, 1 / 6, 1 / 6, 1 / 6]);
    const maze = new TMaze({ length: 7 });
    expect([maze.observationSize, maze.actionCount, TMaze.observationSize, TMaze.actionCount]).toEqual([4, 4, 4, 4]);
    expect(maze.length).toBe(7);
    expect(maze.horizon).toBe(20);
  });

  it('shows the cue in cell 0 only (also when walking back), corridor in 1 … L−1, junction at L', () => {
    for (const [cue, cueObs] of [
      ['up', UP_CUE],
      ['down', DOWN_CUE],
    ] as const) {
      const maze = new TMaze({ length: 4, seed: 0 });
      expect(maze.reset(cue)).toEqual(cueObs);
      expect(maze.cue).toBe(cue);
      expect(maze.step(right).observation).toEqual(CORRIDOR); // cell 1
      expect(maze.step(right).observation).toEqual(CORRIDOR); // cell 2
      expect(maze.step(right).observation).toEqual(CORRIDOR); // cell 3
      expect(maze.step(right).observation).toEqual(JUNCTION); // cell 4 = L
      expect(maze.step(left).observation).toEqual(CORRIDOR); // cell 3
      for (let i = 0; i < 3; i++) maze.step(left);
      expect(maze.position).toBe(0);
      expect(maze.step(up).observation).toEqual(cueObs); // bumped, still in cell 0
    }
  });

  it('corridor moves: right and left cost nothing', () => {
    const maze = at(5, 2);
    expect(maze.step(right)).toEqual({
      observation: CORRIDOR,
      reward: 0,
      done: false,
      terminated: false,
      truncated: false,
    });
    expect(maze.position).toBe(3);
    expect(maze.step(left).reward).toBe(0);
    expect(maze.position).toBe(2);
    const fromJunction = at(5, 5);
    expect(fromJunction.step(left)).toMatchObject({ observation: CORRIDOR, reward: 0, done: false });
    expect(fromJunction.position).toBe(4);
  });

  it('walls: left in cell 0, up/down in the corridor and right at the junction cost −0.1 and do not move', () => {
    const cases: [number, TMazeAction, number[]][] = [
      [0, left, UP_CUE],
      [0, up, UP_CUE],
      [0, down, UP_CUE],
      [2, up, CORRIDOR],
      [2, down, CORRIDOR],
      [4, up, CORRIDOR],
      [5, right, JUNCTION],
    ];
    for (const [cell, action, observation] of cases) {
      const maze = at(5, cell);
      expect(maze.step(action)).toEqual({
        observation,
        reward: -0.1,
        done: false,
        terminated: false,
        truncated: false,
      });
      expect(maze.position).toBe(cell);
    }
  });

  it('turns at the junction end the episode: +4 for the cue, −0.1 otherwise', () => {
    for (const [cue, action, reward] of [
      ['up', up, 4],
      ['down', down, 4],
      ['up', down, -0.1],
      ['down', up, -0.1],
    ] as const) {
      const maze = at(3, 3, cue);
      expect(maze.step(action)).toEqual({
        observation: JUNCTION,
        reward,
        done: true,
        terminated: true,
        truncated: false,
      });
      expect(maze.done).toBe(true);
      expect(maze.stepCount).toBe(4);
      expect(() => maze.step(right)).toThrow(/the episode is over \(after 4 steps\); call reset\(\)/);
    }
  });

  it('ends at the horizon 3L − 1 (truncated), not before', () => {
    const maze = new TMaze({ length: 4, seed: 0 });
    maze.reset('down');
    let last;
    for (let t = 1; t <= 11; t++) {
      last = maze.step(left); // bumping in cell 0 forever
      expect(last.done).toBe(t === 11);
    }
    expect(last).toEqual({ observation: DOWN_CUE, reward: -0.1, done: true, terminated: false, truncated: true });
    expect(maze.stepCount).toBe(11);
    // A turn on the very last step counts as terminated, not truncated.
    const m2 = at(4, 4, 'up');
    for (let i = 0; i < 6; i++) m2.step(i % 2 === 0 ? left : right);
    expect(m2.stepCount).toBe(10);
    expect(m2.step(up)).toMatchObject({ reward: 4, done: true, terminated: true, truncated: false });
  });

  it('reset() starts over; random cues are seeded and balanced', () => {
    const maze = at(3, 3);
    maze.step(up);
    expect(maze.reset('down')).toEqual(DOWN_CUE);
    expect([maze.position, maze.stepCount, maze.done]).toEqual([0, 0, false]);
    const cues = (seed: number) => {
      const m = new TMaze({ length: 2, seed });
      return Array.from({ length: 400 }, () => (m.reset(), m.cue));
    };
    expect(cues(1)).toEqual(cues(1));
    expect(cues(1)).not.toEqual(cues(2));
    const ups = cues(3).filter((c) => c === 'up').length;
    expect(ups).toBeGreaterThan(160);
    expect(ups).toBeLessThan(240);
  });

  it('explorationAction follows 1/2, 1/6, 1/6, 1/6 and is seeded', () => {
    const m = new TMaze({ length: 2, seed: 5 });
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 6000; i++) counts[m.explorationAction()]++;
    expect(Math.abs(counts[0] - 3000)).toBeLessThan(200);
    for (const c of counts.slice(1)) expect(Math.abs(c - 1000)).toBeLessThan(120);
    const a = new TMaze({ length: 2, seed: 5 });
    const b = new TMaze({ length: 2, seed: 5 });
    expect(Array.from({ length: 20 }, () => a.explorationAction())).toEqual(
      Array.from({ length: 20 }, () => b.explorationAction()),
    );
  });

  it('validates options, cues, actions and the call order', () => {
    expect(() => new TMaze({ length: 1 })).toThrow(/option 'length' must be an integer >= 2, received 1/);
    expect(() => new TMaze({ length: 3, seed: NaN })).toThrow(
      /option 'seed' must be a safe integer or a string, received NaN/,
    );
    expect(() => new TMaze({ length: 3, horizon: 9 } as never)).toThrow(
      /unknown option 'horizon'; expected one of: length, seed/,
    );
    expect(() => new TMaze({} as never)).toThrow(/option 'length' is required/);
    const maze = new TMaze({ length: 3, seed: 0 });
    expect(maze.cue).toBeNull();
    expect(() => maze.step(right)).toThrow(/call reset\(\) before the first step\(\)/);
    expect(() => maze.reset('left' as never)).toThrow(/cue must be 'up', 'down' or omitted, received "left"/);
    maze.reset();
    for (const bad of [4, -1, 1.5, '0', NaN]) {
      expect(() => maze.step(bad as never)).toThrow(InvalidArgumentError);
    }
    expect(() => maze.step(7 as never)).toThrow(/action must be an integer in \[0, 3\].*received 7/);
    expect(maze.stepCount).toBe(0); // invalid actions change nothing
  });
});
