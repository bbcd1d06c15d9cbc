import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));

describe('without WebAssembly the library falls back to the tfjs-op path', () => {
  it('reports the engine unavailable with a reason and still runs layers', () => {
    const out = execFileSync(
      process.execPath,
      ['--no-expose-wasm', '--import', 'tsx', join(here, 'fixtures', 'without_webassembly.ts')],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], cwd: join(here, '..', '..') },
    );
    const line = out.split('\n').find((l) => l.startsWith('FALLBACK '));
    expect(line, out).toBeDefined();
    const result = JSON.parse(line!.slice('FALLBACK '.length));
    expect(result.state).toBe('unavailable');
    expect(result.reason).toMatch(/WebAssembly/);
    expect(result.lastPath).toBe('ops');
    expect(result.calls).toEqual({ engine: 0, ops: 1 });
    expect(result.shape).toEqual([2, 4, 3]);
  });
});
