/**
 * OCI image references: parse, normalise, pin.
 *
 * The grammar and the Docker Hub defaults follow distribution/reference (the package Docker, containerd,
 * Kubernetes and go-containerregistry all use), so a reference means here what it means to the
 * cluster that pulls it:
 * - the first path component is a registry only if it contains "." or ":", is "localhost", or has
 *   upper-case letters; otherwise the registry is `docker.io`;
 * - `index.docker.io` is the same registry as `docker.io`;
 * - a one-component Docker Hub repository lives under `library/` (`nginx` → `docker.io/library/nginx`).
 *
 * Written by hand because no installed package parses image references (kubernetes-models and cdk8s
 * treat images as plain strings).
 */
import { LockstepError } from '../../util/errors.ts';
import type { Problem } from '../../util/errors.ts';

export interface ImageRef {
  /** Registry host, with port if any: `docker.io`, `ghcr.io`, `localhost:5000`. */
  readonly registry: string;
  /** Repository path inside the registry: `library/nginx`, `acme/api`. */
  readonly repository: string;
  /** Tag, when the reference has one. */
  readonly tag?: string;
  /** Manifest digest (`sha256:<64 hex>`), when the reference has one. */
  readonly digest?: string;
}

/** Where a reference came from, so errors can point at it. */
export interface RefSource {
  readonly file?: string;
  readonly pointer?: string;
  readonly line?: number;
  readonly column?: number;
}

export interface ParseImageRefOptions extends RefSource {
  /**
   * Accept `:latest` and references with neither tag nor digest (which mean `:latest`).
   * @default false — a moving tag makes a render depend on the day it ran.
   */
  readonly allowLatest?: boolean;
}

const DEFAULT_REGISTRY = 'docker.io';
const LEGACY_DEFAULT_REGISTRY = 'index.docker.io';
const OFFICIAL_REPO_PREFIX = 'library/';
const NAME_TOTAL_LENGTH_MAX = 255;

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const REGISTRY = new RegExp(`^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?$`);
const TAG = /^[\w][\w.-]{0,127}$/;
/** Digest algorithms the OCI image spec registers, with their hex lengths. */
const DIGEST_HEX_LENGTH: Readonly<Record<string, number>> = { sha256: 64, sha384: 96, sha512: 128 };

const PIN_FIX = 'pin a version tag and its digest, e.g. "ghcr.io/acme/api:1.4.2@sha256:…" (`lockstep images pin` writes the digest)';

function refError(source: RefSource, message: string, fix: string, code: string): LockstepError {
  const problem: Problem = { ...source, message, fix, code };
  return new LockstepError(problem);
}

/**
 * Checks a digest string (`sha256:<64 lowercase hex>`, also sha384/sha512) and returns it.
 * Throws a LockstepError naming the value and the expected form otherwise.
 */
export function parseDigest(value: string, source: RefSource = {}): string {
  const m = /^([a-z0-9]+):([0-9a-f]+)$/.exec(value);
  const expected = m ? DIGEST_HEX_LENGTH[m[1]!] : undefined;
  if (!m || expected === undefined || m[2]!.length !== expected) {
    throw refError(
      source,
      `invalid digest ${JSON.stringify(value)}`,
      'use "sha256:" followed by 64 lowercase hex characters (sha384/sha512 also accepted)',
      'image/invalid-digest',
    );
  }
  return value;
}

/** True when `value` is a well-formed digest (see `parseDigest`). */
export function isDigest(value: string): boolean {
  try {
    parseDigest(value);
    return true;
  } catch {
    return false;
  }
}

/**
 * Parses and normalises an image reference. Refuses `:latest` and tagless, digestless references
 * unless `allowLatest` is set; every error says which value was received and how to fix it.
 */
export function parseImageRef(input: string, options: ParseImageRefOptions = {}): ImageRef {
  const { allowLatest = false, ...source } = options;
  const shown = JSON.stringify(input);
  const invalid = (why: string, fix: string): LockstepError =>
    refError(source, `invalid image reference ${shown}: ${why}`, fix, 'image/invalid-reference');

  if (input.length === 0) throw invalid('it is empty', `write "registry/repository:tag@sha256:…"`);
  if (/\s/.test(input)) throw invalid('it contains whitespace', 'remove the spaces');

  let rest = input;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    const d = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!isDigest(d)) {
      throw invalid(`${JSON.stringify(d)} is not a digest`, 'use "@sha256:" followed by 64 lowercase hex characters');
    }
    digest = d;
  }

  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) {
      throw invalid(
        `tag ${JSON.stringify(tag)} is not valid`,
        'a tag is 1–128 characters of letters, digits, "_", "." and "-", not starting with "." or "-"',
      );
    }
  }
  if (rest.length === 0) throw invalid('it has no repository name', 'write "registry/repository:tag"');

  const { registry, repository } = splitRegistry(rest);
  if (!REGISTRY.test(registry)) {
    throw invalid(`registry ${JSON.stringify(registry)} is not a valid host[:port]`, 'check the registry host name');
  }
  for (const component of repository.split('/')) {
    if (!PATH_COMPONENT.test(component)) {
      const fix = /[A-Z]/.test(component)
        ? 'repository names must be lowercase'
        : 'each path component is lowercase letters and digits, separated by ".", "_", "__" or "-"';
      throw invalid(`repository component ${JSON.stringify(component)} is not valid`, fix);
    }
  }
  if (registry.length + 1 + repository.length > NAME_TOTAL_LENGTH_MAX) {
    throw invalid(`the name is longer than ${NAME_TOTAL_LENGTH_MAX} characters`, 'use a shorter repository name');
  }

  if (!allowLatest && digest === undefined) {
    if (tag === 'latest') {
      throw refError(
        source,
        `image ${shown} uses the tag "latest", which moves between renders`,
        PIN_FIX,
        'image/latest-tag',
      );
    }
    if (tag === undefined) {
      throw refError(
        source,
        `image ${shown} has no tag and no digest, so it means ":latest", which moves between renders`,
        PIN_FIX,
        'image/implicit-latest',
      );
    }
  }

  return { registry, repository, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

/** Splits `rest` (no tag, no digest) into registry and repository, applying the Docker Hub defaults. */
function splitRegistry(name: string): { registry: string; repository: string } {
  const slash = name.indexOf('/');
  let registry: string;
  let repository: string;
  const first = slash === -1 ? '' : name.slice(0, slash);
  if (slash === -1 || (!/[.:]/.test(first) && first !== 'localhost' && first.toLowerCase() === first)) {
    registry = DEFAULT_REGISTRY;
    repository = name;
  } else {
    registry = first;
    repository = name.slice(slash + 1);
  }
  if (registry === LEGACY_DEFAULT_REGISTRY) registry = DEFAULT_REGISTRY;
  if (registry === DEFAULT_REGISTRY && !repository.includes('/')) repository = OFFICIAL_REPO_PREFIX + repository;
  return { registry, repository };
}

/** `registry/repository`, the name without tag or digest. */
export function imageName(ref: ImageRef): string {
  return `${ref.registry}/${ref.repository}`;
}

/** The canonical, fully qualified string: `docker.io/library/nginx:1.27@sha256:…`. */
export function formatImageRef(ref: ImageRef): string {
  return imageName(ref) + (ref.tag !== undefined ? `:${ref.tag}` : '') + (ref.digest !== undefined ? `@${ref.digest}` : '');
}

/** `registry/repository@digest`, dropping the tag: the form a pinned workload should run. */
export function digestRef(ref: ImageRef): string {
  if (ref.digest === undefined) {
    throw new LockstepError({
      message: `image "${formatImageRef(ref)}" has no digest`,
      fix: 'pin it first (`lockstep images pin`)',
      code: 'image/not-pinned',
    });
  }
  return `${imageName(ref)}@${ref.digest}`;
}

/** True when the reference carries a digest, so it names exactly one manifest. */
export function isPinned(ref: ImageRef | string): boolean {
  const parsed = typeof ref === 'string' ? parseImageRef(ref, { allowLatest: true }) : ref;
  return parsed.digest !== undefined;
}

/**
 * Returns the reference pinned to `digest`, keeping its tag for readability. A reference that is
 * already pinned to another digest is an error (two sources disagree about what runs).
 */
export function withDigest(ref: ImageRef, digest: string, source: RefSource = {}): ImageRef {
  parseDigest(digest, source);
  if (ref.digest !== undefined && ref.digest !== digest) {
    throw refError(
      source,
      `image "${formatImageRef(ref)}" is already pinned to a different digest than ${digest}`,
      'remove the old digest from the reference or update the lock file',
      'image/digest-conflict',
    );
  }
  return { ...ref, digest };
}

/** Orders references by their canonical string (code-unit order, independent of locale). */
export function compareImageRefs(a: ImageRef, b: ImageRef): number {
  const x = formatImageRef(a);
  const y = formatImageRef(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
