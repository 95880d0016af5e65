import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { stringify } from 'yaml';
import { writeFileAtomic } from '../util/atomic.ts';
import { LockstepError, type Problem } from '../util/errors.ts';
import { parseYamlSource } from '../util/yaml-source.ts';
import { resolvesOutside } from '../config/paths.ts';

/** An approval of a promotion: who, when, and where the identity came from. */
export interface Approval {
  readonly identity: string;
  /** RFC 3339 time, supplied by the entry point (library code never reads the clock). */
  readonly at: string;
  /** `flag` (command line) or `github-environment` (the CI approval context). */
  readonly source: 'flag' | 'github-environment';
}

/** One release of an environment as the lock records it. */
export interface LockedRelease {
  readonly id: string;
  /** sha256 of `dist/<env>/release.json`. */
  readonly releaseDigest: string;
  /** sha256 over the sorted manifest list (release.json `manifestsDigest`). */
  readonly manifestsDigest: string;
  readonly promotedFrom: {
    readonly environment: string;
    readonly releaseId: string;
    /** sha256 of the source environment's release.json that was verified. */
    readonly releaseDigest: string;
    readonly sourceCommit: string;
  };
  /** Logical image name → pinned reference, taken from the verified source release. */
  readonly images: Readonly<Record<string, string>>;
  /** Pinned reference → sha256 of its SBOM. */
  readonly sboms: Readonly<Record<string, string>>;
  readonly approvals: readonly Approval[];
  readonly at: string;
  /** Set when the promotion skipped a gate; flagged in every report and diff. */
  readonly breakGlass?: { readonly reason: string };
  /** Set when this release re-pins an earlier one. */
  readonly rollbackOf?: string;
}

/** `environments/<env>.lock.yaml`: the release an environment runs, and the ones before it. */
export interface EnvironmentLock {
  readonly apiVersion: 'lockstep.dev/v1alpha1';
  readonly kind: 'EnvironmentLock';
  readonly environment: string;
  readonly current: LockedRelease;
  /** Earlier releases, newest first, for rollback. */
  readonly history: readonly LockedRelease[];
}

const sha = { type: 'string', pattern: '^[0-9a-f]{64}$' };
const approval = {
  type: 'object',
  additionalProperties: false,
  required: ['identity', 'at', 'source'],
  properties: { identity: { type: 'string', minLength: 1 }, at: { type: 'string', minLength: 1 }, source: { enum: ['flag', 'github-environment'] } },
};
const release = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'releaseDigest', 'manifestsDigest', 'promotedFrom', 'images', 'sboms', 'approvals', 'at'],
  properties: {
    id: { type: 'string', minLength: 1 },
    releaseDigest: sha,
    manifestsDigest: sha,
    promotedFrom: {
      type: 'object',
      additionalProperties: false,
      required: ['environment', 'releaseId', 'releaseDigest', 'sourceCommit'],
      properties: { environment: { type: 'string' }, releaseId: { type: 'string' }, releaseDigest: sha, sourceCommit: { type: 'string' } },
    },
    images: { type: 'object', additionalProperties: { type: 'string', pattern: '@sha256:[0-9a-f]{64}$' } },
    sboms: { type: 'object', additionalProperties: sha },
    approvals: { type: 'array', items: approval },
    at: { type: 'string' },
    breakGlass: { type: 'object', additionalProperties: false, required: ['reason'], properties: { reason: { type: 'string', minLength: 10 } } },
    rollbackOf: { type: 'string' },
  },
};
const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['apiVersion', 'kind', 'environment', 'current', 'history'],
  properties: {
    apiVersion: { const: 'lockstep.dev/v1alpha1' },
    kind: { const: 'EnvironmentLock' },
    environment: { type: 'string' },
    current: release,
    history: { type: 'array', items: release },
  },
};
const validate = new Ajv({ allErrors: true, strict: true }).compile<EnvironmentLock>(schema);

export function lockPath(root: string, env: string): string {
  return join(root, 'environments', `${env}.lock.yaml`);
}

export function parseLock(text: string | Uint8Array, file: string): EnvironmentLock {
  const src = parseYamlSource<unknown>(text, file);
  if (!validate(src.value)) {
    const problems: Problem[] = (validate.errors ?? []).map((e) => {
      const pointer = e.keyword === 'additionalProperties' ? `${e.instancePath}/${(e.params as { additionalProperty: string }).additionalProperty}` : e.instancePath;
      return { file, ...src.locate(pointer), pointer, message: `${e.message ?? 'is invalid'}`, fix: 'locks are written by `lockstep promote` and `lockstep rollback`; do not edit them by hand', code: 'lock/schema' };
    });
    throw new LockstepError(problems);
  }
  return src.value;
}

/** The lock of `env`, or undefined when the environment has never been promoted. */
export async function readLock(root: string, env: string): Promise<{ lock: EnvironmentLock; bytes: Buffer; file: string } | undefined> {
  const file = `environments/${env}.lock.yaml`;
  const real = await resolvesOutside(root, join(root, file));
  if (real !== undefined) throw new LockstepError({ file, message: `resolves outside the repository (to ${real})`, fix: 'commit the lock itself instead of a symlink to it', code: 'lock/path-outside' });
  let bytes: Buffer;
  try {
    bytes = await readFile(join(root, file));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  return { lock: parseLock(bytes, file), bytes, file };
}

export function serializeLock(lock: EnvironmentLock): string {
  const header = '# Written by `lockstep promote` / `lockstep rollback`. Do not edit: `lockstep verify` checks it against its signature.\n';
  return header + stringify(lock, { lineWidth: 0, sortMapEntries: true });
}

export async function writeLock(root: string, lock: EnvironmentLock): Promise<string> {
  const text = serializeLock(lock);
  await writeFileAtomic(lockPath(root, lock.environment), text);
  return text;
}
