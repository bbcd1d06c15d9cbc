import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { countAttractors, findFixedPoints, landscapeSvg } from '../../src/index';
import { bistableCell } from './systems';

describe('landscapeSvg', () => {
  it('draws trajectories, starts and each point by kind, deterministically, with an escaped title', async () => {
    const start = tf.tensor2d([[-0.8], [-0.3], [0], [0.4], [0.9]]);
    const count = await countAttractors(bistableCell(), {
      startingStates: start,
      input: 'zero',
      maxIterations: 200,
      horizon: 300,
      recordPoints: 8,
    });
    const svg = landscapeSvg(count, { title: 'a <b> & "c"', width: 300, height: 200 });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="300" height="200"')).toBe(true);
    expect(svg.endsWith('</svg>')).toBe(true);
    expect(svg).toContain('a &lt;b&gt; &amp; &quot;c&quot;');
    expect(svg.match(/<polyline /g)).toHaveLength(5);
    // Two stable discs and one unstable ring in the plot, one of each in the legend.
    expect(svg.match(/<title>stable<\/title>/g)).toHaveLength(3);
    expect(svg.match(/<title>unstable<\/title>/g)).toHaveLength(2);
    expect(svg).toContain('stable (2)');
    expect(svg).toContain('PC1 (100% of variance)');
    expect(svg).not.toMatch(/NaN|Infinity/);
    expect(landscapeSvg(count, { title: 'a <b> & "c"', width: 300, height: 200 })).toBe(svg);
    // A fixed-point analysis alone: no trajectories.
    const analysis = await findFixedPoints(bistableCell(), { startingStates: start, input: 'zero', maxIterations: 50 });
    expect(landscapeSvg(analysis)).not.toContain('<polyline');
    start.dispose();
  });
});
