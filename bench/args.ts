/** Command-line options of `npm run bench`. */
import type { BenchBackend } from './backend';

export interface BenchArgs {
  backends: BenchBackend[];
  quick: boolean;
  out: string;
  /** Skip the per-op profile. */
  noProfile: boolean;
}

export const USAGE = `Usage: npm run bench -- [--backend wasm|cpu|both] [--quick] [--out docs/benchmarks.md] [--no-profile]
  --backend   which tfjs backend(s) to time (default: both)
  --quick     tiny sizes and few repetitions, for smoke testing (numbers mean nothing)
  --out       where to write the markdown report (default: docs/benchmarks.md)
  --no-profile  skip the per-op profile`;

export function parseArgs(argv: readonly string[]): BenchArgs {
  const args: BenchArgs = { backends: ['wasm', 'cpu'], quick: false, out: 'docs/benchmarks.md', noProfile: false };
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
  return args;
}
