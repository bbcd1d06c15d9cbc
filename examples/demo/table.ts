/**
 * The results table: one row per run, plus a per cell × variant summary over seeds. Rows are
 * plain strings so the same table renders as aligned text (stdout) and as HTML.
 */
import type { RunResult } from './experiment';
import { formatDuration, formatMse, formatVaa, summariseCurve } from './format';
import { groupBy, mean } from '../common/summary';

export const RESULT_HEADERS = [
  'cell',
  'variant',
  'seed',
  'VAA init',
  'VAA warmed',
  'val MSE over training (start → ¼ → ½ → ¾ → end)',
  'test MSE',
  'warmup',
  'training',
];

export function resultRows(results: readonly RunResult[]): string[][] {
  return results.map((r) => [
    r.cell,
    r.variant,
    String(r.seed),
    formatVaa(r.vaaInit),
    formatVaa(r.vaaAfterWarmup),
    summariseCurve(r.valMse),
    formatMse(r.testMse),
    r.variant === 'none' ? '–' : formatDuration(r.warmupMs),
    formatDuration(r.trainMs),
  ]);
}

export const SUMMARY_HEADERS = [
  'cell',
  'variant',
  'seeds',
  'mean VAA init',
  'mean VAA warmed',
  'test MSE per seed',
  'mean test MSE',
  'mean warmup',
  'mean training',
];

/** One row per (cell, variant), in the order they first appear. */
export function summaryRows(results: readonly RunResult[]): string[][] {
  return groupBy(results, (r) => `${r.cell}/${r.variant}`).map((runs) => {
    const warmed = runs.map((r) => r.vaaAfterWarmup).filter((v): v is number => v != null);
    return [
      runs[0].cell,
      runs[0].variant,
      String(runs.length),
      formatVaa(mean(runs.map((r) => r.vaaInit))),
      warmed.length === 0 ? '–' : formatVaa(mean(warmed)),
      runs.map((r) => formatMse(r.testMse)).join(', '),
      formatMse(mean(runs.map((r) => r.testMse))),
      runs[0].variant === 'none' ? '–' : formatDuration(mean(runs.map((r) => r.warmupMs))),
      formatDuration(mean(runs.map((r) => r.trainMs))),
    ];
  });
}

/** An aligned text table (markdown pipe syntax, so it can be pasted into docs). */
export function textTable(headers: readonly string[], rows: readonly string[][]): string {
  const widths = headers.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: readonly string[]): string => `| ${cells.map((v, c) => v.padEnd(widths[c])).join(' | ')} |`;
  return [line(headers), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)].join('\n');
}
