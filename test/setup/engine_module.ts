/**
 * Vitest global setup: (re)compiles the recurrence engine's WebAssembly module
 * (src/engine/generated/, not committed) when it is missing or older than its sources, once
 * before any test file runs, so tests work straight after a checkout.
 */
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  execFileSync(process.execPath, ['src/engine/compile_engine.mjs'], { stdio: 'inherit' });
}
