/** The machine and software a benchmark ran on, for the report. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { hostInfo } from '../examples/demo/machine';

export type MachineInfo = ReturnType<typeof hostInfo> & { tfjsWasm: string };

function packageVersion(name: string): string {
  try {
    const require = createRequire(import.meta.url);
    const path = require.resolve(`${name}/package.json`);
    return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

export function loadAverage(): number[] {
  return hostInfo().loadAverage;
}

export function machineInfo(): MachineInfo {
  return { ...hostInfo(), tfjsWasm: packageVersion('@tensorflow/tfjs-backend-wasm') };
}
