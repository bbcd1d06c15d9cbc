/**
 * Measures of multistability (SPEC §2): the exact VAA and its differentiable surrogate VAA*.
 *
 * @packageDocumentation
 */
export { vaa, vaaAsync } from './vaa';
export { vaaStar } from './vaa_star';
