/** Small inline SBOMs shaped like syft's output, for the SBOM unit tests. */

export const IMAGE_HEX = '27'.repeat(32);
export const IMAGE_DIGEST = `sha256:${IMAGE_HEX}`;

type Json = Record<string, unknown>;

export function spdxPackage(id: string, name: string, extra: Json = {}): Json {
  return {
    name,
    SPDXID: `SPDXRef-Package-${id}`,
    versionInfo: '1.0.0',
    downloadLocation: 'NOASSERTION',
    filesAnalyzed: false,
    externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: `pkg:deb/debian/${name}@1.0.0` }],
    ...extra,
  };
}

/** An SPDX 2.3 image SBOM as syft writes it: two packages and the CONTAINER root it DESCRIBES. */
export function spdxImageSbom(overrides: Json = {}): Json {
  const rootId = 'SPDXRef-DocumentRoot-Image-ghcr.io-acme-api';
  return {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: 'ghcr.io/acme/api',
    documentNamespace: 'https://anchore.com/syft/image/ghcr.io/acme/api-1',
    creationInfo: { created: '2026-01-01T00:00:00Z', creators: ['Organization: Anchore, Inc', 'Tool: syft-1.30.0'] },
    packages: [
      spdxPackage('a', 'libc'),
      spdxPackage('b', 'openssl'),
      {
        name: 'ghcr.io/acme/api',
        SPDXID: rootId,
        versionInfo: '1.4.2',
        downloadLocation: 'NOASSERTION',
        checksums: [{ algorithm: 'SHA256', checksumValue: IMAGE_HEX }],
        primaryPackagePurpose: 'CONTAINER',
      },
    ],
    relationships: [
      { spdxElementId: rootId, relatedSpdxElement: 'SPDXRef-Package-a', relationshipType: 'CONTAINS' },
      { spdxElementId: rootId, relatedSpdxElement: 'SPDXRef-Package-b', relationshipType: 'CONTAINS' },
      { spdxElementId: 'SPDXRef-DOCUMENT', relatedSpdxElement: rootId, relationshipType: 'DESCRIBES' },
    ],
    ...overrides,
  };
}

/** A CycloneDX 1.6 image SBOM as syft writes it: nested libraries, the distro, the image as subject. */
export function cyclonedxImageSbom(overrides: Json = {}): Json {
  return {
    $schema: 'http://cyclonedx.org/schema/bom-1.6.schema.json',
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: 'urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79',
    version: 1,
    metadata: {
      tools: { components: [{ type: 'application', author: 'anchore', name: 'syft', version: '1.30.0' }] },
      component: { 'bom-ref': 'img', type: 'container', name: 'ghcr.io/acme/api', version: IMAGE_DIGEST },
    },
    components: [
      {
        'bom-ref': 'app',
        type: 'application',
        name: 'api',
        version: '1.4.2',
        components: [{ 'bom-ref': 'lib', type: 'library', name: 'left-pad', version: '1.3.0', purl: 'pkg:npm/left-pad@1.3.0' }],
      },
      { 'bom-ref': 'fw', type: 'framework', name: 'spring', version: '6.1.0' },
      { 'bom-ref': 'os', type: 'operating-system', name: 'debian', version: '12' },
    ],
    ...overrides,
  };
}

export function bytesOf(doc: unknown): string {
  return JSON.stringify(doc, null, 2);
}
