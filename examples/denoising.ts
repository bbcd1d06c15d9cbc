/**
 * `npm run example:denoising`: plain vs warmed-up recurrent networks on denoising
 * (docs/method.md#denoising). See `--help`.
 */
import { DENOISING_DEFAULTS } from '../src/tasks/index';
import { runSupervisedCli } from './common/run_supervised_cli';
import { DENOISING_TASK, DENOISING_USAGE, denoisingData, parseDenoisingArgs } from './supervised/denoising';

void runSupervisedCli({
  parse: () => parseDenoisingArgs(process.argv.slice(2)),
  usage: DENOISING_USAGE,
  task: DENOISING_TASK,
  script: 'example:denoising',
  describe: (o) => `Denoising, L = ${o.length}`,
  explain: (o) =>
    `Denoising (docs/method.md#denoising): two input channels over ${o.length} steps, standard normal noise and a marker channel ` +
    `that is 1 at ${DENOISING_DEFAULTS.marked} random positions in the first ${o.length - DENOISING_DEFAULTS.pad} steps; ` +
    `at the last ${DENOISING_DEFAULTS.marked} steps the network must output the marked noise values in order. ` +
    'MSE loss and metric; predicting 0 gives MSE ≈ 1.',
  configuration: (o) => ({ 'sequence length L': String(o.length) }),
  loadData: denoisingData,
});
