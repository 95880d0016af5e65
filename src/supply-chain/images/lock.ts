/**
 * The image lock file, `environments/images.lock.yaml`: which digest each tagged image resolved to.
 *
 * In the spirit of kbld's lock file: environments keep readable tags (`ghcr.io/acme/api:1.4.2`), the
 * lock maps each tag to the digest `lockstep images pin` resolved once, and synth reads the lock so a
 * render never asks a registry. The file is data, written sorted so re-pinning gives small diffs:
 *
 *   apiVersion: lockstep.dev/v1alpha1
 *   kind: ImagesLock
 *   images:
 *     - image: ghcr.io/acme/api:1.4.2
 *       digest: sha256:…
 */
import { readFile, writeFile } from 'node:fs/promises';
import { LineCounter, parseDocument, stringify } from 'yaml';
import type { Document } from 'yaml';
import { LockstepError, throwIfProblems } from '../../util/errors.ts';
import { decodeConfigBytes, isStackOverflow, parseYamlSource } from '../../util/yaml-source.ts';
import type { Problem } from '../../util/errors.ts';
import { compareImageRefs, formatImageRef, parseDigest, parseImageRef, withDigest } from './reference.ts';
import type { ImageRef } from './reference.ts';

export const IMAGES_LOCK_API_VERSION = 'lockstep.dev/v1alpha1';
export const IMAGES_LOCK_KIND = 'ImagesLock';
/** Repository-relative default location. */
export const IMAGES_LOCK_FILE = 'environments/images.lock.yaml';

export interface ImagesLockEntry {
  /** The tagged reference as the environment writes it (no digest). */
  readonly image: string;
  /** The manifest digest the tag resolved to. */
  readonly digest: string;
}

export interface ImagesLock {
  readonly apiVersion: typeof IMAGES_LOCK_API_VERSION;
  readonly kind: typeof IMAGES_LOCK_KIND;
  readonly images: readonly ImagesLockEntry[];
}

export function emptyImagesLock(): ImagesLock {
  return { apiVersion: IMAGES_LOCK_API_VERSION, kind: IMAGES_LOCK_KIND, images: [] };
}

const TOP_LEVEL_KEYS = ['apiVersion', 'kind', 'images'];
const ENTRY_KEYS = ['image', 'digest'];

/** Key under which two spellings of one image (`nginx:1.27`, `docker.io/library/nginx:1.27`) meet. */
function lockKey(ref: ImageRef): string {
  return formatImageRef({ registry: ref.registry, repository: ref.repository, ...(ref.tag !== undefined ? { tag: ref.tag } : {}) });
}

/**
 * Parses and validates the lock file text. Collects every problem (file, JSON pointer, line) and
 * throws one LockstepError listing them all.
 */
export function parseImagesLock(input: string | Uint8Array, file: string): ImagesLock {
  // Size and encoding first: a lossy decode would silently change what the lock pins.
  const text = decodeConfigBytes(input, file);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  if (doc.errors.length > 0) {
    throw new LockstepError(
      doc.errors.map((e) => ({
        file,
        message: isStackOverflow(e.message) ? 'not valid YAML: nested too deeply' : `not valid YAML: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
        ...(e.linePos ? { line: e.linePos[0].line, column: e.linePos[0].col } : {}),
        fix: 'fix the YAML syntax or regenerate the file with `lockstep images pin`',
        code: 'images-lock/yaml',
      })),
    );
  }
  // The configuration refusals (alias bombs, deep nesting, prototype keys) before converting to objects.
  parseYamlSource(text, file);
  const at = (path: (string | number)[]): Pick<Problem, 'file' | 'pointer' | 'line' | 'column'> =>
    locate(doc, lineCounter, file, path);
  const problems: Problem[] = [];
  const data: unknown = doc.toJS();

  if (!isRecord(data)) {
    throw new LockstepError({
      ...at([]),
      message: `must be a mapping with apiVersion, kind and images, got ${describe(data)}`,
      fix: 'regenerate the file with `lockstep images pin`',
      code: 'images-lock/shape',
    });
  }
  for (const key of Object.keys(data).sort()) {
    if (!TOP_LEVEL_KEYS.includes(key)) {
      problems.push({ ...at([key]), message: `unknown field ${JSON.stringify(key)}`, fix: `allowed fields are ${TOP_LEVEL_KEYS.join(', ')}`, code: 'images-lock/unknown-field' });
    }
  }
  if (data['apiVersion'] !== IMAGES_LOCK_API_VERSION) {
    problems.push({ ...at(['apiVersion']), message: `apiVersion must be "${IMAGES_LOCK_API_VERSION}", got ${describe(data['apiVersion'])}`, fix: `set apiVersion: ${IMAGES_LOCK_API_VERSION}`, code: 'images-lock/api-version' });
  }
  if (data['kind'] !== IMAGES_LOCK_KIND) {
    problems.push({ ...at(['kind']), message: `kind must be "${IMAGES_LOCK_KIND}", got ${describe(data['kind'])}`, fix: `set kind: ${IMAGES_LOCK_KIND}`, code: 'images-lock/kind' });
  }
  const images = data['images'];
  const entries: ImagesLockEntry[] = [];
  if (images === undefined || images === null) {
    // An empty lock is legitimate (nothing pinned yet); `images:` with no value reads as null.
  } else if (!Array.isArray(images)) {
    problems.push({ ...at(['images']), message: `images must be a list, got ${describe(images)}`, fix: 'write images as a list of { image, digest } entries', code: 'images-lock/shape' });
  } else {
    const seen = new Map<string, number>();
    images.forEach((entry: unknown, i: number) => {
      const before = problems.length;
      if (!isRecord(entry)) {
        problems.push({ ...at(['images', i]), message: `each entry must be a mapping with image and digest, got ${describe(entry)}`, fix: 'write "- image: <ref:tag>" and "digest: sha256:…"', code: 'images-lock/shape' });
        return;
      }
      for (const key of Object.keys(entry).sort()) {
        if (!ENTRY_KEYS.includes(key)) {
          problems.push({ ...at(['images', i, key]), message: `unknown field ${JSON.stringify(key)}`, fix: `allowed fields are ${ENTRY_KEYS.join(', ')}`, code: 'images-lock/unknown-field' });
        }
      }
      const image = entry['image'];
      const digest = entry['digest'];
      let ref: ImageRef | undefined;
      if (typeof image !== 'string') {
        problems.push({ ...at(['images', i, 'image']), message: `image must be a string, got ${describe(image)}`, fix: 'write the tagged reference, e.g. "ghcr.io/acme/api:1.4.2"', code: 'images-lock/image' });
      } else {
        try {
          ref = parseImageRef(image, at(['images', i, 'image']));
        } catch (e) {
          if (!(e instanceof LockstepError)) throw e;
          problems.push(...e.problems);
        }
        if (ref?.digest !== undefined) {
          problems.push({ ...at(['images', i, 'image']), message: `image ${JSON.stringify(image)} must not carry a digest; the digest belongs in the digest field`, fix: 'write only "registry/repository:tag" in image', code: 'images-lock/image' });
          ref = undefined;
        }
      }
      if (typeof digest !== 'string') {
        problems.push({ ...at(['images', i, 'digest']), message: `digest must be a string, got ${describe(digest)}`, fix: 'write "sha256:" followed by 64 lowercase hex characters', code: 'images-lock/digest' });
      } else {
        try {
          parseDigest(digest, at(['images', i, 'digest']));
        } catch (e) {
          if (!(e instanceof LockstepError)) throw e;
          problems.push(...e.problems);
        }
      }
      if (ref !== undefined) {
        const key = lockKey(ref);
        const first = seen.get(key);
        if (first !== undefined) {
          problems.push({ ...at(['images', i, 'image']), message: `image ${JSON.stringify(image)} is already locked at /images/${first} (both mean ${key})`, fix: 'keep one entry per image', code: 'images-lock/duplicate' });
        } else {
          seen.set(key, i);
        }
      }
      if (problems.length === before) entries.push({ image: image as string, digest: digest as string });
    });
  }
  throwIfProblems(problems);
  return { apiVersion: IMAGES_LOCK_API_VERSION, kind: IMAGES_LOCK_KIND, images: sortEntries(entries) };
}

/** Renders the lock file: entries sorted by canonical reference, a header saying how it is made. */
export function serializeImagesLock(lock: ImagesLock): string {
  const body = stringify(
    { apiVersion: IMAGES_LOCK_API_VERSION, kind: IMAGES_LOCK_KIND, images: sortEntries(lock.images).map((e) => ({ image: e.image, digest: e.digest })) },
    { lineWidth: 0 },
  );
  return `# Written by \`lockstep images pin\`: each tag and the digest it resolved to. Review changes like code.\n${body}`;
}

export async function readImagesLock(path: string, displayFile: string = path): Promise<ImagesLock> {
  let text: Buffer;
  try {
    text = await readFile(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new LockstepError({ file: displayFile, message: 'image lock file not found', fix: 'run `lockstep images pin` to create it', code: 'images-lock/missing' });
    }
    throw e;
  }
  return parseImagesLock(text, displayFile);
}

export async function writeImagesLock(path: string, lock: ImagesLock): Promise<void> {
  await writeFile(path, serializeImagesLock(lock), 'utf8');
}

/** The locked digest for `image` (any spelling of the same name and tag), or undefined. */
export function lookupDigest(lock: ImagesLock, image: string | ImageRef): string | undefined {
  const key = lockKey(typeof image === 'string' ? parseImageRef(image) : image);
  return lock.images.find((e) => lockKey(parseImageRef(e.image)) === key)?.digest;
}

/**
 * Returns `image` pinned with its locked digest. An image that already carries a digest must agree
 * with the lock if the lock has it; an image missing from the lock is an error saying how to pin it.
 */
export function pinFromLock(lock: ImagesLock, image: string, where: { file?: string; pointer?: string; lockFile?: string } = {}): ImageRef {
  const source = { ...(where.file ? { file: where.file } : {}), ...(where.pointer ? { pointer: where.pointer } : {}) };
  const ref = parseImageRef(image, source);
  if (ref.tag === undefined) return ref; // digest only: nothing to look up
  const digest = lookupDigest(lock, ref);
  if (digest === undefined) {
    if (ref.digest !== undefined) return ref;
    throw new LockstepError({
      ...source,
      message: `image ${JSON.stringify(image)} is not in ${where.lockFile ?? IMAGES_LOCK_FILE}`,
      fix: 'run `lockstep images pin` to resolve and record its digest',
      code: 'images-lock/not-locked',
    });
  }
  return withDigest(ref, digest, source);
}

/** Returns a new lock with `image` set to `digest` (added or replaced), sorted. */
export function setLockedDigest(lock: ImagesLock, image: string, digest: string): ImagesLock {
  const ref = parseImageRef(image);
  if (ref.digest !== undefined) {
    throw new LockstepError({ message: `image ${JSON.stringify(image)} must not carry a digest when locking it`, fix: 'pass the tagged reference only', code: 'images-lock/image' });
  }
  parseDigest(digest);
  const key = lockKey(ref);
  const others = lock.images.filter((e) => lockKey(parseImageRef(e.image)) !== key);
  return { ...lock, images: sortEntries([...others, { image, digest }]) };
}

function sortEntries(entries: readonly ImagesLockEntry[]): ImagesLockEntry[] {
  return [...entries].sort((a, b) => compareImageRefs(parseImageRef(a.image), parseImageRef(b.image)));
}

function locate(doc: Document, lineCounter: LineCounter, file: string, path: (string | number)[]): Pick<Problem, 'file' | 'pointer' | 'line' | 'column'> {
  const pointer = path.length === 0 ? '' : '/' + path.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
  // Walk up to the nearest node that exists, so a missing field points at its parent mapping.
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    if (range) {
      const pos = lineCounter.linePos(range[0]);
      return { file, pointer, line: pos.line, column: pos.col };
    }
  }
  return { file, pointer };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return JSON.stringify(v);
}
