/**
 * The baselines Lockstep's synth is measured against in the same run: the plain-data floor and
 * cdk8s-plus-28 in a single chart. Each lives in its own module; this one names them together.
 */
export { buildPlainObjects, serializePlain, writePlainFiles } from './floor.ts';
export { buildCdk8sPlusApp } from './cdk8s-plus.ts';
