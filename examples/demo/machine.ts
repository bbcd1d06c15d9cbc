/** The machine and software the demo and the examples ran on, for their reports. */
import * as os from 'node:os';
import * as tf from '@tensorflow/tfjs';

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  tfjs: string;
  /** The tfjs backend and, for wasm, whether SIMD and threads are in use. */
  backend: string;
  /** 1, 5 and 15-minute load averages when the demo started (other jobs slow it down). */
  loadAverage: number[];
}

/** The host part of {@link MachineInfo}: everything but the backend (shared with bench/). */
export function hostInfo(): Omit<MachineInfo, 'backend'> {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} (${os.arch()})`,
    node: process.version,
    tfjs: tf.version.tfjs,
    loadAverage: os.loadavg().map((v) => Math.round(v * 100) / 100),
  };
}

/** Describes this machine and the active tfjs backend. */
export async function machineInfo(): Promise<MachineInfo> {
  return { ...hostInfo(), backend: await backendDetails() };
}

async function backendDetails(): Promise<string> {
  const name = tf.getBackend();
  if (name !== 'wasm') return name;
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  return `wasm (SIMD ${simd ? 'on' : 'off'}, threads ${threads ? 'on' : 'off'})`;
}
