/** The demo's report: what was run, where, and what came out; written as results.json + report.html. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DemoOptions } from './args';
import type { RunResult } from './experiment';
import type { MachineInfo } from './machine';
import { renderReportHtml } from './report_html';

export interface DemoReport {
  options: DemoOptions;
  /** Fixed settings that are not flags (learning rate, VAA samples, …). */
  settings: Record<string, string | number>;
  machine: MachineInfo;
  /** ISO date and time the demo started. */
  startedAt: string;
  /** Wall time so far, in milliseconds. */
  wallMs: number;
  /** Number of runs the configuration asks for; `results.length` of them are done. */
  plannedRuns: number;
  results: RunResult[];
}

/** Writes `results.json` and `report.html` into `dir` (created if needed); returns their paths. */
export async function writeReport(dir: string, report: DemoReport): Promise<{ json: string; html: string }> {
  await mkdir(dir, { recursive: true });
  const json = join(dir, 'results.json');
  const html = join(dir, 'report.html');
  await writeFile(json, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(html, renderReportHtml(report));
  return { json, html };
}
