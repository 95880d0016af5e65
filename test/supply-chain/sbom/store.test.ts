import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addSbomToStore, findSbom, readStoredSbom, sbomStorePath } from '../../../src/supply-chain/sbom/store.ts';
import { IMAGE_DIGEST, IMAGE_HEX, bytesOf, cyclonedxImageSbom, spdxImageSbom } from './fixtures.ts';

const REF = `ghcr.io/acme/api@${IMAGE_DIGEST}`;

describe('sbomStorePath', () => {
  it('lays SBOMs out by registry, repository and digest', () => {
    expect(sbomStorePath(REF, 'spdx-json')).toBe(`ghcr.io/acme/api/sha256-${IMAGE_HEX}.spdx.json`);
    expect(sbomStorePath(REF, 'cyclonedx-json')).toBe(`ghcr.io/acme/api/sha256-${IMAGE_HEX}.cdx.json`);
  });

  it('normalises Docker Hub names and ignores the tag', () => {
    expect(sbomStorePath(`nginx:1.27@${IMAGE_DIGEST}`, 'spdx-json')).toBe(`docker.io/library/nginx/sha256-${IMAGE_HEX}.spdx.json`);
  });

  it('replaces the colon of a registry port', () => {
    expect(sbomStorePath(`localhost:5000/api@${IMAGE_DIGEST}`, 'spdx-json')).toBe(`localhost_5000/api/sha256-${IMAGE_HEX}.spdx.json`);
  });

  it('fails when the image is not pinned by digest', () => {
    expect(() => sbomStorePath('ghcr.io/acme/api:1.0', 'spdx-json')).toThrow(/SBOMs are stored by image digest, but "ghcr.io\/acme\/api:1.0" has none; pass the pinned reference/);
  });
});

describe('the SBOM store on disk', () => {
  let store: string;
  beforeEach(async () => {
    store = await mkdtemp(join(tmpdir(), 'lockstep-sboms-'));
  });
  afterEach(async () => {
    await rm(store, { recursive: true, force: true });
  });

  async function put(relativePath: string, content: string): Promise<void> {
    const path = join(store, relativePath);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content);
  }

  it('finds nothing in an empty store', async () => {
    expect(await findSbom(store, REF)).toBeUndefined();
    expect(await findSbom(join(store, 'missing'), REF)).toBeUndefined();
  });

  it('finds the SBOM of a digest in either format', async () => {
    await put(sbomStorePath(REF, 'cyclonedx-json'), '{}');
    expect(await findSbom(store, REF)).toEqual({
      relativePath: sbomStorePath(REF, 'cyclonedx-json'),
      path: join(store, 'ghcr.io', 'acme', 'api', `sha256-${IMAGE_HEX}.cdx.json`),
      format: 'cyclonedx-json',
    });
  });

  it('fails when both formats are stored and no format is asked for', async () => {
    await put(sbomStorePath(REF, 'cyclonedx-json'), '{}');
    await put(sbomStorePath(REF, 'spdx-json'), '{}');
    await expect(findSbom(store, REF)).rejects.toThrow(/two SBOMs are stored for ghcr.io\/acme\/api@sha256:.* \(.*\.spdx\.json and .*\.cdx\.json\); keep one of them, or ask for a format explicitly/);
    expect((await findSbom(store, REF, { format: 'spdx-json' }))?.format).toBe('spdx-json');
  });

  it('adds an SBOM under its format and reads it back', async () => {
    const text = bytesOf(spdxImageSbom());
    const added = await addSbomToStore(store, `ghcr.io/acme/api:1.4.2@${IMAGE_DIGEST}`, text, 'syft output');
    expect(added.relativePath).toBe(`ghcr.io/acme/api/sha256-${IMAGE_HEX}.spdx.json`);
    expect(added.info).toMatchObject({ format: 'spdx-json', packageCount: 2 });
    expect(await readFile(added.path, 'utf8')).toBe(text);
    const stored = await readStoredSbom(store, REF);
    expect(stored?.info).toEqual(added.info);
  });

  it('returns undefined from readStoredSbom when nothing is stored', async () => {
    expect(await readStoredSbom(store, REF)).toBeUndefined();
  });

  it('fails to add a file that is not an SBOM, and writes nothing', async () => {
    await expect(addSbomToStore(store, REF, '{"x":1}', 'upload.json')).rejects.toThrow(/upload\.json: not an SPDX JSON or CycloneDX JSON SBOM/);
    expect(await findSbom(store, REF)).toBeUndefined();
  });

  it('stores a CycloneDX SBOM with the .cdx.json suffix', async () => {
    const added = await addSbomToStore(store, REF, bytesOf(cyclonedxImageSbom()), 'syft output');
    expect(added.relativePath.endsWith('.cdx.json')).toBe(true);
  });
});
