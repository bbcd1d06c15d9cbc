import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));

/** Runs a fixture in a child Node process (with `flags`) and returns its JSON line after `mark`. */
function runFixture(file: string, mark: string, flags: string[] = []): Record<string, unknown> {
  const out = execFileSync(process.execPath, [...flags, '--import', 'tsx', join(here, 'fixtures', file)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: join(here, '..', '..'),
  });
  const line = out.split('\n').find((l) => l.startsWith(mark));
  if (line == null) throw new Error(`${file} printed no result:\n${out}`);
  return JSON.parse(line.slice(mark.length)) as Record<string, unknown>;
}

describe('loading in Node', () => {
  it('the engine is ready at import, before anything is awaited', () => {
    expect(runFixture('ready_at_import.ts', 'AT-IMPORT ')).toEqual({ state: 'ready' });
  });
});

describe('without WebAssembly the library falls back to the tfjs-op path', () => {
  it('reports the engine unavailable with a reason and still runs layers', () => {
    const result = runFixture('without_webassembly.ts', 'FALLBACK ', ['--no-expose-wasm']);
    expect(result.state).toBe('unavailable');
    expect(result.reason).toMatch(/WebAssembly/);
    expect(result.lastPath).toBe('ops');
    expect(result.calls).toEqual({ engine: 0, ops: 1 });
    expect(result.shape).toEqual([2, 4, 3]);
  });
});
