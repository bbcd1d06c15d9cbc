/**
 * Measures of multistability (SPEC §2): the exact VAA and its differentiable surrogate VAA*.
 *
 * @packageDocumentation
 */
export { vaa } from './vaa';
export { vaaStar } from './vaa_star';
