/**
 * The page's test hook, `window.__demo`: run state, the last result and plotted point counts,
 * read by test/browser/page.test.ts (and handy in the devtools console).
 */
import type { ExperimentResult } from './experiment';

export type DemoState = 'loading' | 'idle' | 'running' | 'done' | 'stopped' | 'error';

export interface DemoHook {
  state: DemoState;
  /** Current phase of a run: setup, attractors, warmup, train, or '' between runs. */
  phase: string;
  /** The status line shown on the page. */
  status: string;
  /** The tfjs backend the last run used (null before the first run). */
  backend: string | null;
  /** Backends offered in the backend menu. */
  backendsOffered: string[];
  /** Message of the last error (null when the last run succeeded). */
  error: string | null;
  /** Numbers of the last finished (or stopped) run. */
  lastResult: ExperimentResult | null;
  /** Live tensors right before the last run and after it (equal: nothing leaked). */
  tensors: { before: number; after: number } | null;
  /** Points found and pictures drawn by the attractor landscapes of the last run (when ticked). */
  landscapes?: Partial<
    Record<'before' | 'after', { stable: number; unstable: number; slow: number; attractors: number; pictures: number }>
  >;
  /** Runs started since the page loaded. */
  runs: number;
  /** Plotted points of every chart, by chart id then series id. */
  plots(): Record<string, Record<string, number>>;
}

declare global {
  interface Window {
    __demo: DemoHook;
  }
}
