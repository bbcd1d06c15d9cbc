/**
 * A DRQN agent for the T-Maze (docs/method.md#t-maze): a recurrent Q-network fed, at each step,
 * [previous action one-hot (4), previous reward (1), observation (4)] = 9 features, a target
 * network refreshed by periodic weight copies, a replay buffer of full episode histories,
 * ε-greedy exploration with the environment's exploration distribution, γ = TMAZE_GAMMA, and a
 * masked MSE of the taken actions' Q-values against the one-step targets on every step of the
 * sampled histories. Optionally, the Q-network is warmed up (`warmup`) on the exploration
 * histories of the replay buffer before training.
 */
import * as tf from '@tensorflow/tfjs';
import { brc, gru, lstm, measureVaa, nbrc, warmup } from '../../src/index';
import { TMAZE_GAMMA, TMaze, isOptimalTMazePolicy, type TMazeAction, type TMazeHistory } from '../../src/tasks/index';
import { hashSeed, mulberry32, withSeededMathRandom } from '../common/random';

export const TMAZE_CELLS = ['gru', 'lstm', 'nbrc', 'brc'] as const;
export type TMazeCell = (typeof TMAZE_CELLS)[number];

/** Features per step: previous action one-hot (4), previous reward (1), observation (4). */
export const DRQN_FEATURES = TMaze.actionCount + 1 + TMaze.observationSize;

/** Everything one DRQN run is configured by. */
export interface DrqnConfig {
  cell: TMazeCell;
  /** Corridor length L. */
  length: number;
  units: number;
  seed: number;
  /** Pure-exploration episodes that fill the replay buffer first (the warmup data). */
  explorationEpisodes: number;
  /** Warmup gradient steps; 0 = no warmup. */
  warmupSteps: number;
  /** Maximum number of ε-greedy training episodes after the exploration episodes. */
  maxEpisodes: number;
  /** Gradient steps after each training episode. */
  trainStepsPerEpisode: number;
  /** Histories per gradient step. */
  batchSize: number;
  learningRate: number;
  /** Replay buffer capacity (episodes; the oldest are dropped). */
  bufferSize: number;
  /** Copy the online weights to the target network every this many training episodes. */
  targetUpdate: number;
  /** ε decays linearly from epsilonStart to epsilonEnd over epsilonDecay training episodes. */
  epsilonStart: number;
  epsilonEnd: number;
  epsilonDecay: number;
  /** Test the greedy policy with `isOptimalTMazePolicy` every this many training episodes. */
  evalEvery: number;
  /** Stabilisation length T of the VAA measurements; 0 = do not measure. */
  vaaSteps: number;
}

/** One stored episode (a copy of the environment's history). */
export interface StoredEpisode {
  observations: number[][];
  actions: TMazeAction[];
  rewards: number[];
  /** The agent turned at the junction (no bootstrap after the last step). */
  terminated: boolean;
}

/**
 * The network input of a history: `[T + 1, 9]` row-major, where T = actions taken. Row t holds
 * the one-hot of action t − 1 (zeros at t = 0), reward t − 1 (0 at t = 0) and observation t.
 * Row t is what the agent sees when choosing action t.
 */
export function encodeHistory(history: TMazeHistory): Float32Array {
  const rows = history.observations.length;
  if (history.actions.length !== rows - 1 || history.rewards.length !== rows - 1) {
    throw new Error(`encodeHistory: expected ${rows - 1} actions and rewards for ${rows} observations.`);
  }
  const out = new Float32Array(rows * DRQN_FEATURES);
  for (let t = 0; t < rows; t++) {
    const base = t * DRQN_FEATURES;
    if (t > 0) {
      out[base + history.actions[t - 1]] = 1;
      out[base + TMaze.actionCount] = history.rewards[t - 1];
    }
    const observation = history.observations[t];
    for (let k = 0; k < TMaze.observationSize; k++) out[base + TMaze.actionCount + 1 + k] = observation[k];
  }
  return out;
}

const FACTORIES = { gru, lstm, nbrc, brc };

/** `recurrent(units, sequences) → dense(4)`: Q-values of the 4 actions at every step. */
export function buildQNetwork(cell: TMazeCell, units: number, seed: number): tf.Sequential {
  return withSeededMathRandom(hashSeed(`tmaze/${cell}/${units}/${seed}`), () =>
    tf.sequential({
      layers: [
        FACTORIES[cell]({ units, returnSequences: true, inputShape: [null, DRQN_FEATURES] }),
        tf.layers.dense({ units: TMaze.actionCount }),
      ],
    }),
  );
}

/** Arg-max of the Q-values of the last step of `history` (ties: lowest index). */
export function greedyAction(model: tf.LayersModel, history: TMazeHistory): TMazeAction {
  const q = tf.tidy(() => {
    const rows = history.observations.length;
    const x = tf.tensor3d(encodeHistory(history), [1, rows, DRQN_FEATURES]);
    const out = model.predict(x) as tf.Tensor3D;
    return tf.reshape(tf.slice(out, [0, rows - 1, 0], [1, 1, -1]), [TMaze.actionCount]);
  });
  const values = q.dataSync();
  q.dispose();
  let best = 0;
  for (let a = 1; a < values.length; a++) if (values[a] > values[best]) best = a;
  return best as TMazeAction;
}

/** The padded training batch of some histories (see {@link DrqnAgent.trainStep}). */
export interface HistoryBatch {
  /** `[B, Tm + 1, 9]`, zero-padded after each history's end. */
  x: Float32Array;
  /** `[B, Tm, 4]` one-hot of the taken actions (zeros on padding). */
  actions: Float32Array;
  /** `[B, Tm]` rewards (0 on padding). */
  rewards: Float32Array;
  /** `[B, Tm]` 0 after a terminal step (and on padding), 1 where the target bootstraps. */
  bootstrap: Float32Array;
  /** `[B, Tm]` 1 on real steps, 0 on padding. */
  mask: Float32Array;
  batch: number;
  /** Tm: the longest history's number of actions. */
  steps: number;
}

export function historyBatch(episodes: readonly StoredEpisode[]): HistoryBatch {
  const batch = episodes.length;
  const steps = Math.max(...episodes.map((e) => e.actions.length));
  const A = TMaze.actionCount;
  const out: HistoryBatch = {
    x: new Float32Array(batch * (steps + 1) * DRQN_FEATURES),
    actions: new Float32Array(batch * steps * A),
    rewards: new Float32Array(batch * steps),
    bootstrap: new Float32Array(batch * steps),
    mask: new Float32Array(batch * steps),
    batch,
    steps,
  };
  episodes.forEach((e, b) => {
    out.x.set(encodeHistory(e), b * (steps + 1) * DRQN_FEATURES);
    const T = e.actions.length;
    for (let t = 0; t < T; t++) {
      const i = b * steps + t;
      out.actions[i * A + e.actions[t]] = 1;
      out.rewards[i] = e.rewards[t];
      out.bootstrap[i] = t === T - 1 && e.terminated ? 0 : 1;
      out.mask[i] = 1;
    }
  });
  return out;
}

/** Online and target Q-networks, optimizer, replay buffer and seeded draws of one run. */
export class DrqnAgent {
  readonly online: tf.Sequential;
  readonly target: tf.Sequential;
  readonly buffer: StoredEpisode[] = [];
  private readonly optimizer: tf.Optimizer;
  private readonly actRandom: () => number;
  private readonly replayRandom: () => number;

  constructor(readonly config: DrqnConfig) {
    this.online = buildQNetwork(config.cell, config.units, config.seed);
    this.target = buildQNetwork(config.cell, config.units, config.seed);
    this.updateTarget();
    this.optimizer = tf.train.adam(config.learningRate);
    this.actRandom = mulberry32(hashSeed(`tmaze/act/${config.seed}`));
    this.replayRandom = mulberry32(hashSeed(`tmaze/replay/${config.seed}`));
  }

  updateTarget(): void {
    // getWeights() returns the variables' current values; setWeights copies them.
    this.target.setWeights(this.online.getWeights());
  }

  /** Runs one episode, ε-greedy (ε = 1: the environment's exploration policy only), and stores it. */
  runEpisode(maze: TMaze, epsilon: number): StoredEpisode {
    const episode: StoredEpisode = { observations: [maze.reset()], actions: [], rewards: [], terminated: false };
    for (;;) {
      const action =
        epsilon >= 1 || this.actRandom() < epsilon ? maze.explorationAction() : greedyAction(this.online, episode);
      const step = maze.step(action);
      episode.actions.push(action);
      episode.rewards.push(step.reward);
      episode.observations.push(step.observation);
      if (step.done) {
        episode.terminated = step.terminated;
        break;
      }
    }
    this.buffer.push(episode);
    if (this.buffer.length > this.config.bufferSize) this.buffer.shift();
    return episode;
  }

  /** One gradient step on `batchSize` histories drawn uniformly from the buffer; returns the loss. */
  trainStep(): number {
    const sampled = Array.from(
      { length: this.config.batchSize },
      () => this.buffer[Math.floor(this.replayRandom() * this.buffer.length)],
    );
    const data = historyBatch(sampled);
    const { batch: B, steps: T } = data;
    const A = TMaze.actionCount;
    const variables = this.online.trainableWeights.map((w) => w.read() as tf.Variable);
    const loss = tf.tidy(() => {
      const x = tf.tensor3d(data.x, [B, T + 1, DRQN_FEATURES]);
      const taken = tf.tensor3d(data.actions, [B, T, A]);
      const rewards = tf.tensor2d(data.rewards, [B, T]);
      const bootstrap = tf.tensor2d(data.bootstrap, [B, T]);
      const mask = tf.tensor2d(data.mask, [B, T]);
      // Targets: r_t + γ · max_a Q_target(x_{t+1}, a), without bootstrap after a terminal step.
      const nextQ = tf.slice(this.target.predict(x) as tf.Tensor3D, [0, 1, 0], [B, T, A]);
      const targets = tf.add(rewards, tf.mul(tf.mul(bootstrap, TMAZE_GAMMA), tf.max(nextQ, 2)));
      const value = this.optimizer.minimize(
        () => {
          const q = tf.slice(this.online.apply(x, { training: true }) as tf.Tensor3D, [0, 0, 0], [B, T, A]);
          const qTaken = tf.sum(tf.mul(q, taken), 2);
          const squared = tf.mul(tf.squaredDifference(qTaken, targets), mask);
          return tf.div(tf.sum(squared), tf.sum(mask)) as tf.Scalar;
        },
        true,
        variables,
      );
      return value as tf.Scalar;
    });
    const value = loss.dataSync()[0];
    loss.dispose();
    if (!Number.isFinite(value)) throw new Error(`DRQN: the loss is ${value}.`);
    return value;
  }

  /** The buffer's histories as `[T_i + 1, 9]` tensors (the caller disposes them). */
  bufferSequences(): tf.Tensor2D[] {
    return this.buffer.map((e) => tf.tensor2d(encodeHistory(e), [e.observations.length, DRQN_FEATURES]));
  }

  /** Whether the greedy policy is optimal (docs/method.md#t-maze). */
  isOptimal(): boolean {
    return isOptimalTMazePolicy((history) => greedyAction(this.online, history), this.config.length);
  }

  dispose(): void {
    this.online.dispose();
    this.target.dispose();
    this.optimizer.dispose();
  }
}

/** What {@link runDrqn} measured. */
export interface DrqnResult {
  cell: TMazeCell;
  seed: number;
  warmup: boolean;
  /** Training episodes (after the exploration episodes) until the greedy policy was optimal; null: never within maxEpisodes. */
  episodesToOptimal: number | null;
  /** Training episodes run. */
  episodes: number;
  vaaInit: number | null;
  vaaAfterWarmup: number | null;
  /** Mean loss of the gradient steps of each evaluation interval. */
  losses: number[];
  warmupMs: number;
  trainMs: number;
}

export interface DrqnProgress {
  phase: 'explore' | 'vaa' | 'warmup' | 'train';
  episode?: number;
  epsilon?: number;
  loss?: number;
  optimal?: boolean;
}

/**
 * One run: exploration episodes, VAA (optional), warmup (when `useWarmup` and
 * `config.warmupSteps > 0`) on the exploration histories, then ε-greedy training until the
 * greedy policy is optimal or `maxEpisodes` training episodes have run. The runs with and
 * without warmup of one seed share initial weights and exploration histories.
 */
export async function runDrqn(
  config: DrqnConfig,
  useWarmup: boolean,
  onProgress?: (p: DrqnProgress) => void,
): Promise<DrqnResult> {
  const agent = new DrqnAgent(config);
  const maze = new TMaze({ length: config.length, seed: `tmaze/${config.seed}` });
  const result: DrqnResult = {
    cell: config.cell,
    seed: config.seed,
    warmup: useWarmup,
    episodesToOptimal: null,
    episodes: 0,
    vaaInit: null,
    vaaAfterWarmup: null,
    losses: [],
    warmupMs: 0,
    trainMs: 0,
  };
  try {
    onProgress?.({ phase: 'explore' });
    for (let i = 0; i < config.explorationEpisodes; i++) agent.runEpisode(maze, 1);
    const sequences = agent.bufferSequences();
    try {
      const vaaOptions = { samples: Math.min(32, sequences.length), steps: config.vaaSteps, seed: config.seed };
      if (config.vaaSteps > 0) {
        onProgress?.({ phase: 'vaa' });
        result.vaaInit = await measureVaa(agent.online, sequences, vaaOptions);
      }
      if (useWarmup && config.warmupSteps > 0) {
        onProgress?.({ phase: 'warmup' });
        const started = performance.now();
        await warmup(agent.online, sequences, {
          steps: config.warmupSteps,
          batchSize: Math.min(32, sequences.length),
          seed: config.seed,
        });
        result.warmupMs = performance.now() - started;
        agent.updateTarget();
        if (config.vaaSteps > 0) result.vaaAfterWarmup = await measureVaa(agent.online, sequences, vaaOptions);
      }
    } finally {
      tf.dispose(sequences);
    }
    const started = performance.now();
    let losses: number[] = [];
    for (let episode = 1; episode <= config.maxEpisodes; episode++) {
      const fraction = Math.min(1, (episode - 1) / Math.max(1, config.epsilonDecay));
      const epsilon = config.epsilonStart + (config.epsilonEnd - config.epsilonStart) * fraction;
      agent.runEpisode(maze, epsilon);
      for (let k = 0; k < config.trainStepsPerEpisode; k++) losses.push(agent.trainStep());
      if (episode % config.targetUpdate === 0) agent.updateTarget();
      result.episodes = episode;
      if (episode % config.evalEvery === 0 || episode === config.maxEpisodes) {
        const loss = losses.length > 0 ? losses.reduce((s, v) => s + v, 0) / losses.length : NaN;
        if (losses.length > 0) result.losses.push(loss);
        losses = [];
        const optimal = agent.isOptimal();
        onProgress?.({ phase: 'train', episode, epsilon, loss, optimal });
        if (optimal) {
          result.episodesToOptimal = episode;
          break;
        }
        // Let timers (progress output) run.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
    result.trainMs = performance.now() - started;
  } finally {
    agent.dispose();
  }
  return result;
}
