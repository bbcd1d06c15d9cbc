import { InvalidArgumentError } from '../errors';
import { ENGINE_WASM_BASE64 } from './generated/engine_wasm';

/**
 * Which path runs recurrences: `'auto'` uses the WebAssembly engine where it can run (the
 * `cpu` and `wasm` tfjs backends, once the engine is loaded) and the tfjs-op path elsewhere;
 * `'ops'` always uses the tfjs-op path.
 */
export type EngineMode = 'auto' | 'ops';

/** What {@link engineStatus} reports. */
export interface EngineStatus {
  /**
   * `'loading'` until the engine's WebAssembly module is compiled (recurrences use the tfjs-op
   * path meanwhile), then `'ready'`, or `'unavailable'` when this runtime cannot run it (no
   * WebAssembly or no SIMD, or a content-security policy forbidding compilation; `reason` says
   * which). Everything works in every state; only the speed differs.
   */
  state: 'loading' | 'ready' | 'unavailable';
  /** Why the engine is unavailable (the error met while loading it). */
  reason?: string;
  /** How many recurrences (sequence runs and constant-input runs) each path has run so far. */
  calls: { engine: number; ops: number };
  /** The path of the most recent recurrence, or `null` before the first. */
  lastPath: 'engine' | 'ops' | null;
  /** Bytes of memory the engine holds (it grows when a call needs more, and is reused). */
  memoryBytes: number;
}

/** The functions of the engine's module (src/engine/assembly/index.ts); pointers are bytes. */
export interface EngineExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  [kernel: string]: ((...args: number[]) => unknown) | WebAssembly.Memory;
}

let state: EngineStatus['state'] = 'loading';
let reason: string | undefined;
let instance: EngineExports | null = null;
let mode: EngineMode = 'auto';
const calls = { engine: 0, ops: 0 };
let lastPath: EngineStatus['lastPath'] = null;

// Loaded as soon as the library is imported. Browsers refuse to compile modules over 4 KB
// synchronously on the main thread, so there it compiles asynchronously and the first calls
// take the tfjs-op path until it is done. Node has no such limit and compiles this module in
// ~15 ms (measured), so there it is ready at import and scripts get it from their first call.
const loading: Promise<EngineStatus> = runsInNode() ? Promise.resolve(loadNow()) : load().then(engineStatus);

function runsInNode(): boolean {
  const versions = (globalThis as { process?: { versions?: { node?: string } } }).process?.versions;
  return typeof versions?.node === 'string';
}

function loadNow(): EngineStatus {
  try {
    checkWebAssembly();
    const module = new WebAssembly.Module(decodeBase64(ENGINE_WASM_BASE64));
    loaded(new WebAssembly.Instance(module, {}));
  } catch (error) {
    failed(error);
  }
  return engineStatus();
}

async function load(): Promise<void> {
  try {
    checkWebAssembly();
    const module = await WebAssembly.compile(decodeBase64(ENGINE_WASM_BASE64));
    loaded(await WebAssembly.instantiate(module, {}));
  } catch (error) {
    failed(error);
  }
}

function checkWebAssembly(): void {
  if (typeof WebAssembly !== 'object' || typeof WebAssembly.instantiate !== 'function') {
    throw new Error('WebAssembly is not available in this runtime');
  }
}

function loaded(created: WebAssembly.Instance): void {
  instance = created.exports as unknown as EngineExports;
  state = 'ready';
}

function failed(error: unknown): void {
  // Typically no SIMD support (older runtimes) or a content-security policy without
  // 'wasm-unsafe-eval': the op path keeps working.
  state = 'unavailable';
  reason = error instanceof Error ? error.message : String(error);
}

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * Resolves once the recurrence engine is loaded, or known to be unavailable; never rejects.
 * In Node the engine loads while the library is imported; in browsers it compiles
 * asynchronously and recurrences run on the tfjs-op path until then, so awaiting this is only
 * needed there, to get the engine's speed from the very first call.
 *
 * @example
 * ```ts
 * import { ready } from 'tfjs-warmup-rnn';
 * const status = await ready();
 * console.log(status.state); // 'ready' where WebAssembly with SIMD runs
 * ```
 */
export function ready(): Promise<EngineStatus> {
  return loading;
}

/** Where the recurrence engine stands and which path recurrences have taken so far. */
export function engineStatus(): EngineStatus {
  return {
    state,
    ...(reason != null ? { reason } : {}),
    calls: { ...calls },
    lastPath,
    memoryBytes: instance == null ? 0 : instance.memory.buffer.byteLength,
  };
}

/**
 * Sets the global {@link EngineMode}: `'ops'` forces the tfjs-op path everywhere (to compare
 * the two paths, or as an escape hatch); `'auto'` (the default) lets the engine run where it
 * can. A layer's own `engine` option can force the op path for that layer only.
 */
export function setEngineMode(newMode: EngineMode): void {
  mode = checkEngineMode(newMode, 'setEngineMode: mode');
}

/** Returns `value` as an {@link EngineMode}, or throws InvalidArgumentError naming `option` (internal). */
export function checkEngineMode(value: unknown, option: string): EngineMode {
  if (value !== 'auto' && value !== 'ops') {
    throw new InvalidArgumentError(`${option} must be 'auto' or 'ops', got ${JSON.stringify(value)}.`);
  }
  return value;
}

/** The global {@link EngineMode} set by {@link setEngineMode}. */
export function getEngineMode(): EngineMode {
  return mode;
}

/** The engine's module when it is ready, else null (internal). */
export function loadedEngine(): EngineExports | null {
  return instance;
}

/** Counts one recurrence run by `path` (internal; read through {@link engineStatus}). */
export function recordPath(path: 'engine' | 'ops'): void {
  calls[path]++;
  lastPath = path;
}

/** Recounts the run just counted as `'engine'` as `'ops'`: the engine declined it (internal). */
export function recordDeclined(): void {
  calls.engine--;
  calls.ops++;
  lastPath = 'ops';
}
