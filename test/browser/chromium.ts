/**
 * Where the browser suites find Debian's Chromium, and the flags that make tfjs' webgl backend
 * initialise under SwiftShader (no GPU). Shared by every test in test/browser/.
 */
import { existsSync } from 'node:fs';

export const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
/** With REQUIRE_BROWSER=1 (set by .ci/run when it installed Chromium) a missing browser fails. */
export const required = process.env.REQUIRE_BROWSER === '1';
export const haveChromium = existsSync(executablePath);

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-background-networking',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--ignore-gpu-blocklist',
];

/** Extra flags that give headless Chromium a WebGPU adapter without a GPU (SwiftShader's Vulkan). */
export const WEBGPU_ARGS = ['--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-webgpu-adapter=swiftshader'];
