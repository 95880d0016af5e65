/**
 * A compact JSON Schema for the SPDX 2.3 JSON fields Lockstep relies on.
 *
 * Why hand-written: no npm package ships the SPDX 2.x document schema (the `spdx-*` packages are
 * license-expression tools, and the CycloneDX library's `spdx.SNAPSHOT.schema.json` is only the
 * license-id list), and the official schema is not vendored into this repository. This schema
 * restates the official v2.3 constraints (spdx/spdx-spec `schemas/spdx-schema.json`, tag v2.3) for
 * the document header, creation info, packages, checksums, external references, files and
 * relationships: the same required fields and enums. The conformance suite checks that it gives the
 * same verdict as the official schema on real syft SBOMs and on broken variants of them.
 *
 * Differences, on purpose: unknown properties are allowed (the official schema forbids them, which
 * only matters for tools that add extensions), and `spdxVersion` must be `SPDX-2.3` (the official
 * schema accepts any string; SPDX 2.2 documents need a 2.2 schema, e.g. `PACKAGE_MANAGER`).
 */

const CHECKSUM_ALGORITHMS = [
  'SHA1', 'BLAKE3', 'SHA3-384', 'SHA256', 'SHA384', 'BLAKE2b-512', 'BLAKE2b-256', 'SHA3-512', 'MD2',
  'ADLER32', 'MD4', 'SHA3-256', 'BLAKE2b-384', 'SHA512', 'MD6', 'MD5', 'SHA224',
];

const REFERENCE_CATEGORIES = ['OTHER', 'PERSISTENT-ID', 'SECURITY', 'PACKAGE-MANAGER'];

const PACKAGE_PURPOSES = [
  'OTHER', 'INSTALL', 'ARCHIVE', 'FIRMWARE', 'APPLICATION', 'FRAMEWORK', 'LIBRARY', 'CONTAINER', 'SOURCE',
  'DEVICE', 'OPERATING_SYSTEM', 'FILE',
];

const RELATIONSHIP_TYPES = [
  'VARIANT_OF', 'COPY_OF', 'PATCH_FOR', 'TEST_DEPENDENCY_OF', 'CONTAINED_BY', 'DATA_FILE_OF',
  'OPTIONAL_COMPONENT_OF', 'ANCESTOR_OF', 'GENERATES', 'CONTAINS', 'OPTIONAL_DEPENDENCY_OF', 'FILE_ADDED',
  'REQUIREMENT_DESCRIPTION_FOR', 'DEV_DEPENDENCY_OF', 'DEPENDENCY_OF', 'BUILD_DEPENDENCY_OF', 'DESCRIBES',
  'PREREQUISITE_FOR', 'HAS_PREREQUISITE', 'PROVIDED_DEPENDENCY_OF', 'DYNAMIC_LINK', 'DESCRIBED_BY',
  'METAFILE_OF', 'DEPENDENCY_MANIFEST_OF', 'PATCH_APPLIED', 'RUNTIME_DEPENDENCY_OF', 'TEST_OF',
  'TEST_TOOL_OF', 'DEPENDS_ON', 'SPECIFICATION_FOR', 'FILE_MODIFIED', 'DISTRIBUTION_ARTIFACT', 'AMENDS',
  'DOCUMENTATION_OF', 'GENERATED_FROM', 'STATIC_LINK', 'OTHER', 'BUILD_TOOL_OF', 'TEST_CASE_OF',
  'PACKAGE_OF', 'DESCENDANT_OF', 'FILE_DELETED', 'EXPANDED_FROM_ARCHIVE', 'DEV_TOOL_OF', 'EXAMPLE_OF',
];

const checksums = {
  type: 'array',
  items: {
    type: 'object',
    required: ['algorithm', 'checksumValue'],
    properties: {
      algorithm: { type: 'string', enum: CHECKSUM_ALGORITHMS },
      checksumValue: { type: 'string' },
    },
  },
} as const;

export const SPDX_2_3_COMPACT_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://lockstep.dev/schemas/spdx-2.3-compact.json',
  title: 'SPDX 2.3 (fields Lockstep relies on)',
  type: 'object',
  required: ['SPDXID', 'creationInfo', 'dataLicense', 'name', 'spdxVersion'],
  properties: {
    spdxVersion: { type: 'string', const: 'SPDX-2.3' },
    SPDXID: { type: 'string' },
    name: { type: 'string' },
    dataLicense: { type: 'string' },
    documentNamespace: { type: 'string' },
    documentDescribes: { type: 'array', items: { type: 'string' } },
    creationInfo: {
      type: 'object',
      required: ['created', 'creators'],
      properties: {
        created: { type: 'string' },
        creators: { type: 'array', items: { type: 'string' } },
        licenseListVersion: { type: 'string' },
      },
    },
    packages: {
      type: 'array',
      items: {
        type: 'object',
        required: ['SPDXID', 'downloadLocation', 'name'],
        properties: {
          SPDXID: { type: 'string' },
          name: { type: 'string' },
          downloadLocation: { type: 'string' },
          versionInfo: { type: 'string' },
          filesAnalyzed: { type: 'boolean' },
          hasFiles: { type: 'array', items: { type: 'string' } },
          checksums,
          externalRefs: {
            type: 'array',
            items: {
              type: 'object',
              required: ['referenceCategory', 'referenceLocator', 'referenceType'],
              properties: {
                referenceCategory: { type: 'string', enum: REFERENCE_CATEGORIES },
                referenceLocator: { type: 'string' },
                referenceType: { type: 'string' },
                comment: { type: 'string' },
              },
            },
          },
          primaryPackagePurpose: { type: 'string', enum: PACKAGE_PURPOSES },
          licenseConcluded: { type: 'string' },
          licenseDeclared: { type: 'string' },
          supplier: { type: 'string' },
          originator: { type: 'string' },
        },
      },
    },
    files: {
      type: 'array',
      items: {
        type: 'object',
        required: ['SPDXID', 'checksums', 'fileName'],
        properties: {
          SPDXID: { type: 'string' },
          fileName: { type: 'string' },
          checksums,
        },
      },
    },
    relationships: {
      type: 'array',
      items: {
        type: 'object',
        required: ['spdxElementId', 'relatedSpdxElement', 'relationshipType'],
        properties: {
          spdxElementId: { type: 'string' },
          relatedSpdxElement: { type: 'string' },
          relationshipType: { type: 'string', enum: RELATIONSHIP_TYPES },
          comment: { type: 'string' },
        },
      },
    },
  },
} as const;
