import { describe, expect, it } from 'vitest';
import { validateCyclonedxText, validateSbom, validateSpdxDocument } from '../../../src/supply-chain/sbom/validate.ts';
import { bytesOf, cyclonedxImageSbom, spdxImageSbom } from './fixtures.ts';

const FILE = 'sboms/x.json';

describe('validateSbom with SPDX 2.3', () => {
  it('accepts a syft-shaped SPDX 2.3 document', async () => {
    expect(await validateSbom(bytesOf(spdxImageSbom()), FILE)).toEqual([]);
  });

  it('accepts fields the compact schema does not list', async () => {
    expect(await validateSbom(bytesOf(spdxImageSbom({ comment: 'extra', files: [] })), FILE)).toEqual([]);
  });

  it('fails when a package has no name, pointing at the package', async () => {
    const doc = spdxImageSbom();
    delete (doc['packages'] as Record<string, unknown>[])[0]!['name'];
    expect(await validateSbom(bytesOf(doc), FILE)).toEqual([
      expect.objectContaining({ file: FILE, pointer: '/packages/0', message: "must have required property 'name'", code: 'sbom/spdx-schema' }),
    ]);
  });

  it('fails when an external reference uses the SPDX 2.2 spelling, listing the allowed values', async () => {
    const doc = spdxImageSbom();
    ((doc['packages'] as Record<string, unknown>[])[0]!['externalRefs'] as Record<string, unknown>[])[0]!['referenceCategory'] = 'PACKAGE_MANAGER';
    const [p] = await validateSbom(bytesOf(doc), FILE);
    expect(p).toMatchObject({ pointer: '/packages/0/externalRefs/0/referenceCategory' });
    expect(p!.message).toBe('must be equal to one of the allowed values (allowed: "OTHER", "PERSISTENT-ID", "SECURITY", "PACKAGE-MANAGER")');
  });

  it('fails when a relationship type is unknown, truncating a long list of allowed values', async () => {
    const doc = spdxImageSbom();
    (doc['relationships'] as Record<string, unknown>[])[0]!['relationshipType'] = 'RELATED_TO';
    const [p] = await validateSbom(bytesOf(doc), FILE);
    expect(p!.pointer).toBe('/relationships/0/relationshipType');
    expect(p!.message).toMatch(/^must be equal to one of the allowed values \(allowed: "VARIANT_OF", .*, …\)$/);
  });

  it('fails when creationInfo is missing', async () => {
    const doc = spdxImageSbom();
    delete doc['creationInfo'];
    expect((await validateSbom(bytesOf(doc), FILE)).map((p) => p.message)).toEqual(["must have required property 'creationInfo'"]);
  });

  it('fails when the document is SPDX 2.2, which is read but not validated', async () => {
    expect(await validateSbom(bytesOf(spdxImageSbom({ spdxVersion: 'SPDX-2.2' })), FILE)).toEqual([
      expect.objectContaining({ pointer: '/spdxVersion', message: 'SPDX 2.2 documents are read but not schema-validated; Lockstep validates SPDX 2.3', code: 'sbom/spdx-version' }),
    ]);
  });

  it('fails in validateSpdxDocument when spdxVersion is not SPDX-2.3', () => {
    expect(validateSpdxDocument(spdxImageSbom({ spdxVersion: 'SPDX-2.2' }), FILE)[0]).toMatchObject({ pointer: '/spdxVersion', message: 'must be equal to constant' });
  });
});

describe('validateSbom with CycloneDX', () => {
  it('accepts a syft-shaped CycloneDX 1.6 document', async () => {
    expect(await validateSbom(bytesOf(cyclonedxImageSbom()), FILE)).toEqual([]);
  });

  it('fails when a component has no name', async () => {
    const doc = cyclonedxImageSbom();
    delete (doc['components'] as Record<string, unknown>[])[1]!['name'];
    const problems = await validateSbom(bytesOf(doc), FILE);
    expect(problems).toContainEqual(expect.objectContaining({ pointer: '/components/1', message: "must have required property 'name'", code: 'sbom/cyclonedx-schema' }));
  });

  it('fails when the serial number is not a UUID URN', async () => {
    const problems = await validateSbom(bytesOf(cyclonedxImageSbom({ serialNumber: 'urn:uuid:redacted' })), FILE);
    expect(problems.map((p) => p.pointer)).toContain('/serialNumber');
  });

  it('fails when a property the strict schema does not know is present', async () => {
    const problems = await validateSbom(bytesOf(cyclonedxImageSbom({ extra: true })), FILE);
    expect(problems).toContainEqual(expect.objectContaining({ pointer: '', message: 'must NOT have additional properties' }));
  });

  it('fails when there is no CycloneDX schema for the version', async () => {
    expect(await validateCyclonedxText('{}', '1.1', FILE)).toEqual([
      expect.objectContaining({ pointer: '/specVersion', message: 'no CycloneDX schema for version "1.1"', code: 'sbom/unsupported-version' }),
    ]);
  });
});

describe('validateSbom with unreadable input', () => {
  it('returns the reading problem instead of throwing', async () => {
    expect(await validateSbom('not json', FILE)).toEqual([expect.objectContaining({ file: FILE, code: 'sbom/not-json' })]);
  });
});
