import { describe, expect, it } from 'vitest';
import {
  DEFAULT_OPTIONS,
  ExampleArgsError,
  QUICK_OPTIONS,
  USAGE,
  parseDemoArgs,
  type DemoOptions,
} from '../../examples/demo/args';

function options(argv: string[]): DemoOptions {
  const parsed = parseDemoArgs(argv);
  if (parsed.help) throw new Error('unexpected --help');
  return parsed.options;
}

function error(argv: string[]): string {
  try {
    parseDemoArgs(argv);
  } catch (e) {
    expect(e).toBeInstanceOf(ExampleArgsError);
    return (e as Error).message;
  }
  throw new Error(`no error for ${argv.join(' ')}`);
}

describe('parseDemoArgs', () => {
  it('gives the embedded default without flags', () => {
    const o = options([]);
    expect(o).toEqual(DEFAULT_OPTIONS);
    expect(o.cells).toEqual(['gru', 'lstm', 'nbrc']);
    expect(o.variants).toEqual(['none', 'warmup', 'double']);
    expect(o.warmupSteps).toBe(100);
    expect(o.batchSize).toBe(32);
    expect(o.backend).toBe('wasm');
    expect(o.out).toBe('demo-report');
    expect(o.quick).toBe(false);
    expect(o.seeds.length).toBeGreaterThanOrEqual(1);
    // A fresh copy each time: mutating it does not change the defaults.
    o.cells.push('brc');
    expect(DEFAULT_OPTIONS.cells).toEqual(['gru', 'lstm', 'nbrc']);
  });

  it('reads every flag, separated or inline', () => {
    const o = options([
      '--cells',
      'lstm,brc',
      '--variants=warmup,none',
      '--length',
      '250',
      '--units=12',
      '--seeds',
      '3,5-7',
      '--warmup-steps',
      '40',
      '--epochs',
      '7',
      '--train-samples',
      '300',
      '--valid-samples',
      '60',
      '--test-samples=70',
      '--batch-size',
      '16',
      '--vaa-steps',
      '500',
      '--backend',
      'cpu',
      '--jobs',
      '3',
      '--out',
      'some/dir',
    ]);
    expect(o).toEqual({
      cells: ['lstm', 'brc'],
      variants: ['warmup', 'none'],
      length: 250,
      units: 12,
      seeds: [3, 5, 6, 7],
      warmupSteps: 40,
      epochs: 7,
      trainSamples: 300,
      validSamples: 60,
      testSamples: 70,
      batchSize: 16,
      vaaSteps: 500,
      backend: 'cpu',
      jobs: 3,
      out: 'some/dir',
      quick: false,
    } satisfies DemoOptions);
  });

  it('accepts upper case and spaces in lists', () => {
    expect(options(['--cells', 'GRU, nBRC']).cells).toEqual(['gru', 'nbrc']);
  });

  it('--quick picks the tiny base; explicit flags win whatever their position', () => {
    expect(options(['--quick'])).toEqual(QUICK_OPTIONS);
    expect(QUICK_OPTIONS.quick).toBe(true);
    const o = options(['--epochs', '5', '--quick', '--cells', 'nbrc']);
    expect(o).toEqual({ ...QUICK_OPTIONS, epochs: 5, cells: ['nbrc'] });
  });

  it('--help and -h ask for help', () => {
    expect(parseDemoArgs(['--help'])).toEqual({ help: true });
    expect(parseDemoArgs(['--length', '5', '-h'])).toEqual({ help: true });
    expect(USAGE).toContain('--warmup-steps');
  });

  it('rejects unknown flags and positional arguments', () => {
    expect(error(['--lenght', '5'])).toContain("Unknown option '--lenght'");
    expect(error(['gru'])).toContain("Unknown option 'gru'");
    expect(error(['--quick=1'])).toContain('--quick takes no value');
  });

  it('rejects missing values and flags given twice', () => {
    expect(error(['--length'])).toContain('--length needs a value');
    expect(error(['--length', '--units', '4'])).toContain('--length needs a value');
    expect(error(['--out='])).toContain('--out needs a value');
    expect(error(['--epochs', '2', '--epochs=3'])).toContain('--epochs is given twice');
  });

  it('rejects bad numbers', () => {
    for (const bad of ['0', '-3', '2.5', 'ten', '1e3', '']) {
      expect(error(['--length', bad])).toMatch(/--length (expects an integer ≥ 1|needs a value)/);
    }
    expect(error(['--train-samples', '1'])).toContain('--train-samples expects an integer ≥ 2');
    expect(error(['--jobs', '0'])).toContain('--jobs expects an integer ≥ 1');
  });

  it('rejects bad lists', () => {
    expect(error(['--cells', 'gru,rnn'])).toContain("--cells must be one of gru, lstm, nbrc, brc, got 'rnn'");
    expect(error(['--cells', ','])).toContain('--cells expects a comma-separated list');
    expect(error(['--variants', 'none,none'])).toContain("'none' is listed twice");
    expect(error(['--seeds', '1,x'])).toContain('--seeds expects an integer ≥ 0');
    expect(error(['--seeds', '4-2'])).toContain("empty range '4-2'");
    expect(error(['--seeds', '0-2,2'])).toContain('seed 2 is listed twice');
    expect(error(['--seeds', '0-5000'])).toContain('too long');
  });

  it('rejects a bad backend', () => {
    expect(error(['--backend', 'webgl'])).toContain("--backend must be one of wasm, cpu, got 'webgl'");
  });

  it('checks combinations', () => {
    expect(error(['--units', '5'])).toContain('--units must be even');
    expect(options(['--units', '5', '--variants', 'none,warmup']).units).toBe(5);
    expect(error(['--train-samples', '16', '--batch-size', '32'])).toContain(
      '--batch-size (32) is larger than --train-samples (16)',
    );
  });

  it('ends every error with the usage text', () => {
    expect(error(['--nope'])).toContain(USAGE);
  });
});
