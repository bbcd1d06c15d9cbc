/**
 * Writes the learning-curve charts of a report's results.json (the demo's or an example's) as
 * standalone SVG files, for docs/results.md:
 *
 *   npx tsx examples/export_charts.ts demo-report/results.json docs/results demo
 *   → docs/results/demo-1.svg, demo-2.svg, … (one per chart, in report order)
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { demoCharts } from './demo/report_html';
import type { DemoReport } from './demo/report_data';
import { lineChartSvg, type LineChartOptions } from './demo/svg_chart';

/** The charts of a parsed results.json: an example report carries them, the demo's are rebuilt. */
export function chartsOf(json: unknown): LineChartOptions[] {
  if (typeof json !== 'object' || json === null) throw new Error('results.json: not an object.');
  const report = json as { charts?: LineChartOptions[]; options?: unknown; results?: unknown };
  if (Array.isArray(report.charts)) return report.charts;
  if (report.options !== undefined && Array.isArray(report.results)) return demoCharts(json as DemoReport);
  throw new Error('results.json: neither an example report (charts) nor a demo report (options, results).');
}

async function main(): Promise<void> {
  const [file, outDir, prefix] = process.argv.slice(2);
  if (!file || !outDir || !prefix) {
    console.error('Usage: npx tsx examples/export_charts.ts RESULTS.json OUT_DIR PREFIX');
    process.exit(2);
  }
  const charts = chartsOf(JSON.parse(await readFile(file, 'utf8')));
  await mkdir(outDir, { recursive: true });
  for (const [i, chart] of charts.entries()) {
    const path = join(outDir, `${prefix}-${i + 1}.svg`);
    // JSON turns NaN into null: restore gaps so the chart skips them.
    const series = chart.series.map((s) => ({
      ...s,
      values: s.values.map((v) => (typeof v === 'number' ? v : Number.NaN)),
    }));
    await writeFile(path, `${lineChartSvg({ ...chart, series })}\n`);
    console.log(`${path}: ${chart.title}`);
  }
}

if (process.argv[1]?.endsWith('export_charts.ts')) void main();
