import { describe, expect, it } from 'vitest';
import { classifyImages, describeImageChange, splitImage } from '../../../../src/review/diff/classify/image.ts';

const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;
function deployment(images: Record<string, string>, annotations: Record<string, string> = {}) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api', namespace: 'app', annotations },
    spec: { template: { metadata: { annotations }, spec: { containers: Object.entries(images).map(([name, image]) => ({ name, image })) } } },
  };
}

describe('image references', () => {
  it('splits name, tag and digest, also with a registry port', () => {
    expect(splitImage(`localhost:5000/app:1.0@${A}`)).toEqual({ name: 'localhost:5000/app', tag: '1.0', digest: A });
    expect(splitImage('localhost:5000/app')).toEqual({ name: 'localhost:5000/app' });
  });

  it('describes tag, digest and repository changes', () => {
    expect(describeImageChange(`r/app:1@${A}`, `r/app:2@${B}`)).toBe('r/app: tag 1 → 2, new digest sha256:aaaaaaaaaaaa… → sha256:bbbbbbbbbbbb…');
    expect(describeImageChange('r/app:1', 'r/other:1')).toBe('image r/app:1 → r/other:1 (another repository)');
  });
});

describe('classifyImages', () => {
  it('flags a new digest and says the SBOM annotation changed with it', () => {
    const before = deployment({ main: `r/app:1@${A}` }, { 'tk8s.io/sbom-sha256': '1'.repeat(64) });
    const after = deployment({ main: `r/app:1@${B}` }, { 'tk8s.io/sbom-sha256': '2'.repeat(64) });
    expect(classifyImages(before, after)).toEqual([
      { class: 'image-changed', pointer: '/spec/template/spec/containers/0/image', message: 'container main: r/app: new digest sha256:aaaaaaaaaaaa… → sha256:bbbbbbbbbbbb…; SBOM annotation tk8s.io/sbom-sha256 changed' },
    ]);
  });

  it('says when the SBOM annotation is missing or did not follow the image', () => {
    const before = deployment({ main: 'r/app:1', side: 'r/s:1' }, { 'x.io/sbom-sha256.side': '1'.repeat(64) });
    expect(classifyImages(before, deployment({ main: 'r/app:1', side: 'r/s:2' }, { 'x.io/sbom-sha256.side': '1'.repeat(64) }))[0]!.message).toBe(
      'container side: r/s: tag 1 → 2; SBOM annotation x.io/sbom-sha256.side unchanged (it still describes the old image)',
    );
    expect(classifyImages(before, deployment({ main: 'r/app:2', side: 'r/s:1' }))[0]!.message).toBe('container main: r/app: tag 1 → 2; no SBOM annotation');
  });

  it('flags a new container of an existing workload but not a new workload', () => {
    expect(classifyImages(deployment({ main: 'r/a:1' }), deployment({ main: 'r/a:1', extra: 'r/b:1' }))[0]!.message).toBe('container extra: new container runs r/b:1; no SBOM annotation');
    expect(classifyImages(undefined, deployment({ main: 'r/a:1' }))).toEqual([]);
  });
});
