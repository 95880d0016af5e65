/**
 * `lockstep images pin`: resolve every image tag the environments name that has no digest yet, and
 * record it in `environments/images.lock.yaml`.
 *
 * The environments are read as YAML, not through the full loader: an unpinned tag in staging is
 * exactly what the loader refuses and what this command is for.
 */
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { emptyImagesLock, IMAGES_LOCK_FILE, lookupDigest, readImagesLock, setLockedDigest, type ImagesLock } from '../supply-chain/images/lock.ts';
import { formatImageRef, parseImageRef } from '../supply-chain/images/reference.ts';
import { LockstepError, type Problem } from '../util/errors.ts';
import { compareStrings, readIfExists } from './files.ts';

export interface EnvironmentImages {
  readonly name: string;
  /** Repository-relative file. */
  readonly file: string;
  /** Logical name → reference, as written. */
  readonly images: Readonly<Record<string, string>>;
}

/** Reads the `images` map of `environments/<name>.yaml`. */
export async function readEnvironmentImages(root: string, name: string): Promise<EnvironmentImages> {
  const file = `environments/${name}.yaml`;
  const bytes = await readIfExists(join(root, file));
  if (bytes === undefined) throw new LockstepError({ file, message: 'no such environment file', code: 'images/pin-environment' });
  let doc: unknown;
  try {
    doc = parseYaml(bytes.toString('utf8'));
  } catch (e) {
    throw new LockstepError({ file, message: `not valid YAML: ${(e as Error).message.split('\n')[0]}`, code: 'images/pin-environment' });
  }
  const images = (doc as { images?: unknown } | null)?.images ?? {};
  if (typeof images !== 'object' || images === null || Array.isArray(images) || !Object.values(images).every((v) => typeof v === 'string')) {
    throw new LockstepError({ file, pointer: '/images', message: 'images must map names to image references', code: 'images/pin-environment' });
  }
  return { name, file, images: images as Record<string, string> };
}

export interface PinPlan {
  /** Tagged references (as first written) that need a digest, sorted; one per image:tag. */
  readonly toResolve: readonly string[];
  /** Tagged references already in the lock. */
  readonly locked: readonly string[];
  /** References that carry their digest inline. */
  readonly inline: readonly string[];
  /** Unparseable references, with where they are. */
  readonly problems: readonly Problem[];
}

export function planPins(envs: readonly EnvironmentImages[], lock: ImagesLock): PinPlan {
  const toResolve = new Map<string, string>();
  const locked = new Set<string>();
  const inline = new Set<string>();
  const problems: Problem[] = [];
  for (const env of envs) {
    for (const [key, ref] of Object.entries(env.images).sort(([a], [b]) => compareStrings(a, b))) {
      let parsed;
      try {
        parsed = parseImageRef(ref, { file: env.file, pointer: `/images/${key}` });
      } catch (e) {
        if (!(e instanceof LockstepError)) throw e;
        problems.push(...e.problems);
        continue;
      }
      if (parsed.digest !== undefined) {
        inline.add(ref);
        continue;
      }
      const canonical = formatImageRef(parsed);
      if (lookupDigest(lock, parsed) !== undefined) locked.add(ref);
      else if (!toResolve.has(canonical)) toResolve.set(canonical, ref);
    }
  }
  return {
    toResolve: [...toResolve.values()].sort(compareStrings),
    locked: [...locked].sort(compareStrings),
    inline: [...inline].sort(compareStrings),
    problems,
  };
}

export interface PinResult {
  readonly lock: ImagesLock;
  readonly resolved: readonly { readonly image: string; readonly digest: string }[];
  readonly problems: readonly Problem[];
}

/**
 * Resolves each reference of `toResolve` with `resolve` (the registry tool, injected so this stays
 * testable) and returns the new lock. A failure for one image does not stop the others: each is
 * reported, and every digest that did resolve is kept.
 */
export async function pinImages(toResolve: readonly string[], lock: ImagesLock, resolve: (ref: string) => Promise<string>): Promise<PinResult> {
  let next = lock;
  const resolved: { image: string; digest: string }[] = [];
  const problems: Problem[] = [];
  for (const image of toResolve) {
    try {
      const digest = await resolve(image);
      next = setLockedDigest(next, image, digest);
      resolved.push({ image, digest });
    } catch (e) {
      if (!(e instanceof LockstepError)) throw e;
      problems.push(...e.problems.map((p) => ({ ...p, message: `${image}: ${p.message}` })));
    }
  }
  return { lock: next, resolved, problems };
}

/** The lock file, or an empty lock when it does not exist yet. */
export async function readLockOrEmpty(root: string): Promise<ImagesLock> {
  if ((await readIfExists(join(root, IMAGES_LOCK_FILE))) === undefined) return emptyImagesLock();
  return readImagesLock(join(root, IMAGES_LOCK_FILE), IMAGES_LOCK_FILE);
}
