/**
 * A demo worker process (forked by pool.ts): activates the backend it is told, then performs
 * the runs it is sent, one at a time, reporting progress and results over IPC.
 */
import type { DemoBackend } from './args';
import { useBackend } from './backend';
import { runExperiment, type RunProgress, type RunResult, type RunSpec } from './experiment';

/** Parent → worker. */
export type WorkerRequest = { type: 'init'; backend: DemoBackend } | { type: 'run'; index: number; spec: RunSpec };

/** Worker → parent. */
export type WorkerReply =
  | { type: 'ready' }
  | { type: 'progress'; index: number; progress: RunProgress }
  | { type: 'result'; index: number; result: RunResult }
  | { type: 'error'; index: number | null; message: string };

function send(reply: WorkerReply): void {
  process.send?.(reply);
}

process.on('message', (message: WorkerRequest) => {
  void (async () => {
    if (message.type === 'init') {
      try {
        await useBackend(message.backend);
        send({ type: 'ready' });
      } catch (e) {
        send({ type: 'error', index: null, message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
      }
      return;
    }
    const { index, spec } = message;
    try {
      const result = await runExperiment(spec, (progress) => send({ type: 'progress', index, progress }));
      send({ type: 'result', index, result });
    } catch (e) {
      send({ type: 'error', index, message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    }
  })();
});
// Leave when the parent goes away.
process.on('disconnect', () => process.exit(0));
