import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { warmup } from '../../src/index';
import { TMaze, type TMazeAction } from '../../src/tasks/index';
import { ExampleArgsError } from '../../examples/common/cli';
import { QUICK_OPTIONS, parseTMazeArgs } from '../../examples/tmaze/args';
import {
  DRQN_FEATURES,
  DrqnAgent,
  encodeHistory,
  greedyAction,
  historyBatch,
  runDrqn,
  type DrqnConfig,
  type StoredEpisode,
} from '../../examples/tmaze/drqn';
import { summaryRows, tmazeReport } from '../../examples/tmaze/report';
import { renderExampleReport } from '../../examples/common/html_report';
import { expectNoLeaks } from '../helpers';

const TINY: DrqnConfig = {
  ...QUICK_OPTIONS,
  cell: 'gru',
  seed: 0,
  length: 3,
  units: 3,
  explorationEpisodes: 3,
  warmupSteps: 2,
  maxEpisodes: 2,
  trainStepsPerEpisode: 1,
  batchSize: 2,
  evalEvery: 1,
  vaaSteps: 5,
};

// Cue down, right, bump (up in the corridor), right, right, down at the junction (+4).
const HAND_MADE: StoredEpisode = {
  observations: [
    [0, 1, 0, 0],
    [0, 0, 1, 0],
    [0, 0, 1, 0],
    [0, 0, 1, 0],
    [0, 0, 0, 1],
    [0, 0, 0, 1],
  ],
  actions: [0, 1, 0, 0, 3],
  rewards: [0, -0.1, 0, 0, 4],
  terminated: true,
};

describe('T-Maze DRQN example', () => {
  it('encodes [previous action one-hot, previous reward, observation] per step', () => {
    expect(DRQN_FEATURES).toBe(9);
    const rows = [...encodeHistory(HAND_MADE)].map((v) => Math.round(v * 100) / 100);
    const expected = [
      [0, 0, 0, 0, 0, 0, 1, 0, 0], // start: no previous action/reward, down cue
      [1, 0, 0, 0, 0, 0, 0, 1, 0], // after right: corridor
      [0, 1, 0, 0, -0.1, 0, 0, 1, 0], // after bumping up: −0.1
      [1, 0, 0, 0, 0, 0, 0, 1, 0],
      [1, 0, 0, 0, 0, 0, 0, 0, 1], // junction
      [0, 0, 0, 1, 4, 0, 0, 0, 1], // after turning down: +4
    ];
    expect(rows).toEqual(expected.flat());
  });

  it('builds masked batches of variable-length histories', () => {
    const short: StoredEpisode = {
      observations: [
        [1, 0, 0, 0],
        [0, 0, 1, 0],
      ],
      actions: [0],
      rewards: [0],
      terminated: false,
    };
    const b = historyBatch([HAND_MADE, short]);
    expect(b.steps).toBe(5);
    expect([...b.mask]).toEqual([1, 1, 1, 1, 1, 1, 0, 0, 0, 0]);
    expect([...b.bootstrap]).toEqual([1, 1, 1, 1, 0, 1, 0, 0, 0, 0]);
    expect([...b.rewards.slice(0, 5)].map((v) => Math.round(v * 10) / 10)).toEqual([0, -0.1, 0, 0, 4]);
    expect([...b.actions.slice(16, 20)]).toEqual([0, 0, 0, 1]); // episode 0, step 4: down
    expect(b.x.length).toBe(2 * 6 * 9);
    expect([...b.x.slice(6 * 9 + 2 * 9)]).toEqual(new Array(4 * 9).fill(0)); // padding after the short history
  });

  it('explores, trains, warms up on the replay buffer and acts greedily without leaking tensors', async () => {
    await expectNoLeaks(async () => {
      const agent = new DrqnAgent(TINY);
      try {
        const maze = new TMaze({ length: TINY.length, seed: 0 });
        for (let i = 0; i < 3; i++) {
          const e = agent.runEpisode(maze, 1);
          expect(e.actions.length).toBeGreaterThan(0);
        }
        expect(agent.buffer).toHaveLength(3);
        const sequences = agent.bufferSequences();
        try {
          const report = await warmup(agent.online, sequences, { steps: 2, batchSize: 2, seed: 0 });
          expect(report.history).toHaveLength(2);
        } finally {
          tf.dispose(sequences);
        }
        agent.updateTarget();
        const losses = [agent.trainStep(), agent.trainStep()];
        for (const loss of losses) expect(Number.isFinite(loss)).toBe(true);
        agent.runEpisode(maze, 0); // greedy
        const action: TMazeAction = greedyAction(agent.online, HAND_MADE);
        expect([0, 1, 2, 3]).toContain(action);
        expect(typeof agent.isOptimal()).toBe('boolean');
      } finally {
        agent.dispose();
      }
    });
  });

  it('runs a whole tiny experiment with and without warmup from the same initial weights', async () => {
    const plain = await expectNoLeaks(() => runDrqn(TINY, false));
    const warmed = await expectNoLeaks(() => runDrqn(TINY, true));
    expect(plain.vaaInit).toBe(warmed.vaaInit);
    expect(plain.vaaAfterWarmup).toBeNull();
    expect(warmed.vaaAfterWarmup).not.toBeNull();
    expect(warmed.warmupMs).toBeGreaterThan(0);
    for (const r of [plain, warmed]) {
      expect(r.episodes).toBeGreaterThan(0);
      for (const loss of r.losses) expect(Number.isFinite(loss)).toBe(true);
    }

    // Report: episodes to optimal (or "> max"), a loss chart in training episodes.
    const solved = { ...warmed, episodesToOptimal: 2 };
    const unsolved = { ...plain, episodesToOptimal: null };
    const report = tmazeReport({
      options: { ...QUICK_OPTIONS, maxEpisodes: TINY.maxEpisodes, evalEvery: 1 },
      command: 'npm run example:tmaze -- --quick',
      startedAt: '2026-11-30T00:00:00Z',
      wallMs: 10,
      plannedRuns: 2,
      machine: {
        cpu: 'test',
        cores: 2,
        memoryGiB: 1,
        os: 'test',
        node: 'v20',
        tfjs: '4.22.0',
        backend: 'wasm',
        loadAverage: [0, 0, 0],
      },
      results: [unsolved, solved],
    });
    expect(report.summary.rows).toEqual([
      ['gru', 'none', '0/1', '>2', '>2'],
      ['gru', 'warmup', '1/1', '2', '2'],
    ]);
    expect(summaryRows([solved, { ...solved, episodesToOptimal: 5 }], 9)[0].slice(2)).toEqual(['2/2', '2, 5', '3.5']);
    expect(
      summaryRows(
        [solved, unsolved, { ...solved, episodesToOptimal: 5 }].map((r) => ({ ...r, warmup: true })),
        9,
      )[0][4],
    ).toBe('5');
    expect(report.charts[0].xStep).toBe(1);
    expect(report.charts[0].series[1].values).toEqual([Number.NaN, ...warmed.losses]);
    expect(renderExampleReport(report)).toContain('T-Maze, L = ');
  });

  it('parses the command line', () => {
    expect(parseTMazeArgs(['--help'])).toEqual({ help: true });
    const parsed = parseTMazeArgs(['--quick', '--length=6', '--cells', 'nbrc,gru', '--backend', 'cpu']);
    if (parsed.help) throw new Error('unexpected help');
    expect(parsed.options).toMatchObject({
      quick: true,
      length: 6,
      cells: ['nbrc', 'gru'],
      backend: 'cpu',
      units: QUICK_OPTIONS.units,
    });
    expect(() => parseTMazeArgs(['--length', '1'])).toThrow(ExampleArgsError);
    expect(() => parseTMazeArgs(['--nope'])).toThrow(/Unknown option/);
    expect(() => parseTMazeArgs(['--epsilon-end', '2'])).toThrow(/--epsilon-end/);
  });
});
