/** `npm run example:mnist`: plain vs warmed-up recurrent networks on sequential / permuted MNIST (SPEC §7). See `--help`. */
import { MNIST_PIXELS } from '../src/tasks/index';
import { runSupervisedCli } from './common/run_supervised_cli';
import { MNIST_TASK, MNIST_USAGE, mnistData, parseMnistArgs } from './supervised/mnist';

let cached: Awaited<ReturnType<typeof mnistData>> | undefined;

void runSupervisedCli(
  () => parseMnistArgs(process.argv.slice(2)),
  MNIST_USAGE,
  MNIST_TASK,
  (o) => `${o.permuted ? 'Permuted' : 'Sequential'} MNIST, ${MNIST_PIXELS} + ${o.blackPixels} steps`,
  // The data do not depend on the seed: prepare them once (runSupervisedCli disposes them after
  // each seed, so prepare again when a seed's copy was disposed).
  async (o) => {
    if (cached === undefined || cached.x.isDisposed) cached = await mnistData(o);
    return cached;
  },
);
