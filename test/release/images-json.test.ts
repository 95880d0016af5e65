import { describe, expect, it } from 'vitest';
import { parseImagesJson } from '../../src/release/images-json.ts';

const A = `ghcr.io/acme/a@sha256:${'a'.repeat(64)}`;
const B = `ghcr.io/acme/b@sha256:${'b'.repeat(64)}`;

describe('parseImagesJson', () => {
  it('reads synth\'s { environment, images } form, sorted by image', () => {
    const text = JSON.stringify({ environment: 'dev', images: [{ image: B, workloads: ['Deployment x/b'] }, { image: A, sbom: { sha256: 'c'.repeat(64), format: 'spdx-json', specVersion: '2.3', packageCount: 3, path: 'sboms/a' }, workloads: ['Job x/z', 'Deployment x/a'] }] });
    expect(parseImagesJson(text, 'images.json')).toEqual([
      { image: A, sbom: { sha256: 'c'.repeat(64), format: 'spdx-json', specVersion: '2.3', packageCount: 3, path: 'sboms/a' }, workloads: ['Deployment x/a', 'Job x/z'] },
      { image: B, workloads: ['Deployment x/b'] },
    ]);
  });

  it('reads a bare list', () => {
    expect(parseImagesJson(JSON.stringify([{ image: A, workloads: [] }]), 'f')).toEqual([{ image: A, workloads: [] }]);
  });

  it('fails when the file is not JSON or has no image list', () => {
    expect(() => parseImagesJson('{', 'dist/dev/images.json')).toThrow(/dist\/dev\/images.json: not valid JSON/);
    expect(() => parseImagesJson('{"images":3}', 'f')).toThrow(/must be \{ "images": \[\{ image, sbom\?, workloads \}\] \}/);
  });

  it('fails naming each bad entry by pointer', () => {
    const text = JSON.stringify({ images: [3, { image: 'ghcr.io/acme/a:1.0', workloads: 'x', sbom: { sha256: 'no', format: 1, packageCount: -1, path: '', specVersion: 2 } }, { image: 7, workloads: [] }, { image: 'UPPER/x@sha256:1', workloads: [], sbom: 'x' }] });
    const run = () => parseImagesJson(text, 'f');
    expect(run).toThrow(/f: \/images\/0: entry must be an object, got 3/);
    expect(run).toThrow(/\/images\/1\/image: image "ghcr.io\/acme\/a:1.0" is not pinned by digest/);
    expect(run).toThrow(/\/images\/1\/workloads: workloads must be a list/);
    expect(run).toThrow(/\/images\/1\/sbom\/sha256: sha256 must be 64 lowercase hex characters, got "no"/);
    expect(run).toThrow(/\/images\/1\/sbom\/format: format must be a string, got 1/);
    expect(run).toThrow(/\/images\/1\/sbom\/packageCount: packageCount must be a whole number, got -1/);
    expect(run).toThrow(/\/images\/1\/sbom\/path: path must be the store path of the SBOM, got ""/);
    expect(run).toThrow(/\/images\/1\/sbom\/specVersion: specVersion must be a string, got 2/);
    expect(run).toThrow(/\/images\/2\/image: image must be a string, got 7/);
    expect(run).toThrow(/\/images\/3\/image: invalid image reference/);
    expect(run).toThrow(/\/images\/3\/sbom: sbom must be an object/);
  });
});
