import { describe, expect, it } from 'vitest';
import { planPins, pinImages, readEnvironmentImages, readLockOrEmpty } from '../../src/release/images-pin.ts';
import { emptyImagesLock, setLockedDigest } from '../../src/supply-chain/images/lock.ts';
import { LockstepError } from '../../src/util/errors.ts';
import { makeRepo, write } from './fixture.ts';

const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;

describe('planPins', () => {
  it('resolves each unlocked tag once and leaves locked and inline-pinned images alone', () => {
    const lock = setLockedDigest(emptyImagesLock(), 'ghcr.io/acme/old:1.0', D1);
    const plan = planPins(
      [
        { name: 'dev', file: 'environments/dev.yaml', images: { a: 'ghcr.io/acme/api:1.2', b: 'ghcr.io/acme/old:1.0', c: `ghcr.io/acme/db:2@${D2}` } },
        { name: 'staging', file: 'environments/staging.yaml', images: { a: 'ghcr.io/acme/api:1.2', n: 'nginx:1.27' } },
      ],
      lock,
    );
    expect(plan).toEqual({ toResolve: ['ghcr.io/acme/api:1.2', 'nginx:1.27'], locked: ['ghcr.io/acme/old:1.0'], inline: [`ghcr.io/acme/db:2@${D2}`], problems: [] });
  });

  it('reports references that do not parse, with file and pointer', () => {
    const plan = planPins([{ name: 'dev', file: 'environments/dev.yaml', images: { a: 'ghcr.io/acme/api:latest' } }], emptyImagesLock());
    expect(plan.problems[0]).toMatchObject({ file: 'environments/dev.yaml', pointer: '/images/a' });
    expect(plan.toResolve).toEqual([]);
  });
});

describe('pinImages', () => {
  it('records every resolved digest in the lock', async () => {
    const result = await pinImages(['ghcr.io/acme/api:1.2', 'nginx:1.27'], emptyImagesLock(), async (ref) => (ref.startsWith('nginx') ? D2 : D1));
    expect(result.resolved).toEqual([{ image: 'ghcr.io/acme/api:1.2', digest: D1 }, { image: 'nginx:1.27', digest: D2 }]);
    expect(result.lock.images.map((e) => e.digest).sort()).toEqual([D1, D2]);
    expect(result.problems).toEqual([]);
  });

  it('keeps the digests that resolved and reports each failure with its image', async () => {
    const result = await pinImages(['ghcr.io/acme/a:1', 'ghcr.io/acme/b:1'], emptyImagesLock(), async (ref) => {
      if (ref.includes('/b:')) throw new LockstepError({ message: 'crane digest exited with code 1' });
      return D1;
    });
    expect(result.resolved).toEqual([{ image: 'ghcr.io/acme/a:1', digest: D1 }]);
    expect(result.problems.map((p) => p.message)).toEqual(['ghcr.io/acme/b:1: crane digest exited with code 1']);
  });
});

describe('readEnvironmentImages', () => {
  it('reads the images of an environment file without validating the rest', async () => {
    const { root } = makeRepo();
    write(root, 'environments/qa.yaml', 'stage: staging\nimages:\n  api: ghcr.io/acme/api:1.2\n');
    expect(await readEnvironmentImages(root, 'qa')).toEqual({ name: 'qa', file: 'environments/qa.yaml', images: { api: 'ghcr.io/acme/api:1.2' } });
  });

  it('fails when the file is missing, not YAML, or images is not a map of strings', async () => {
    const { root } = makeRepo();
    await expect(readEnvironmentImages(root, 'nope')).rejects.toThrow(/environments\/nope.yaml: no such environment file/);
    write(root, 'environments/bad.yaml', 'images: [\n');
    await expect(readEnvironmentImages(root, 'bad')).rejects.toThrow(/environments\/bad.yaml: not valid YAML/);
    write(root, 'environments/list.yaml', 'images: [a, b]\n');
    await expect(readEnvironmentImages(root, 'list')).rejects.toThrow(/\/images: images must map names to image references/);
  });

  it('starts from an empty lock when the lock file does not exist', async () => {
    const { root } = makeRepo();
    expect((await readLockOrEmpty(root)).images).toEqual([]);
    expect((await readLockOrEmpty('/nonexistent-root')).kind).toBe('ImagesLock');
  });
});
