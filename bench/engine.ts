/**
 * The engine switch as the benchmarks use it: run a job with the whole-sequence WebAssembly
 * engine allowed (`setEngineMode('auto')`) or with the tfjs-op path forced
 * (`setEngineMode('ops')`), and check afterwards which path actually ran (`engineStatus()`),
 * so that an "engine" column can never silently time the op path.
 */
import { engineStatus, ready, setEngineMode, type EngineMode } from '../src/index';
import type { Job } from './timing';

export type Path = 'engine' | 'ops';

/** Waits for the engine; throws when it is unavailable (the engine column would be a lie). */
export async function requireEngine(): Promise<string> {
  const status = await ready();
  if (status.state !== 'ready') {
    throw new Error(
      `bench: the engine is ${status.state}${status.reason ? ` (${status.reason})` : ''}; cannot time the engine column.`,
    );
  }
  return `ready, ${(status.memoryBytes / 2 ** 20).toFixed(1)} MiB of engine memory at start`;
}

/** `f()` with the engine mode of `path` (null: as it is), restored afterwards; unchecked. */
export function onMode<T>(path: Path | null, f: () => T): T {
  if (path == null) return f();
  setEngineMode(path === 'engine' ? 'auto' : 'ops');
  try {
    return f();
  } finally {
    setEngineMode('auto');
  }
}

/**
 * `job` run with the engine mode set to `path`'s mode (restored afterwards); throws if a run
 * meant for the engine used the op path or the other way round.
 */
export function onPath(path: Path, job: Job): Job {
  const mode: EngineMode = path === 'engine' ? 'auto' : 'ops';
  return async () => {
    setEngineMode(mode);
    const before = engineStatus().calls;
    try {
      await job();
    } finally {
      setEngineMode('auto');
    }
    const after = engineStatus().calls;
    const ranEngine = after.engine - before.engine;
    const ranOps = after.ops - before.ops;
    if (path === 'engine' ? ranEngine === 0 || ranOps > 0 : ranEngine > 0) {
      throw new Error(
        `bench: a job meant for the ${path} path ran ${ranEngine} recurrence(s) on the engine and ${ranOps} on the op path.`,
      );
    }
  };
}

/** Peak of the engine's own memory so far, in MiB (for the report). */
export function engineMemoryMiB(): number {
  return engineStatus().memoryBytes / 2 ** 20;
}
