/** `npm run example:denoising`: plain vs warmed-up recurrent networks on denoising (SPEC §7). See `--help`. */
import { runSupervisedCli } from './common/run_supervised_cli';
import { DENOISING_TASK, DENOISING_USAGE, denoisingData, parseDenoisingArgs } from './supervised/denoising';

void runSupervisedCli(
  () => parseDenoisingArgs(process.argv.slice(2)),
  DENOISING_USAGE,
  DENOISING_TASK,
  (o) => `Denoising, L = ${o.length}`,
  denoisingData,
);
