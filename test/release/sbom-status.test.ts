import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sbomStatusOf } from '../../src/release/sbom-status.ts';
import { spdxImageSbom } from '../supply-chain/sbom/fixtures.ts';
import { IMAGE, SBOM_PATH, makeRepo, sha256, write } from './fixture.ts';

function withValidSbom(): { root: string; text: string } {
  const { root } = makeRepo();
  const text = `${JSON.stringify(spdxImageSbom(), null, 2)}\n`;
  write(root, SBOM_PATH, text);
  return { root, text };
}

describe('sbomStatusOf', () => {
  it('reports a stored, valid SBOM with its format and package count', async () => {
    const { root, text } = withValidSbom();
    const s = await sbomStatusOf(root, { image: IMAGE, sbom: { sha256: sha256(text), format: 'spdx-json', packageCount: 2, path: SBOM_PATH }, workloads: [] });
    expect(s).toMatchObject({ state: 'present', file: SBOM_PATH, format: 'spdx-json', specVersion: '2.3', packageCount: 2, sha256: sha256(text), problems: [] });
  });

  it('reports an SBOM that differs from the one the rendering recorded', async () => {
    const { root } = withValidSbom();
    const s = await sbomStatusOf(root, { image: IMAGE, sbom: { sha256: 'f'.repeat(64), format: 'spdx-json', packageCount: 2, path: SBOM_PATH }, workloads: [] });
    expect(s.state).toBe('changed');
    expect(s.problems[0]!.message).toMatch(/the rendering recorded SBOM sha256 ffffffffffff… for ghcr\.io\/acme\/api@sha256:1+, the store has/);
  });

  it('reports a missing SBOM', async () => {
    const { root } = makeRepo();
    rmSync(join(root, SBOM_PATH));
    expect(await sbomStatusOf(root, { image: IMAGE, workloads: [] })).toEqual({ image: IMAGE, state: 'missing', problems: [] });
  });

  it('reports a stored file that is not a valid SBOM', async () => {
    const { root } = makeRepo();
    const s = await sbomStatusOf(root, { image: IMAGE, workloads: [] });
    expect(s.state).toBe('invalid');
    expect(s.problems.length).toBeGreaterThan(0);
  });
});
