/**
 * Node-only helpers of the tasks (entry point `tfjs-warmup-rnn/tasks/node`): they read files
 * with `node:fs`, so they are kept out of the browser-safe `tfjs-warmup-rnn/tasks` entry.
 *
 * @packageDocumentation
 */
export {
  loadMnistFiles,
  loadMnistFilesSync,
  mnistDataDirectory,
  type LoadMnistFilesOptions,
  type MnistFiles,
} from './mnist_files';
export { WarmupRnnError, InvalidArgumentError } from '../../errors';
