/**
 * Runs the demo's runs on `jobs` CPU cores: with one job in this process, otherwise in forked
 * worker processes (each with its own tfjs backend; the wasm backend uses one thread). Results
 * do not depend on the number of jobs: every random draw of a run is seeded by its spec.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { DemoBackend } from './args';
import { runExperiment, type RunProgress, type RunResult, type RunSpec } from './experiment';
import type { WorkerReply, WorkerRequest } from './worker';

export interface PoolCallbacks {
  /** Progress of run `index` (its position in `specs`). */
  onProgress(index: number, progress: RunProgress): void;
  /** Run `index` finished; may be async (e.g. write the report), awaited before the next result is handled. */
  onResult(index: number, result: RunResult): void | Promise<void>;
}

/** Performs every spec, at most `jobs` at a time, and returns the results in spec order. */
export async function runAll(
  specs: readonly RunSpec[],
  jobs: number,
  backend: DemoBackend,
  callbacks: PoolCallbacks,
): Promise<RunResult[]> {
  const results: RunResult[] = new Array<RunResult>(specs.length);
  if (jobs <= 1 || specs.length <= 1) {
    for (const [index, spec] of specs.entries()) {
      results[index] = await runExperiment(spec, (p) => callbacks.onProgress(index, p));
      await callbacks.onResult(index, results[index]);
    }
    return results;
  }
  const workerPath = fileURLToPath(new URL('./worker.ts', import.meta.url));
  const order = dispatchOrder(specs);
  const workers: ChildProcess[] = [];
  /** The run each worker is doing, or null. */
  const busy = new Map<ChildProcess, number | null>();
  let next = 0;
  // Results are handled one after another, in the order they arrive.
  let handled: Promise<void> = Promise.resolve();
  try {
    await new Promise<void>((resolve, reject) => {
      let finished = 0;
      let failed = false;
      const fail = (error: Error): void => {
        if (failed) return;
        failed = true;
        reject(error);
      };
      const dispatch = (worker: ChildProcess): void => {
        if (next >= specs.length) {
          busy.set(worker, null);
          worker.disconnect();
          return;
        }
        const index = order[next++];
        busy.set(worker, index);
        worker.send({ type: 'run', index, spec: specs[index] } satisfies WorkerRequest);
      };
      const count = Math.min(jobs, specs.length);
      for (let w = 0; w < count; w++) {
        // execArgv is inherited, so the worker runs under tsx like this process.
        const worker = fork(workerPath, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
        workers.push(worker);
        busy.set(worker, null);
        worker.on('message', (reply: WorkerReply) => {
          if (failed) return;
          switch (reply.type) {
            case 'ready':
              dispatch(worker);
              break;
            case 'progress':
              callbacks.onProgress(reply.index, reply.progress);
              break;
            case 'result':
              results[reply.index] = reply.result;
              handled = handled.then(() => callbacks.onResult(reply.index, reply.result));
              handled.then(
                () => {
                  if (++finished === specs.length) resolve();
                },
                (e: unknown) => fail(e instanceof Error ? e : new Error(String(e))),
              );
              dispatch(worker);
              break;
            case 'error':
              fail(
                new Error(
                  `demo worker failed${reply.index == null ? '' : ` on run ${reply.index + 1}`}:\n${reply.message}`,
                ),
              );
              break;
          }
        });
        worker.on('exit', (code, signal) => {
          const index = busy.get(worker);
          if (code !== 0 || index != null) {
            fail(
              new Error(
                `demo worker exited (code ${code}, signal ${signal})${index == null ? '' : ` during run ${index + 1}`}.`,
              ),
            );
          }
        });
        worker.on('error', (e) => fail(e));
        worker.send({ type: 'init', backend } satisfies WorkerRequest);
      }
    });
    await handled;
  } finally {
    for (const worker of workers) if (worker.exitCode === null && worker.signalCode === null) worker.kill();
  }
  return results;
}

const VARIANT_COST = { double: 3, warmup: 2, none: 1 } as const;

/**
 * The order runs are handed to workers: seed by seed, and within a seed the costliest variants
 * first (double layers, then warmup, then plain), so that no long run starts last while the
 * other workers sit idle.
 */
export function dispatchOrder(specs: readonly RunSpec[]): number[] {
  const seedRank = (seed: number): number => specs.findIndex((s) => s.seed === seed);
  return specs
    .map((_, i) => i)
    .sort(
      (a, b) =>
        seedRank(specs[a].seed) - seedRank(specs[b].seed) ||
        VARIANT_COST[specs[b].variant] - VARIANT_COST[specs[a].variant] ||
        a - b,
    );
}
