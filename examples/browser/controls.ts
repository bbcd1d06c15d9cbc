/**
 * The control form: reads and validates the configuration, lists the backends this browser
 * can use, and takes initial values from the URL (`?cell=lstm&length=200&backend=wasm`;
 * `landscapes=1` ticks the attractor landscapes).
 */
import * as tf from '@tensorflow/tfjs';
import { CELLS, type CellKind, type ExperimentConfig } from './experiment';

export const BACKENDS = ['webgl', 'wasm', 'cpu', 'webgpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

export interface RunConfig extends ExperimentConfig {
  backend: BackendName;
}

/** Numeric fields: element id, config key, bounds. */
const NUMBER_FIELDS = [
  { key: 'length', min: 1, max: 2000 },
  { key: 'units', min: 1, max: 256 },
  { key: 'warmupSteps', min: 1, max: 1000 },
  { key: 'epochs', min: 1, max: 1000 },
  { key: 'samples', min: 2, max: 16384 },
  { key: 'seed', min: 0, max: 2 ** 31 - 1 },
] as const satisfies readonly { key: keyof ExperimentConfig; min: number; max: number }[];

export class ConfigError extends Error {}

/** Whether the page can offer `name` (webgpu only where the browser has WebGPU: the backend registers itself only then). */
export function backendOffered(name: BackendName): boolean {
  if (tf.findBackendFactory(name) == null) return false;
  if (name === 'webgpu') return typeof navigator !== 'undefined' && 'gpu' in navigator;
  return true;
}

export class Controls {
  readonly form: HTMLFormElement;
  readonly runButton: HTMLButtonElement;
  readonly stopButton: HTMLButtonElement;
  private readonly backendSelect: HTMLSelectElement;
  private readonly cellSelect: HTMLSelectElement;

  constructor(root: Document = document) {
    const get = <T extends HTMLElement>(id: string): T => {
      const el = root.getElementById(id);
      if (!el) throw new Error(`page: missing element #${id}`);
      return el as T;
    };
    this.form = get<HTMLFormElement>('controls');
    this.runButton = get<HTMLButtonElement>('run');
    this.stopButton = get<HTMLButtonElement>('stop');
    this.backendSelect = get<HTMLSelectElement>('backend');
    this.cellSelect = get<HTMLSelectElement>('cell');
    for (const option of Array.from(this.backendSelect.options)) {
      if (!backendOffered(option.value as BackendName)) option.remove();
    }
    this.applyQuery(new URLSearchParams(location.search));
  }

  /** Presets fields from URL parameters named like the fields (`backend`, `cell`, `length`, …). */
  private applyQuery(params: URLSearchParams): void {
    params.forEach((value, name) => {
      const field = this.form.elements.namedItem(name);
      if (field instanceof HTMLInputElement && field.type === 'checkbox')
        field.checked = value !== '0' && value !== 'false';
      else if (field instanceof HTMLInputElement) field.value = value;
      else if (field instanceof HTMLSelectElement && Array.from(field.options).some((o) => o.value === value))
        field.value = value;
    });
  }

  /** The configuration in the form; throws {@link ConfigError} naming a bad field. */
  read(): RunConfig {
    const cell = this.cellSelect.value as CellKind;
    if (!(CELLS as readonly string[]).includes(cell)) throw new ConfigError(`Unknown cell '${cell}'.`);
    const backend = this.backendSelect.value as BackendName;
    if (!(BACKENDS as readonly string[]).includes(backend)) throw new ConfigError(`Unknown backend '${backend}'.`);
    const numbers = {} as Record<(typeof NUMBER_FIELDS)[number]['key'], number>;
    for (const { key, min, max } of NUMBER_FIELDS) {
      const input = this.form.elements.namedItem(key) as HTMLInputElement | null;
      const label = input?.closest('label')?.textContent?.trim() || key;
      const value = Number(input?.value);
      if (!Number.isInteger(value) || value < min || value > max) {
        throw new ConfigError(`${label}: expected an integer from ${min} to ${max}, got '${input?.value ?? ''}'.`);
      }
      numbers[key] = value;
    }
    const landscapes = (this.form.elements.namedItem('landscapes') as HTMLInputElement | null)?.checked === true;
    return { cell, backend, ...numbers, landscapes };
  }

  setRunning(running: boolean): void {
    this.runButton.disabled = running;
    this.stopButton.disabled = !running;
    for (const el of Array.from(this.form.querySelectorAll<HTMLInputElement | HTMLSelectElement>('input, select')))
      el.disabled = running;
  }
}
