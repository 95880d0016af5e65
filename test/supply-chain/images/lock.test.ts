import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LockstepError } from '../../../src/util/errors.ts';
import {
  emptyImagesLock,
  lookupDigest,
  parseImagesLock,
  pinFromLock,
  readImagesLock,
  serializeImagesLock,
  setLockedDigest,
  writeImagesLock,
} from '../../../src/supply-chain/images/lock.ts';
import { formatImageRef } from '../../../src/supply-chain/images/reference.ts';

const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;
const FILE = 'environments/images.lock.yaml';

const valid = `apiVersion: lockstep.dev/v1alpha1
kind: ImagesLock
images:
  - image: nginx:1.27
    digest: ${D2}
  - image: ghcr.io/acme/api:1.4.2
    digest: ${D1}
`;

function problemsOf(fn: () => unknown): LockstepError['problems'] {
  try {
    fn();
  } catch (e) {
    if (e instanceof LockstepError) return e.problems;
    throw e;
  }
  throw new Error('expected a LockstepError');
}

describe('parseImagesLock', () => {
  it('reads entries and sorts them by canonical reference', () => {
    const lock = parseImagesLock(valid, FILE);
    expect(lock.images.map((e) => e.image)).toEqual(['nginx:1.27', 'ghcr.io/acme/api:1.4.2']);
  });

  it('reads an empty lock', () => {
    expect(parseImagesLock('apiVersion: lockstep.dev/v1alpha1\nkind: ImagesLock\nimages: []\n', FILE).images).toEqual([]);
    expect(parseImagesLock('apiVersion: lockstep.dev/v1alpha1\nkind: ImagesLock\n', FILE).images).toEqual([]);
  });

  it('fails when the YAML does not parse, with the line', () => {
    const [p] = problemsOf(() => parseImagesLock('apiVersion: a\napiVersion: b\n', FILE));
    expect(p).toMatchObject({ file: FILE, line: 2, column: 1, code: 'images-lock/yaml', message: 'not valid YAML: Map keys must be unique' });
  });

  it('fails when the document is not a mapping', () => {
    expect(() => parseImagesLock('- a\n', FILE)).toThrow(/environments\/images\.lock\.yaml:1:1: must be a mapping with apiVersion, kind and images, got a list/);
  });

  it('fails when apiVersion and kind are wrong, naming both', () => {
    const problems = problemsOf(() => parseImagesLock('apiVersion: v1\nkind: Lock\nimages: []\n', FILE));
    expect(problems.map((p) => [p.pointer, p.line, p.message])).toEqual([
      ['/apiVersion', 1, 'apiVersion must be "lockstep.dev/v1alpha1", got "v1"'],
      ['/kind', 2, 'kind must be "ImagesLock", got "Lock"'],
    ]);
  });

  it('fails when a field is unknown', () => {
    expect(() => parseImagesLock(`${valid}extra: 1\n`, FILE)).toThrow(/\/extra: unknown field "extra"; allowed fields are apiVersion, kind, images/);
    expect(() => parseImagesLock(valid.replace('    digest: ' + D1, `    digest: ${D1}\n    url: x`), FILE)).toThrow(/\/images\/1\/url: unknown field "url"; allowed fields are image, digest/);
  });

  it('fails when images is not a list', () => {
    expect(() => parseImagesLock('apiVersion: lockstep.dev/v1alpha1\nkind: ImagesLock\nimages: {}\n', FILE)).toThrow(/\/images: images must be a list, got a mapping/);
  });

  it('fails when an entry is not a mapping', () => {
    expect(() => parseImagesLock('apiVersion: lockstep.dev/v1alpha1\nkind: ImagesLock\nimages: [nginx]\n', FILE)).toThrow(/\/images\/0: each entry must be a mapping with image and digest, got "nginx"/);
  });

  it('fails with file, pointer and line for a bad digest', () => {
    const [p] = problemsOf(() => parseImagesLock(valid.replace(D1, 'sha256:abc'), FILE));
    expect(p).toMatchObject({ file: FILE, pointer: '/images/1/digest', line: 7, code: 'image/invalid-digest' });
  });

  it('fails when the digest is missing', () => {
    expect(() => parseImagesLock(valid.replace(`    digest: ${D1}\n`, ''), FILE)).toThrow(/\/images\/1\/digest: digest must be a string, got nothing/);
  });

  it('fails when image is not a string', () => {
    expect(() => parseImagesLock(valid.replace('image: nginx:1.27', 'image: 12'), FILE)).toThrow(/\/images\/0\/image: image must be a string, got 12/);
  });

  it('fails when an image is latest', () => {
    expect(() => parseImagesLock(valid.replace('nginx:1.27', 'nginx:latest'), FILE)).toThrow(/environments\/images\.lock\.yaml:4:12: \/images\/0\/image: image "nginx:latest" uses the tag "latest"/);
  });

  it('fails when an image carries a digest', () => {
    expect(() => parseImagesLock(valid.replace('nginx:1.27', `nginx:1.27@${D2}`), FILE)).toThrow(/must not carry a digest; the digest belongs in the digest field/);
  });

  it('fails when two entries mean the same image, even spelled differently', () => {
    const text = `${valid}  - image: docker.io/library/nginx:1.27\n    digest: ${D1}\n`;
    expect(() => parseImagesLock(text, FILE)).toThrow(/\/images\/2\/image: image "docker.io\/library\/nginx:1.27" is already locked at \/images\/0 \(both mean docker.io\/library\/nginx:1.27\); keep one entry per image/);
  });

  it('reports every problem at once', () => {
    const text = 'apiVersion: x\nkind: ImagesLock\nimages:\n  - image: nginx\n    digest: nope\n';
    expect(problemsOf(() => parseImagesLock(text, FILE)).map((p) => p.pointer)).toEqual(['/apiVersion', '/images/0/image', '/images/0/digest']);
  });
});

describe('serializeImagesLock', () => {
  it('writes sorted entries that read back to the same lock', () => {
    const lock = parseImagesLock(valid, FILE);
    const text = serializeImagesLock(lock);
    expect(text).toBe(`# Written by \`lockstep images pin\`: each tag and the digest it resolved to. Review changes like code.
apiVersion: lockstep.dev/v1alpha1
kind: ImagesLock
images:
  - image: nginx:1.27
    digest: ${D2}
  - image: ghcr.io/acme/api:1.4.2
    digest: ${D1}
`);
    expect(parseImagesLock(text, FILE)).toEqual(lock);
  });

  it('gives the same bytes whatever the entry order', () => {
    const a = setLockedDigest(setLockedDigest(emptyImagesLock(), 'b.io/x:1', D1), 'a.io/y:1', D2);
    const b = setLockedDigest(setLockedDigest(emptyImagesLock(), 'a.io/y:1', D2), 'b.io/x:1', D1);
    expect(serializeImagesLock(a)).toBe(serializeImagesLock(b));
  });
});

describe('lookups', () => {
  const lock = parseImagesLock(valid, FILE);

  it('finds a digest under any spelling of the image', () => {
    expect(lookupDigest(lock, 'docker.io/library/nginx:1.27')).toBe(D2);
    expect(lookupDigest(lock, 'nginx:1.27')).toBe(D2);
    expect(lookupDigest(lock, 'nginx:1.28')).toBeUndefined();
  });

  it('pins an image from the lock', () => {
    expect(formatImageRef(pinFromLock(lock, 'ghcr.io/acme/api:1.4.2'))).toBe(`ghcr.io/acme/api:1.4.2@${D1}`);
  });

  it('passes through a digest-only reference and an already pinned one that agrees', () => {
    expect(pinFromLock(lock, `ghcr.io/other@${D1}`).digest).toBe(D1);
    expect(pinFromLock(lock, `ghcr.io/acme/api:1.4.2@${D1}`).digest).toBe(D1);
    expect(pinFromLock(lock, `ghcr.io/acme/api:9@${D2}`).digest).toBe(D2);
  });

  it('fails when the image is not in the lock, saying how to pin it', () => {
    expect(() => pinFromLock(lock, 'ghcr.io/acme/web:2.0', { file: 'environments/prod.yaml', pointer: '/web/image' })).toThrow(
      /environments\/prod\.yaml: \/web\/image: image "ghcr.io\/acme\/web:2.0" is not in environments\/images\.lock\.yaml; run `lockstep images pin`/,
    );
  });

  it('fails when an already pinned image disagrees with the lock', () => {
    expect(() => pinFromLock(lock, `ghcr.io/acme/api:1.4.2@${D2}`)).toThrow(/already pinned to a different digest/);
  });

  it('replaces an entry when re-locking the same image', () => {
    const next = setLockedDigest(lock, 'docker.io/library/nginx:1.27', D1);
    expect(next.images).toHaveLength(2);
    expect(lookupDigest(next, 'nginx:1.27')).toBe(D1);
  });

  it('fails when locking an image that carries a digest', () => {
    expect(() => setLockedDigest(lock, `nginx:1.27@${D1}`, D1)).toThrow(/must not carry a digest when locking it/);
  });
});

describe('reading and writing files', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lockstep-lock-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes and reads back a lock file', async () => {
    const path = join(dir, 'images.lock.yaml');
    const lock = setLockedDigest(emptyImagesLock(), 'ghcr.io/acme/api:1.4.2', D1);
    await writeImagesLock(path, lock);
    expect(await readFile(path, 'utf8')).toBe(serializeImagesLock(lock));
    expect(await readImagesLock(path, FILE)).toEqual(lock);
  });

  it('fails when the lock file does not exist, saying how to create it', async () => {
    await expect(readImagesLock(join(dir, 'missing.yaml'), FILE)).rejects.toThrow(/environments\/images\.lock\.yaml: image lock file not found; run `lockstep images pin` to create it/);
  });
});
