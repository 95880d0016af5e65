/**
 * Writes the example platform's SBOM store (`sboms/`): one SBOM per example image digest in
 * environments/images.lock.yaml. The images are fictional, so are these SBOMs: every document says
 * so (CycloneDX property `lockstep:example`, SPDX comment). Real platforms fill the store with
 * `lockstep sbom --syft` or with SBOMs downloaded from their build's attestations.
 *
 *   npx tsx scripts/example-sboms.ts
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseImagesLock } from '../src/supply-chain/images/lock.ts';
import { parseImageRef, withDigest } from '../src/supply-chain/images/reference.ts';
import { sbomStorePath } from '../src/supply-chain/sbom/store.ts';

const root = join(dirname(new URL(import.meta.url).pathname), '..');
const lock = parseImagesLock(await readFile(join(root, 'environments/images.lock.yaml'), 'utf8'), 'environments/images.lock.yaml');

// A small, plausible package set per base; versions are illustrative.
const BASE = [
  { name: 'ca-certificates', version: '20240203', type: 'deb' },
  { name: 'libc6', version: '2.36-9+deb12u7', type: 'deb' },
  { name: 'openssl', version: '3.0.14-1~deb12u2', type: 'deb' },
];
const RUNTIME: Record<string, { name: string; version: string; type: string }[]> = {
  python: [
    { name: 'python3.11', version: '3.11.2-6+deb12u3', type: 'deb' },
    { name: 'httpx', version: '0.27.2', type: 'pypi' },
    { name: 'pydantic', version: '2.9.2', type: 'pypi' },
  ],
  go: [
    { name: 'golang.org/x/net', version: 'v0.30.0', type: 'golang' },
    { name: 'sigs.k8s.io/controller-runtime', version: 'v0.19.1', type: 'golang' },
  ],
  node: [
    { name: 'nodejs', version: '20.18.0', type: 'generic' },
    { name: 'undici', version: '6.20.1', type: 'npm' },
  ],
};
const runtimeOf = (repo: string) => (repo.includes('gastown-operator') ? 'go' : repo.includes('krate') ? 'node' : 'python');
const purl = (p: { name: string; version: string; type: string }) =>
  p.type === 'deb' ? `pkg:deb/debian/${p.name}@${p.version}?distro=debian-12` : `pkg:${p.type}/${p.name}@${p.version}`;

for (const entry of lock.images) {
  const ref = withDigest(parseImageRef(entry.image), entry.digest);
  const packages = [...BASE, ...RUNTIME[runtimeOf(ref.repository)]!];
  const spdx = ref.repository.includes('project-ai-core') || ref.repository.includes('project-ai-eca');
  const format = spdx ? 'spdx-json' : 'cyclonedx-json';
  const name = `${ref.registry}/${ref.repository}`;
  const seed = createHash('sha256').update(`${name}@${ref.digest}`).digest('hex');
  let doc: unknown;
  if (spdx) {
    doc = {
      spdxVersion: 'SPDX-2.3',
      dataLicense: 'CC0-1.0',
      SPDXID: 'SPDXRef-DOCUMENT',
      name: `${name}:${ref.tag}`,
      documentNamespace: `https://lockstep.dev/examples/sbom/${seed}`,
      comment: 'EXAMPLE SBOM for the Lockstep example platform; the image it describes does not exist.',
      creationInfo: { created: '2026-01-01T00:00:00Z', creators: ['Tool: lockstep-example-sboms'] },
      packages: [
        { SPDXID: 'SPDXRef-Image', name, versionInfo: ref.digest, primaryPackagePurpose: 'CONTAINER', downloadLocation: 'NOASSERTION', filesAnalyzed: false },
        ...packages.map((p, i) => ({
          SPDXID: `SPDXRef-Package-${i}`,
          name: p.name,
          versionInfo: p.version,
          downloadLocation: 'NOASSERTION',
          filesAnalyzed: false,
          externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: purl(p) }],
        })),
      ],
      relationships: [
        { spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: 'SPDXRef-Image' },
        ...packages.map((_, i) => ({ spdxElementId: 'SPDXRef-Image', relationshipType: 'CONTAINS', relatedSpdxElement: `SPDXRef-Package-${i}` })),
      ],
    };
  } else {
    const uuid = `${seed.slice(0, 8)}-${seed.slice(8, 12)}-4${seed.slice(13, 16)}-8${seed.slice(17, 20)}-${seed.slice(20, 32)}`;
    doc = {
      bomFormat: 'CycloneDX',
      specVersion: '1.5',
      serialNumber: `urn:uuid:${uuid}`,
      version: 1,
      metadata: {
        component: { type: 'container', name, version: ref.digest, 'bom-ref': 'image' },
        properties: [{ name: 'lockstep:example', value: 'true' }, { name: 'lockstep:note', value: 'EXAMPLE SBOM for the Lockstep example platform; the image it describes does not exist.' }],
      },
      components: packages.map((p, i) => ({ type: 'library', 'bom-ref': `pkg-${i}`, name: p.name, version: p.version, purl: purl(p) })),
    };
  }
  const path = join(root, 'sboms', sbomStorePath(ref, format));
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(doc, null, 2)}\n`);
  console.log(`${format.padEnd(15)} ${path.slice(root.length + 1)}`);
}
