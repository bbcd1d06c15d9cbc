/**
 * A small command-line parser shared by the demo and the task examples (denoising, MNIST,
 * T-Maze): `--flag value` or `--flag=value`,
 * `--quick` picks the smoke configuration as the base and explicit flags apply on top, `--help`
 * / `-h`, every error names the flag and ends with the usage text. Pure: no I/O, no exit.
 */
/** Backends the Node examples can use. */
export const BACKENDS = ['wasm', 'cpu'] as const;
export type ExampleBackend = (typeof BACKENDS)[number];

/** A bad command line; the message says what is wrong and ends with the usage text. */
export class ExampleArgsError extends Error {
  constructor(message: string, usage: string) {
    super(`${message}\n\n${usage}`);
    this.name = 'ExampleArgsError';
  }
}

/** Thrown by the value parsers below; {@link parseArgv} adds the usage text. */
class BadValue extends Error {}

/** Stores the parsed value of one flag into the options. */
export type Setter<O> = (options: Partial<O>, value: string, flag: string) => void;

export interface ArgvSpec<O> {
  usage: string;
  /** Flags that take a value. */
  setters: Record<string, Setter<O>>;
  /** Flags without a value (other than `--quick` and `--help`). */
  switches?: Record<string, (options: Partial<O>) => void>;
}

export type ParsedArgv<O> = { help: true } | { help: false; explicit: Partial<O>; quick: boolean };

/** Parses `argv`; throws {@link ExampleArgsError} on an unknown, repeated or bad flag. */
export function parseArgv<O>(argv: readonly string[], spec: ArgvSpec<O>): ParsedArgv<O> {
  const explicit: Partial<O> = {};
  const seen = new Set<string>();
  let quick = false;
  const has = (record: object | undefined, key: string): boolean =>
    record !== undefined && Object.prototype.hasOwnProperty.call(record, key);
  try {
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i];
      if (arg === '--help' || arg === '-h') return { help: true };
      const eq = arg.indexOf('=');
      const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
      const inline = arg.startsWith('--') && eq > 0 ? arg.slice(eq + 1) : undefined;
      if (seen.has(flag)) throw new BadValue(`${flag} is given twice.`);
      if (flag === '--quick' || has(spec.switches, flag)) {
        if (inline !== undefined) throw new BadValue(`${flag} takes no value, got '${arg}'.`);
        seen.add(flag);
        if (flag === '--quick') quick = true;
        else spec.switches![flag](explicit);
        continue;
      }
      if (!has(spec.setters, flag)) throw new BadValue(`Unknown option '${arg}'.`);
      seen.add(flag);
      let value = inline;
      if (value === undefined) {
        const next = argv[i + 1];
        if (next === undefined || next.startsWith('--')) throw new BadValue(`${flag} needs a value.`);
        value = next;
        i++;
      }
      if (value.trim() === '') throw new BadValue(`${flag} needs a value.`);
      spec.setters[flag](explicit, value, flag);
    }
  } catch (error) {
    if (error instanceof BadValue) throw new ExampleArgsError(error.message, spec.usage);
    throw error;
  }
  return { help: false, explicit, quick };
}

/** An integer ≥ min. */
export function integer(flag: string, value: string, min: number): number {
  const n = Number(value);
  if (!/^[+]?\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min) {
    throw new BadValue(`${flag} expects an integer ≥ ${min}, got '${value}'.`);
  }
  return n;
}

/** A finite number in [min, max]. */
export function number(flag: string, value: string, min: number, max = Infinity): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max) {
    throw new BadValue(`${flag} expects a number in [${min}, ${max}], got '${value}'.`);
  }
  return n;
}

/** One of `allowed`. */
export function choice<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  const v = value.trim().toLowerCase();
  if (!(allowed as readonly string[]).includes(v)) {
    throw new BadValue(`${flag} must be one of ${allowed.join(', ')}, got '${value}'.`);
  }
  return v as T;
}

/** A comma-separated list of distinct values of `allowed`. */
export function choices<T extends string>(flag: string, value: string, allowed: readonly T[]): T[] {
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (items.length === 0)
    throw new BadValue(`${flag} expects a comma-separated list of ${allowed.join(', ')}, got '${value}'.`);
  const out = items.map((item) => choice(flag, item, allowed));
  const duplicate = out.find((item, i) => out.indexOf(item) !== i);
  if (duplicate !== undefined) throw new BadValue(`${flag}: '${duplicate}' is listed twice.`);
  return out;
}

/** `0,1,5` and inclusive ranges `0-4`: distinct non-negative seeds. */
export function seeds(flag: string, value: string): number[] {
  const out: number[] = [];
  const parts = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (parts.length === 0) throw new BadValue(`${flag} expects seeds such as 0,1 or 0-4, got '${value}'.`);
  for (const part of parts) {
    const range = /^(\d+)-(\d+)$/.exec(part);
    if (range) {
      const a = integer(flag, range[1], 0);
      const b = integer(flag, range[2], 0);
      if (b < a) throw new BadValue(`${flag}: empty range '${part}'.`);
      if (b - a >= 1000) throw new BadValue(`${flag}: range '${part}' is too long (at most 1000 seeds).`);
      for (let s = a; s <= b; s++) out.push(s);
    } else {
      out.push(integer(flag, part, 0));
    }
  }
  const duplicate = out.find((s, i) => out.indexOf(s) !== i);
  if (duplicate !== undefined) throw new BadValue(`${flag}: seed ${duplicate} is listed twice.`);
  return out;
}

/** The `--backend` flag. */
export function backend(flag: string, value: string): ExampleBackend {
  return choice(flag, value, BACKENDS);
}

/** Throws an {@link ExampleArgsError} for an inconsistent combination found after parsing. */
export function inconsistent(message: string, usage: string): never {
  throw new ExampleArgsError(message, usage);
}
