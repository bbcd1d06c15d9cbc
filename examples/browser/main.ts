/**
 * The browser page (examples/browser/index.html): pick a cell, a sequence length and a tfjs
 * backend, press Run, and watch VAA* rise while one copy of a 2-layer network is warmed up,
 * then the validation MSE of the plain and the warmed-up copies fall side by side while both
 * are trained on copy-first-input.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
// Registers 'webgpu' where the browser has WebGPU (navigator.gpu, secure contexts only: https or localhost).
import '@tensorflow/tfjs-backend-webgpu';
import { BACKENDS, ConfigError, Controls, backendOffered, type BackendName } from './controls';
import { runExperiment, MODEL_KEYS, type ExperimentResult, type ModelKey } from './experiment';
import type { LandscapeView } from './landscapes';
import type { DemoHook, DemoState } from './hook';
import { escapeHtml, LineChart } from './line_chart';

// The .wasm binaries are copied next to the bundle at build time: no CDN.
setWasmPaths(new URL('./', document.baseURI).href);

const LAYER_COLORS = ['#1f6fb4', '#d9480f', '#2b8a3e', '#7048e8'];
const MODEL_COLORS: Record<ModelKey, string> = { plain: '#495057', warmed: '#d9480f' };
const MODEL_NAMES: Record<ModelKey, string> = { plain: 'plain', warmed: 'warmed up' };

const $ = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`page: missing element #${id}`);
  return el as T;
};

const controls = new Controls();
const statusEl = $('status');
const progressEl = $<HTMLProgressElement>('progress');
const backendEl = $('backend-in-use');
const summaryEl = $('summary');

const vaaCharts: Record<ModelKey, LineChart> = {
  plain: new LineChart($('chart-vaa-plain'), {
    title: 'VAA* per layer (no warmup)',
    xLabel: 'warmup step',
    yLabel: 'VAA*',
    yScale: 'linear',
    yDomain: [0, 1.05],
    placeholder: 'not warmed up: VAA* stays at its initial value',
  }),
  warmed: new LineChart($('chart-vaa-warmed'), {
    title: 'VAA* per layer during warmup',
    xLabel: 'warmup step',
    yLabel: 'VAA*',
    yScale: 'linear',
    yDomain: [0, 1.05],
    placeholder: 'press Run',
  }),
};
const lossCharts: Record<ModelKey, LineChart> = {
  plain: new LineChart($('chart-loss-plain'), lossOptions('plain')),
  warmed: new LineChart($('chart-loss-warmed'), lossOptions('warmed')),
};

function lossOptions(key: ModelKey): ConstructorParameters<typeof LineChart>[1] {
  return {
    title: `MSE during training (${MODEL_NAMES[key]})`,
    xLabel: 'epoch',
    yLabel: 'MSE',
    yScale: 'log',
    references: [{ y: 1, label: 'predicting 0' }],
    placeholder: 'training starts after warmup',
  };
}

const allCharts = (): [string, LineChart][] => [
  ['vaa-plain', vaaCharts.plain],
  ['vaa-warmed', vaaCharts.warmed],
  ['loss-plain', lossCharts.plain],
  ['loss-warmed', lossCharts.warmed],
];

const hook: DemoHook = {
  state: 'loading',
  phase: '',
  status: '',
  backend: null,
  backendsOffered: BACKENDS.filter(backendOffered),
  error: null,
  lastResult: null,
  tensors: null,
  runs: 0,
  plots: () => Object.fromEntries(allCharts().map(([id, chart]) => [id, chart.counts()])),
};
window.__demo = hook;

function setState(state: DemoState): void {
  hook.state = state;
  document.body.dataset.state = state;
}

function setStatus(text: string, kind: 'info' | 'error' = 'info'): void {
  hook.status = text;
  statusEl.textContent = text;
  statusEl.classList.toggle('error', kind === 'error');
}

const fmt = (v: number | undefined, digits = 3): string =>
  v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(digits);
const fmtList = (values: number[]): string => (values.length ? values.map((v) => fmt(v)).join(' / ') : '–');

function setNumber(id: string, html: string, value: unknown): void {
  const el = $(id);
  el.innerHTML = html;
  el.dataset.value = JSON.stringify(value);
}

function resetView(config: ReturnType<Controls['read']>, warmupBatch: number): void {
  for (const key of MODEL_KEYS) {
    const vaa = vaaCharts[key];
    vaa.clear();
    vaa.setOptions({
      xDomain: [1, Math.max(2, config.warmupSteps)],
      references: [
        { y: 0.95, label: 'target 0.95' },
        { y: 1 / warmupBatch, label: `1/n = monostable (n = ${warmupBatch})` },
      ],
    });
    const loss = lossCharts[key];
    loss.clear();
    loss.setOptions({ xDomain: [0, config.epochs] });
    const other: ModelKey = key === 'plain' ? 'warmed' : 'plain';
    loss.addSeries('train', {
      label: 'training (per batch)',
      color: MODEL_COLORS[key],
      width: 1,
      opacity: 0.35,
      markers: false,
    });
    loss.addSeries('other', {
      label: `validation, ${MODEL_NAMES[other]}`,
      color: MODEL_COLORS[other],
      width: 1.5,
      dash: '5 4',
      markers: false,
    });
    loss.addSeries('val', { label: 'validation', color: MODEL_COLORS[key], width: 2.5, markers: true });
  }
  for (const id of ['num-plain-vaa', 'num-warmed-vaa', 'num-plain-mse', 'num-warmed-mse']) setNumber(id, '–', null);
  resetLandscapes(config.landscapes === true);
  summaryEl.textContent = '';
  progressEl.value = 0;
}

const landscapeSection = document.getElementById('attractors') as HTMLElement;
const landscapePictures = document.getElementById('landscape-pictures') as HTMLElement;
const landscapeNumbers = document.getElementById('landscape-numbers') as HTMLElement;
const landscapeLines: string[] = [];

function resetLandscapes(visible: boolean): void {
  landscapeSection.hidden = !visible;
  landscapePictures.innerHTML = '';
  landscapeNumbers.textContent = '';
  landscapeLines.length = 0;
}

/** Shows one model's landscape pictures (generated by landscapeSvg: no scripts, escaped text) and its numbers. */
function showLandscape(stage: 'before' | 'after', view: LandscapeView): void {
  landscapePictures.insertAdjacentHTML('beforeend', view.pictures.join(''));
  landscapeLines.push(
    `${stage} warmup: ${view.stable} stable, ${view.unstable} unstable, ${view.slow} slow; ` +
      `${view.attractors} attractor(s) reached by ${view.samples} trajectories at step ${view.horizon} (VAA × n = ${(view.vaa * view.samples).toFixed(1)}); ${(view.ms / 1000).toFixed(1)} s`,
  );
  landscapeNumbers.textContent = landscapeLines.join(' · ');
  hook.landscapes = {
    ...(hook.landscapes ?? {}),
    [stage]: {
      stable: view.stable,
      unstable: view.unstable,
      slow: view.slow,
      attractors: view.attractors,
      pictures: view.pictures.length,
    },
  };
}

/** Both loss charts on one y scale, so the panels compare at a glance. */
function shareLossScale(): void {
  const values = [...lossCharts.plain.yValues(), ...lossCharts.warmed.yValues(), 1];
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const pad = Math.max(Math.log10(hi / lo) * 0.08, 0.05);
  const domain: [number, number] = [lo / 10 ** pad, hi * 10 ** pad];
  lossCharts.plain.setYDomain(domain);
  lossCharts.warmed.setYDomain(domain);
}

async function useBackend(name: BackendName): Promise<string> {
  const ok = await tf.setBackend(name);
  await tf.ready();
  if (!ok || tf.getBackend() !== name) {
    throw new Error(`could not start the '${name}' backend (active: '${tf.getBackend()}'); pick another one.`);
  }
  const env = tf.env();
  if (name === 'webgl') {
    const float32 = env.getBool('WEBGL_RENDER_FLOAT32_ENABLED');
    return `webgl (WebGL ${env.getNumber('WEBGL_VERSION')}, ${float32 ? 'float32' : 'float16: low precision'})`;
  }
  if (name === 'wasm') {
    const simd = await env.getAsync('WASM_HAS_SIMD_SUPPORT');
    const threads = await env.getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
    return `wasm (${simd ? 'SIMD' : 'no SIMD'}, ${threads ? 'multi-threaded' : 'single thread'})`;
  }
  return name;
}

let abort: AbortController | null = null;

async function run(): Promise<void> {
  let config;
  try {
    config = controls.read();
  } catch (e) {
    if (e instanceof ConfigError) {
      setStatus(e.message, 'error');
      return;
    }
    throw e;
  }
  hook.runs++;
  hook.error = null;
  hook.lastResult = null;
  hook.tensors = null;
  hook.landscapes = undefined;
  setState('running');
  controls.setRunning(true);
  const warmupBatch = Math.min(32, config.samples);
  resetView(config, warmupBatch);
  abort = new AbortController();
  const signal = abort.signal;
  const started = performance.now();
  try {
    setStatus(`Starting the ${config.backend} backend…`);
    const description = await useBackend(config.backend);
    hook.backend = tf.getBackend();
    backendEl.textContent = description;
    const before = tf.memory().numTensors;
    const firstVal: Partial<Record<ModelKey, number>> = {};
    const result: ExperimentResult = await runExperiment(
      config,
      {
        onPhase: (phase, detail) => {
          hook.phase = phase;
          setStatus(detail);
        },
        onWarmupStep: (info) => {
          info.vaaStar.forEach((v, l) => {
            const id = `layer-${l + 1}`;
            if (vaaCharts.warmed.pointCount(id) === 0) {
              vaaCharts.warmed.addSeries(id, { label: `layer ${l + 1}`, color: LAYER_COLORS[l % LAYER_COLORS.length] });
            }
            vaaCharts.warmed.push(id, info.step + 1, v);
          });
          progressEl.value = (0.3 * (info.step + 1)) / config.warmupSteps;
          setStatus(
            `Warmup step ${info.step + 1}/${config.warmupSteps}: VAA* ${fmtList(info.vaaStar)}, T = ${info.stabilisationSteps}, loss ${info.loss.toExponential(2)}`,
          );
        },
        onWarmupDone: (report) => {
          const last = report.stepsCompleted;
          report.vaaStarBefore.forEach((v, l) => {
            const id = `layer-${l + 1}`;
            vaaCharts.plain.addSeries(id, {
              label: `layer ${l + 1} (initial)`,
              color: LAYER_COLORS[l % LAYER_COLORS.length],
              dash: '6 4',
              markers: false,
            });
            vaaCharts.plain.push(id, 1, v);
            vaaCharts.plain.push(id, Math.max(2, last), v);
          });
          setNumber('num-plain-vaa', fmtList(report.vaaStarBefore), report.vaaStarBefore);
          setNumber(
            'num-warmed-vaa',
            `${fmtList(report.vaaStarBefore)} → <strong>${fmtList(report.vaaStarAfter)}</strong>`,
            { before: report.vaaStarBefore, after: report.vaaStarAfter },
          );
        },
        onLandscape: (stage, view) => showLandscape(stage, view),
        onTrainLoss: (key, epoch, loss) => {
          lossCharts[key].push('train', epoch, loss);
          shareLossScale();
        },
        onValidation: (key, epoch, mse) => {
          lossCharts[key].push('val', epoch, mse);
          const other: ModelKey = key === 'plain' ? 'warmed' : 'plain';
          lossCharts[other].push('other', epoch, mse);
          shareLossScale();
          firstVal[key] ??= mse;
          setNumber(`num-${key}-mse`, `${fmt(firstVal[key])} → <strong>${fmt(mse)}</strong> (epoch ${epoch})`, mse);
        },
        onTrainProgress: (fraction, detail) => {
          progressEl.value = 0.3 + 0.7 * fraction;
          setStatus(detail);
        },
      },
      signal,
    );
    await new Promise((r) => setTimeout(r, 0));
    hook.tensors = { before, after: tf.memory().numTensors };
    hook.lastResult = result;
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const last = (key: ModelKey): number | undefined => result.valMse[key][result.valMse[key].length - 1];
    if (result.stopped) {
      setState('stopped');
      setStatus(
        `Stopped after ${seconds} s (${result.warmup.stepsCompleted} warmup steps, ${result.epochsCompleted} epochs).`,
      );
    } else {
      setState('done');
      progressEl.value = 1;
      setStatus(`Done in ${seconds} s on ${hook.backend}.`);
    }
    summaryEl.innerHTML =
      result.epochsCompleted > 0
        ? `Final validation MSE: plain <strong>${fmt(last('plain'), 4)}</strong>, warmed up <strong>${fmt(last('warmed'), 4)}</strong> ` +
          `(predicting 0 gives ≈ 1). VAA* after warmup: <strong>${fmtList(result.warmup.vaaStarAfter)}</strong>.`
        : escapeHtml('Training did not run.');
  } catch (e) {
    console.error(e);
    const message = e instanceof Error ? e.message : String(e);
    hook.error = message;
    setState('error');
    setStatus(`Error: ${message}`, 'error');
  } finally {
    hook.phase = '';
    abort = null;
    controls.setRunning(false);
    for (const [, chart] of allCharts()) chart.flush();
  }
}

controls.form.addEventListener('submit', (event) => {
  event.preventDefault();
  void run();
});
controls.stopButton.addEventListener('click', () => {
  if (!abort) return;
  abort.abort();
  setStatus('Stopping after the current step…');
});

controls.setRunning(false);
setState('idle');
setStatus(`Ready. Backends offered: ${hook.backendsOffered.join(', ')}.`);
