/**
 * Warmup outcome per seed: VAA* trajectory, VAA* at full stabilisation length, and the exact
 * VAA (measureVaa) before and after warmup, for a 2-layer model on copy-first-input inputs.
 * Prints a markdown table (the rows of docs/results.md).
 *
 *   npx tsx examples/warmup_seeds.ts --cell lstm --seeds 0-9 [--units 16] [--length 30]
 *     [--samples 64] [--backend wasm] [--vaa-steps 10000]
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { brc, gru, lstm, measureVaa, nbrc, warmup } from '../src/index';
import { copyFirstInput } from '../src/tasks/index';

type Factory = (args: { units: number; returnSequences?: boolean; inputShape?: [null, number] }) => tf.layers.Layer;
const FACTORIES: Record<string, Factory> = {
  gru,
  lstm,
  brc,
  nbrc,
  tfgru: (a) => tf.layers.gru(a),
  tflstm: (a) => tf.layers.lstm(a),
};

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

function seedList(spec: string): number[] {
  return spec.split(',').flatMap((part) => {
    const [a, b] = part.split('-').map(Number);
    return b === undefined ? [a] : Array.from({ length: b - a + 1 }, (_, k) => a + k);
  });
}

async function main(): Promise<void> {
  const cell = flag('cell', 'gru');
  const units = Number(flag('units', '16'));
  const length = Number(flag('length', '30'));
  const samples = Number(flag('samples', '64'));
  const vaaSteps = Number(flag('vaa-steps', '10000'));
  await tf.setBackend(flag('backend', 'wasm'));
  const make = FACTORIES[cell];
  if (make == null) throw new Error(`unknown --cell ${cell}; one of ${Object.keys(FACTORIES).join(', ')}`);
  console.log(
    `| seed | VAA before | VAA* per layer, last 10 steps (min–mean) | VAA* after (T=200) | VAA after | warmup s |`,
  );
  console.log(`| --- | --- | --- | --- | --- | --- |`);
  for (const seed of seedList(flag('seeds', '0-9'))) {
    const model = tf.sequential({
      layers: [
        make({ units, returnSequences: true, inputShape: [null, 1] }),
        make({ units }),
        tf.layers.dense({ units: 1 }),
      ],
    });
    const { inputs, targets } = copyFirstInput({ samples, length, seed });
    const before = await measureVaa(model, inputs, { seed, steps: vaaSteps });
    const report = await warmup(model, inputs, { seed });
    const after = await measureVaa(model, inputs, { seed, steps: vaaSteps });
    const last = report.history.slice(-10);
    const perLayer = report.layers.map((_, l) => {
      const values = last.map((h) => h.vaaStar[l]);
      const mean = values.reduce((s, v) => s + v, 0) / values.length;
      return `${Math.min(...values).toFixed(2)}–${mean.toFixed(2)}`;
    });
    console.log(
      `| ${seed} | ${before.toFixed(3)} | ${perLayer.join(' / ')} | ${report.vaaStarAfter.map((v) => v.toFixed(2)).join(' / ')} | ${after.toFixed(3)} | ${(report.durationMs / 1000).toFixed(1)} |`,
    );
    tf.dispose([inputs, targets]);
    model.dispose();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
