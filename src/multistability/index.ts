/**
 * Measures of multistability (see the
 * [method guide](../../docs/method.md#measures-of-multistability)): the exact VAA and its
 * differentiable surrogate VAA*.
 *
 * @packageDocumentation
 */
export { vaa, vaaAsync } from './vaa';
export { vaaStar } from './vaa_star';
