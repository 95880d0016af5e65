export * from './read.ts';
export * from './validate.ts';
export * from './store.ts';
export * from './syft.ts';
export * from './annotations.ts';
export * from './release-sbom.ts';
export { SPDX_2_3_COMPACT_SCHEMA } from './spdx-schema.ts';
export { conformanceSboms } from './conformance.ts';
export type { SuiteResult } from './conformance.ts';
