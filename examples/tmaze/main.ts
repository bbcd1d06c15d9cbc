/**
 * `npm run example:tmaze`: T-Maze with a DRQN agent, episodes until the greedy policy is
 * optimal with and without warmup (SPEC §7). See `--help` and examples/tmaze/README.md.
 */
import { useBackend } from '../demo/backend';
import { formatDuration, formatMse, formatVaa } from '../demo/format';
import { textTable } from '../demo/table';
import { ExampleArgsError } from '../common/cli';
import { parseTMazeArgs, USAGE } from './args';
import { runDrqn, type DrqnResult } from './drqn';

export const RESULT_HEADERS = ['cell', 'variant', 'seed', 'VAA init', 'VAA warmed', 'episodes to optimal', 'loss (first → last interval)', 'warmup', 'training'];

export function resultRows(results: readonly DrqnResult[], maxEpisodes: number): string[][] {
  return results.map((r) => [
    r.cell, r.warmup ? 'warmup' : 'none', String(r.seed), formatVaa(r.vaaInit), formatVaa(r.vaaAfterWarmup),
    r.episodesToOptimal === null ? `> ${maxEpisodes}` : String(r.episodesToOptimal),
    r.losses.length === 0 ? '–' : `${formatMse(r.losses[0])} → ${formatMse(r.losses[r.losses.length - 1])}`,
    r.warmup ? formatDuration(r.warmupMs) : '–', formatDuration(r.trainMs),
  ]);
}

/** Per cell × variant: the episodes to optimal per seed, and how many seeds became optimal. */
export function summaryRows(results: readonly DrqnResult[], maxEpisodes: number): string[][] {
  const groups = new Map<string, DrqnResult[]>();
  for (const r of results) {
    const key = `${r.cell}/${r.warmup}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()].map((runs) => {
    const solved = runs.filter((r) => r.episodesToOptimal !== null).map((r) => r.episodesToOptimal as number).sort((a, b) => a - b);
    const median = solved.length === runs.length ? String(solved[Math.floor((solved.length - 1) / 2)]) : '–';
    return [
      runs[0].cell, runs[0].warmup ? 'warmup' : 'none', `${solved.length}/${runs.length}`,
      runs.map((r) => (r.episodesToOptimal === null ? `>${maxEpisodes}` : String(r.episodesToOptimal))).join(', '), median,
    ];
  });
}

async function main(): Promise<void> {
  const parsed = parseTMazeArgs(process.argv.slice(2));
  if (parsed.help) {
    console.log(USAGE);
    return;
  }
  const o = parsed.options;
  await useBackend(o.backend);
  const started = performance.now();
  console.log(
    `T-Maze L = ${o.length}, DRQN ${o.units} units, cells ${o.cells.join(', ')}, variants ${o.variants.join(', ')}, ` +
      `seeds ${o.seeds.join(', ')}, ${o.explorationEpisodes} exploration episodes, at most ${o.maxEpisodes} training episodes` +
      `${o.quick ? ' (--quick: numbers mean nothing)' : ''}.`,
  );
  const results: DrqnResult[] = [];
  for (const seed of o.seeds) {
    for (const cell of o.cells) {
      for (const variant of o.variants) {
        const label = `${cell} · ${variant} · seed ${seed}`;
        const result = await runDrqn({ ...o, cell, seed }, variant === 'warmup', (p) => {
          if (p.phase === 'train') {
            console.log(`${label}: episode ${p.episode}, ε ${p.epsilon?.toFixed(3)}, loss ${formatMse(p.loss ?? NaN)}${p.optimal ? ', optimal' : ''}`);
          } else {
            console.log(`${label}: ${p.phase}…`);
          }
        });
        results.push(result);
        console.log(`${label} done: ${result.episodesToOptimal === null ? `not optimal after ${result.episodes}` : `optimal after ${result.episodesToOptimal}`} training episodes.`);
      }
    }
  }
  console.log(`\nAll runs (episodes = ε-greedy training episodes after ${o.explorationEpisodes} exploration episodes; VAA T = ${o.vaaSteps}):\n`);
  console.log(textTable(RESULT_HEADERS, resultRows(results, o.maxEpisodes)));
  console.log('\nSummary over seeds:\n');
  console.log(textTable(['cell', 'variant', 'optimal', 'episodes to optimal per seed', 'median'], summaryRows(results, o.maxEpisodes)));
  console.log(`\nWall time ${formatDuration(performance.now() - started)}.`);
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
