/** Command-line options of `npm run bench`. */
import type { BenchBackend } from './backend';

export interface BenchArgs {
  backends: BenchBackend[];
  quick: boolean;
  out: string;
  /** Skip the per-op profile. */
  noProfile: boolean;
  /**
   * Only the rows whose label (`GRU 32u L100`) matches, plus the whole jobs if it matches
   * `whole jobs`; no profile. For quick checks while working: the report is partial.
   */
  only: RegExp | null;
}

export const USAGE = `Usage: npm run bench -- [--backend wasm|cpu|both] [--quick] [--out docs/benchmarks.md] [--no-profile] [--only REGEX]
  --backend   which tfjs backend(s) to time (default: both)
  --quick     tiny sizes and few repetitions, for smoke testing (numbers mean nothing)
  --out       where to write the markdown report (default: docs/benchmarks.md)
  --no-profile  skip the per-op profile
  --only      only rows whose label ('GRU 32u L100', 'whole jobs') matches REGEX (case-insensitive);
              no profile; needs --out (a partial report must not replace docs/benchmarks.md)`;

export function parseArgs(argv: readonly string[]): BenchArgs {
  const args: BenchArgs = {
    backends: ['wasm', 'cpu'],
    quick: false,
    out: 'docs/benchmarks.md',
    noProfile: false,
    only: null,
  };
  let outGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2) as [string, string | undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v == null || v.startsWith('--')) throw new Error(`${flag} needs a value.\n${USAGE}`);
      return v;
    };
    switch (flag) {
      case '--backend': {
        const v = value();
        if (v === 'both') args.backends = ['wasm', 'cpu'];
        else if (v === 'wasm' || v === 'cpu') args.backends = [v];
        else throw new Error(`--backend must be wasm, cpu or both, got '${v}'.\n${USAGE}`);
        break;
      }
      case '--quick':
        args.quick = true;
        break;
      case '--no-profile':
        args.noProfile = true;
        break;
      case '--out':
        args.out = value();
        outGiven = true;
        break;
      case '--only':
        args.only = new RegExp(value(), 'i');
        args.noProfile = true;
        break;
      case '--help':
      case '-h':
        console.log(USAGE);
        process.exit(0);
        break;
      default:
        throw new Error(`Unknown option '${argv[i]}'.\n${USAGE}`);
    }
  }
  if (args.only && !outGiven) throw new Error(`--only needs --out (a partial report).\n${USAGE}`);
  return args;
}
