/**
 * `npm run example:tmaze`: T-Maze with a DRQN agent, episodes until the greedy policy is
 * optimal with and without warmup (docs/method.md#t-maze). See `--help` and
 * examples/tmaze/README.md.
 */
import { useBackend } from '../demo/backend';
import { formatDuration, formatMse } from '../demo/format';
import { textTable } from '../demo/table';
import { ExampleArgsError } from '../common/cli';
import { writeExampleReport } from '../common/html_report';
import { startRun } from '../common/report_run';
import { parseTMazeArgs, USAGE } from './args';
import { runDrqn, type DrqnResult } from './drqn';
import { tmazeReport } from './report';

async function main(): Promise<void> {
  const parsed = parseTMazeArgs(process.argv.slice(2));
  if (parsed.help) {
    console.log(USAGE);
    return;
  }
  const o = parsed.options;
  await useBackend(o.backend);
  const { started, startedAt, machine, command, plannedRuns } = await startRun('example:tmaze', o);
  console.log(
    `T-Maze L = ${o.length}, DRQN ${o.units} units, cells ${o.cells.join(', ')}, variants ${o.variants.join(', ')}, ` +
      `seeds ${o.seeds.join(', ')}, ${o.explorationEpisodes} exploration episodes, at most ${o.maxEpisodes} training episodes` +
      `${o.quick ? ' (--quick: numbers mean nothing)' : ''}.`,
  );
  const results: DrqnResult[] = [];
  const report = () =>
    tmazeReport({ options: o, command, startedAt, wallMs: performance.now() - started, plannedRuns, machine, results });
  let files = { html: '', json: '' };
  for (const seed of o.seeds) {
    for (const cell of o.cells) {
      for (const variant of o.variants) {
        const label = `[${results.length + 1}/${plannedRuns}] ${cell} · ${variant} · seed ${seed}`;
        const runStarted = performance.now();
        const result = await runDrqn({ ...o, cell, seed }, variant === 'warmup', (p) => {
          if (p.phase === 'train') {
            console.log(
              `${label}: episode ${p.episode}, ε ${p.epsilon?.toFixed(3)}, loss ${formatMse(p.loss ?? NaN)}${p.optimal ? ', optimal' : ''} (${formatDuration(performance.now() - runStarted)})`,
            );
          } else {
            console.log(`${label}: ${p.phase}… (${formatDuration(performance.now() - runStarted)})`);
          }
        });
        results.push(result);
        console.log(
          `${label} done: ${result.episodesToOptimal === null ? `not optimal after ${result.episodes}` : `optimal after ${result.episodesToOptimal}`} training episodes` +
            ` (VAA ${result.vaaInit?.toFixed(3) ?? '–'}${result.vaaAfterWarmup === null ? '' : ` → ${result.vaaAfterWarmup.toFixed(3)}`}).`,
        );
        files = await writeExampleReport(o.out, report());
      }
    }
  }
  const final = report();
  files = await writeExampleReport(o.out, final);
  console.log(
    `\nAll runs (episodes = ε-greedy training episodes after ${o.explorationEpisodes} exploration episodes; VAA T = ${o.vaaSteps}):\n`,
  );
  console.log(textTable(final.runs.headers, final.runs.rows));
  console.log('\nSummary over seeds:\n');
  console.log(textTable(final.summary.headers, final.summary.rows));
  console.log(`\nWall time ${formatDuration(final.wallMs)} (load average at start ${machine.loadAverage.join(', ')}).`);
  console.log(`Report: ${files.html} (data: ${files.json}).`);
}

main().catch((error: unknown) => {
  if (error instanceof ExampleArgsError) {
    console.error(error.message);
    process.exitCode = 2;
  } else {
    console.error(error);
    process.exitCode = 1;
  }
});
