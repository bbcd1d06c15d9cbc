/**
 * Research script (issue 11), not a user example: why does warmup leave a layer monostable?
 * Runs the default warmup on the driver's setting (examples/warmup_modes.ts: 2 layers + dense,
 * copy-first-input inputs, seeded initial weights) and, after every step, measures per warmed
 * layer on a fresh draw (32 sequences, own prefixes and constant input) at the step's
 * stabilisation length T and at T = 5:
 *
 * - VAA\* and the median / max pairwise distance of the tanh-squashed final states, and the
 *   fraction of pairs closer than ε (the dead zone, where VAA\*'s closeness is exactly 1);
 * - ‖∂VAA\*_l / ∂θ_l‖, the gradient of the layer's VAA\* with respect to its own weights.
 *
 * Uses internal modules (it measures inside warmup), so it lives beside the driver.
 *
 *   npx tsx examples/warmup_diagnosis.ts --cells lstm --units 16 --seeds 3,4 --out diag.jsonl
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { appendFileSync } from 'node:fs';
import { ready, warmup, type WarmupOptions } from '../src/index';
import { copyFirstInput } from '../src/tasks/index';
import { findRecurrentPath } from '../src/multistability/recurrent_path';
import { SequenceInputs } from '../src/multistability/sequence_inputs';
import { runPathOverSequence, statesAtPrefix } from '../src/multistability/starting_states';
import { pairwiseDistances } from '../src/multistability/pairwise_distances';
import { vaaStar } from '../src/multistability/vaa_star';
import { SeededRandom } from '../src/utils/seeded_random';
import { driverModel, type DriverCell } from './common/driver_model';

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

function list(spec: string): number[] {
  return spec.split(',').flatMap((part) => {
    const [a, b] = part.split('-').map(Number);
    return b === undefined ? [a] : Array.from({ length: b - a + 1 }, (_, k) => a + k);
  });
}

interface LayerProbe {
  vaaStar: number;
  medianDistance: number;
  maxDistance: number;
  deadFraction: number;
  gradNorm: number;
}

async function probe(
  model: tf.LayersModel,
  data: SequenceInputs,
  random: SeededRandom,
  steps: number,
  epsilon: number,
  options: WarmupOptions,
): Promise<LayerProbe[]> {
  const path = findRecurrentPath(model, 'warmup', options.layers);
  const warmed = path.entries.filter((e) => e.warmed);
  const indices = Array.from(random.permutation(data.count).subarray(0, 32));
  const prefixes = indices.map((i) => random.int(1, data.lengths[i] + 1));
  const out: LayerProbe[] = [];
  for (const entry of warmed) {
    const size = entry.capable.warmupInputSize;
    const u = tf.tensor2d(
      Array.from({ length: size }, () => random.normal()),
      [1, size],
    );
    const vars = entry.capable.warmupWeights.map((w) => w.read() as tf.Variable);
    let finalStates: tf.Tensor2D | null = null;
    const { value, grads } = tf.variableGrads(() => {
      const { x } = data.batch(indices);
      const all = runPathOverSequence(path, x);
      const sampled = statesAtPrefix(all[path.entries.indexOf(entry)], prefixes);
      const start = entry.capable.warmupStateIndices.map((i) => sampled[i]);
      const final = entry.capable.runConstantInput(u, start, steps, { differentiable: true });
      const states = final.length === 1 ? final[0] : (tf.concat(final, 1) as tf.Tensor2D);
      finalStates = tf.keep(states);
      return vaaStar(states, epsilon);
    }, vars);
    const norm = tf.tidy(() => tf.sqrt(tf.addN(Object.values(grads).map((g) => tf.sum(tf.square(g))))));
    const d = tf.tidy(() => pairwiseDistances(tf.tanh(finalStates!)));
    const dist = Array.from(await d.data());
    const n = 32;
    const offDiagonal = dist.filter((_, k) => Math.floor(k / n) < k % n).sort((a, b) => a - b);
    out.push({
      vaaStar: (await value.data())[0],
      medianDistance: offDiagonal[Math.floor(offDiagonal.length / 2)],
      maxDistance: offDiagonal[offDiagonal.length - 1],
      deadFraction: offDiagonal.filter((v) => v <= epsilon).length / offDiagonal.length,
      gradNorm: (await norm.data())[0],
    });
    tf.dispose([value, norm, d, u, finalStates!, ...Object.values(grads)]);
  }
  return out;
}

async function main(): Promise<void> {
  await tf.setBackend('wasm');
  await ready();
  const out = flag('out', 'warmup-diagnosis.jsonl');
  const units = Number(flag('units', '16'));
  const steps = Number(flag('steps', '100'));
  for (const cell of flag('cells', 'lstm').split(',') as DriverCell[]) {
    for (const seed of list(flag('seeds', '0-4'))) {
      const model = driverModel(cell, units, seed);
      const { inputs, targets } = copyFirstInput({ samples: 64, length: 30, seed });
      const data = await SequenceInputs.create(inputs, 'diagnosis');
      const random = new SeededRandom(`diagnosis-${seed}`);
      const options: WarmupOptions = { seed, steps };
      const record = async (step: number, t: number, vaaStarStep: number[]): Promise<void> => {
        const atT = await probe(model, data, random, t, 1e-4, options);
        const atShort = await probe(model, data, random, 5, 1e-4, options);
        const line = { cell, units, seed, step, t, vaaStarStep, atT, atShort };
        appendFileSync(out, `${JSON.stringify(line)}\n`);
        const fmt = (p: LayerProbe[]) =>
          p
            .map(
              (l) =>
                `v*=${l.vaaStar.toFixed(2)} med=${l.medianDistance.toExponential(1)} dead=${l.deadFraction.toFixed(2)} g=${l.gradNorm.toExponential(1)}`,
            )
            .join(' | ');
        console.log(`${cell} s${seed} k=${step} T=${t}: ${fmt(atT)}  ||T=5: ${fmt(atShort)}`);
      };
      await record(-1, 200, []);
      await warmup(model, inputs, {
        ...options,
        onStep: async (info) => {
          if (info.step % 5 === 4 || info.step < 3) await record(info.step, info.stabilisationSteps, info.vaaStar);
        },
      });
      tf.dispose([inputs, targets]);
      model.dispose();
    }
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
