import { describe, expect, it } from 'vitest';
import { markedSections, replaceSection } from '../../bench/sections';

describe('benchmark report sections', () => {
  it('appends a missing section, replaces it in place later, and leaves the rest alone', () => {
    const report = '# Benchmarks\n\nbody\n';
    const once = replaceSection(report, 'browser-page', '## Browser page\n\n| a |\n');
    expect(once).toBe(
      '# Benchmarks\n\nbody\n\n<!-- section:browser-page -->\n## Browser page\n\n| a |\n<!-- /section:browser-page -->\n',
    );
    const twice = replaceSection(`${once}\ntail\n`, 'browser-page', 'new $& $1');
    expect(twice).toContain('<!-- section:browser-page -->\nnew $& $1\n<!-- /section:browser-page -->\n');
    expect(twice).not.toContain('| a |');
    expect(twice.startsWith('# Benchmarks\n\nbody\n')).toBe(true);
    expect(twice.endsWith('tail\n')).toBe(true);
  });

  it('finds every marked section so `npm run bench` can keep them', () => {
    const text = replaceSection(replaceSection('# B\n', 'one', 'x'), 'two', 'y');
    expect(markedSections(text)).toEqual([
      '<!-- section:one -->\nx\n<!-- /section:one -->\n',
      '<!-- section:two -->\ny\n<!-- /section:two -->\n',
    ]);
    expect(markedSections('# none here\n')).toEqual([]);
  });
});
