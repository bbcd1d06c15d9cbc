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
  // No shared chunks: package.json "sideEffects" names dist/index.{js,cjs}; a shared
  // chunk holding layer registration could be tree-shaken away by user bundlers.
  splitting: false,
  treeshake: true,
  external: [/^@tensorflow\//],
  outDir: 'dist',
});
