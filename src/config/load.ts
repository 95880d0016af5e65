import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { LockstepError, type Problem } from '../util/errors.ts';
import { displayPointer, parseYamlSource, type YamlSource } from '../util/yaml-source.ts';
import { checkImageReference } from './images.ts';
import { readLock, serializeLock, type EnvironmentLock } from '../delivery/lock.ts';
import { digestRef, parseImageRef, withDigest } from '../supply-chain/images/reference.ts';
import { lookupDigest, parseImagesLock, type ImagesLock } from '../supply-chain/images/lock.ts';
import { environmentSchema } from './schema.ts';
import { isRepositoryPath, resolvesOutside } from './paths.ts';
import type { EnvironmentConfig, LoadedEnvironment } from './types.ts';

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
const validateSchema = ajv.compile<unknown>(environmentSchema);

const DEFAULTS = {
  network: {},
  replicas: { default: 1, workloads: {} },
  resources: { workloads: {} },
  endpoints: {},
  egress: {},
  policies: { defaultMode: 'Audit', modes: {}, legacyClusterPolicy: false },
  approvals: { required: 0 },
  audit: { enabled: false, retentionDays: 30 },
  supplyChain: { sbomAnnotationPrefix: 'lockstep.dev', requireSbom: false, imageSigners: [] },
  signing: { trustedKeys: [], allowDevKey: false },
} as const;

/**
 * Parses and validates one environment file. Every problem in the file is reported at once, each
 * with the file, line, column, JSON pointer and a fix; nothing is returned unless the file is
 * entirely valid. The result is deeply frozen.
 */
export function parseEnvironment(bytes: Uint8Array | string, file: string): EnvironmentConfig {
  const src = parseYamlSource<unknown>(bytes, file);
  const value = src.value;
  const problems: Problem[] = [];
  if (!validateSchema(value)) {
    for (const err of validateSchema.errors ?? []) problems.push(schemaProblem(err, value, src, file));
  } else {
    const raw = value as Record<string, unknown>;
    const expected = file.split('/').pop()!.replace(/\.ya?ml$/, '');
    if (raw.name !== expected) {
      problems.push({ file, ...src.locate('/name'), pointer: '/name', message: `name ${JSON.stringify(raw.name)} does not match the file name`, fix: `set name: ${expected} or rename the file` });
    }
    const signing = raw.signing as { allowDevKey?: boolean } | undefined;
    if (signing?.allowDevKey && raw.stage !== 'dev') {
      problems.push({ file, ...src.locate('/signing/allowDevKey'), pointer: '/signing/allowDevKey', message: `the local development key cannot sign a ${String(raw.stage)} release`, fix: 'remove allowDevKey and list the release keys in signing.trustedKeys' });
    }
    for (const { pointer, path } of repositoryPaths(raw)) {
      if (!isRepositoryPath(path)) {
        problems.push({ file, ...src.locate(pointer), pointer, message: `${JSON.stringify(path)} is outside the repository`, fix: 'name a file inside the repository, relative to its root (no "..", not absolute)', code: 'environment/path-outside' });
      }
    }
    const images = (raw.images ?? {}) as Record<string, string>;
    for (const [key, ref] of Object.entries(images)) {
      // Tags are fine here; staging and production get their digests from the image lock.
      const issue = checkImageReference(ref, raw.stage as EnvironmentConfig['stage'], { requireDigest: false });
      if (issue) problems.push({ file, ...src.locate(`/images/${key}`), pointer: `/images/${key}`, message: issue.message, fix: issue.fix });
    }
  }
  if (problems.length) throw new LockstepError(dedupe(problems).map((p) => (p.pointer !== undefined ? { ...p, pointer: displayPointer(p.pointer) } : p)));
  const raw = value as Record<string, unknown>;
  const config = {
    ...raw,
    network: { ...DEFAULTS.network, ...(raw.network as object) },
    clusters: (raw.clusters as Record<string, unknown>[]).map((c) => ({ apiServerCidrs: [], ...c })),
    replicas: { ...DEFAULTS.replicas, ...(raw.replicas as object) },
    resources: { ...DEFAULTS.resources, ...(raw.resources as object) },
    endpoints: { ...DEFAULTS.endpoints, ...(raw.endpoints as object) },
    egress: { ...DEFAULTS.egress, ...(raw.egress as object) },
    policies: { ...DEFAULTS.policies, ...(raw.policies as object) },
    approvals: { ...DEFAULTS.approvals, ...(raw.approvals as object) },
    audit: { ...DEFAULTS.audit, ...(raw.audit as object) },
    supplyChain: { ...DEFAULTS.supplyChain, ...(raw.supplyChain as object) },
    signing: { ...DEFAULTS.signing, ...(raw.signing as object) },
  } as unknown as EnvironmentConfig;
  return deepFreeze(config);
}

/** Reads and validates `<dir>/<name>.yaml`. `root` makes file names in errors repository-relative. */
export async function loadEnvironment(root: string, name: string, dir = 'environments', options: { lock?: EnvironmentLock } = {}): Promise<LoadedEnvironment> {
  if (!ENVIRONMENT_NAME.test(name)) {
    // The name becomes a path: `../../x` would read (and sign) a file outside environments/.
    throw new LockstepError({ message: `environment name ${JSON.stringify(name)} is not valid`, fix: 'use the name of a file in environments/ (lower-case letters, digits and "-")' }, { exitCode: 2 });
  }
  const path = join(root, dir, `${name}.yaml`);
  const file = relative(root, path);
  await refuseOutside(root, path, file);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    const known = await listEnvironments(root, dir).catch(() => []);
    throw new LockstepError({
      file,
      message: (e as NodeJS.ErrnoException).code === 'ENOENT' ? `no such environment file` : `cannot read: ${(e as Error).message}`,
      fix: known.length ? `use one of: ${known.join(', ')}` : `create ${file}`,
    });
  }
  const config = parseEnvironment(bytes, file);
  const src = parseYamlSource<unknown>(bytes, file);
  const outside: Problem[] = [];
  for (const { pointer, path: keyPath } of repositoryPaths(config)) {
    const real = await resolvesOutside(root, join(root, keyPath));
    if (real !== undefined) outside.push({ file, ...src.locate(pointer), pointer, message: `${JSON.stringify(keyPath)} resolves outside the repository (to ${real})`, fix: 'commit the file itself instead of a symlink to it', code: 'environment/path-outside' });
  }
  if (outside.length) throw new LockstepError(outside);
  const lock = await readLockIfPresent(root, dir);
  const envLock = options.lock ? { lock: options.lock, bytes: Buffer.from(serializeLock(options.lock)), file: `${dir}/${name}.lock.yaml` } : await readLock(root, name);
  const images: Record<string, string> = {};
  const problems: Problem[] = [];
  for (const [key, ref] of Object.entries(config.images)) {
    if (envLock) {
      // A locked environment runs exactly the pins of its promoted release: never re-resolved.
      const pinned = envLock.lock.current.images[key];
      if (pinned) images[key] = pinned;
      else problems.push({ file, ...src.locate(`/images/${key}`), pointer: `/images/${key}`, message: `image "${key}" is not pinned by the locked release ${envLock.lock.current.id} (${envLock.file})`, fix: 'promote a release that includes it (lockstep promote), or remove it', code: 'images/not-in-lock' });
      continue;
    }
    const parsed = parseImageRef(ref);
    const digest = parsed.digest ?? (lock ? lookupDigest(lock.lock, parsed) : undefined);
    if (digest) images[key] = digestRef(withDigest(parsed, digest));
    else if (config.stage === 'dev') images[key] = ref;
    else {
      problems.push({
        file,
        ...src.locate(`/images/${key}`),
        pointer: `/images/${key}`,
        message: `image ${JSON.stringify(ref)} must be pinned by digest in ${config.stage}, and ${lock ? lock.file : `${dir}/images.lock.yaml`} has no digest for it`,
        fix: 'run `lockstep images pin` (or write "repo@sha256:…" here)',
        code: 'images/not-pinned',
      });
    }
  }
  if (problems.length) throw new LockstepError(problems);
  return {
    config,
    file,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    images: Object.freeze(images),
    ...(lock ? { imagesLock: { file: lock.file, sha256: lock.sha256 } } : {}),
    ...(envLock ? { environmentLock: { file: envLock.file, sha256: createHash('sha256').update(envLock.bytes).digest('hex'), releaseId: envLock.lock.current.id } } : {}),
  };
}

async function readLockIfPresent(root: string, dir: string): Promise<{ lock: ImagesLock; file: string; sha256: string } | undefined> {
  const path = join(root, dir, 'images.lock.yaml');
  let text: Buffer;
  try {
    text = await readFile(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  const file = relative(root, path);
  await refuseOutside(root, path, file);
  return { lock: parseImagesLock(text, file), file, sha256: createHash('sha256').update(text).digest('hex') };
}

const ENVIRONMENT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** The repository paths an environment names (trusted keys, image signer keys), with their pointers. */
function repositoryPaths(raw: Record<string, unknown> | EnvironmentConfig): { pointer: string; path: string }[] {
  const out: { pointer: string; path: string }[] = [];
  const signing = raw.signing as { trustedKeys?: string[] } | undefined;
  (signing?.trustedKeys ?? []).forEach((path, i) => out.push({ pointer: `/signing/trustedKeys/${i}`, path }));
  const supplyChain = raw.supplyChain as { imageSigners?: { publicKey?: string }[] } | undefined;
  (supplyChain?.imageSigners ?? []).forEach((s, i) => {
    if (s.publicKey !== undefined) out.push({ pointer: `/supplyChain/imageSigners/${i}/publicKey`, path: s.publicKey });
  });
  return out;
}

/** Refuses a repository file that is a symlink to somewhere outside the repository. */
async function refuseOutside(root: string, path: string, file: string): Promise<void> {
  const real = await resolvesOutside(root, path);
  if (real !== undefined) throw new LockstepError({ file, message: `resolves outside the repository (to ${real})`, fix: 'commit the file itself instead of a symlink to it', code: 'environment/path-outside' });
}

/** Names of the environments in `<root>/<dir>` (files `*.yaml` that are not lock files), sorted. */
export async function listEnvironments(root: string, dir = 'environments'): Promise<string[]> {
  const files = await readdir(join(root, dir));
  return files
    .filter((f) => f.endsWith('.yaml') && !f.endsWith('.lock.yaml'))
    .map((f) => f.replace(/\.yaml$/, ''))
    .sort();
}

function schemaProblem(err: ErrorObject, value: unknown, src: YamlSource, file: string): Problem {
  let pointer = err.instancePath;
  const got = valueAt(value, pointer);
  let message: string;
  let fix: string | undefined;
  switch (err.keyword) {
    case 'additionalProperties': {
      const key = String((err.params as { additionalProperty: string }).additionalProperty);
      pointer = `${pointer}/${key}`;
      const allowed = Object.keys(schemaAt(pointer.split('/').slice(0, -1)) ?? {});
      message = `unknown key ${JSON.stringify(key)}`;
      const near = closest(key, allowed);
      fix = near ? `did you mean ${JSON.stringify(near)}?` : allowed.length ? `allowed keys: ${allowed.join(', ')}` : 'remove it';
      break;
    }
    case 'required': {
      const key = (err.params as { missingProperty: string }).missingProperty;
      message = `missing required key ${JSON.stringify(key)}`;
      fix = `add ${key}: …`;
      break;
    }
    case 'type': {
      const t = (err.params as { type: string }).type;
      message = `must be ${t === 'integer' ? 'a whole number' : `of type ${t}`}, got ${JSON.stringify(got)}`;
      fix = t === 'integer' ? `write a number without quotes, e.g. 3` : `write a ${t}`;
      break;
    }
    case 'enum':
      message = `must be one of ${(err.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}, got ${JSON.stringify(got)}`;
      break;
    case 'const':
      message = `must be ${JSON.stringify((err.params as { allowedValue: unknown }).allowedValue)}, got ${JSON.stringify(got)}`;
      break;
    case 'pattern':
      message = `${JSON.stringify(got)} does not have the expected form (${(err.params as { pattern: string }).pattern})`;
      fix = pointer.includes('server') || pointer.startsWith('/endpoints') ? 'use an https:// URL' : pointer.includes('Cidr') || pointer.includes('egress') || pointer.includes('Networks') ? 'use an IPv4 CIDR such as 203.0.113.0/24' : 'use lower-case letters, digits and "-" (quantities like 500m or 1Gi)';
      break;
    case 'propertyNames':
      message = `key ${JSON.stringify((err.params as { propertyName: string }).propertyName)} is not a valid name`;
      fix = 'use lower-case letters, digits and "-"';
      pointer = `${pointer}/${(err.params as { propertyName: string }).propertyName}`;
      break;
    case 'minimum':
    case 'maximum':
      message = `must be ${err.keyword === 'minimum' ? '≥' : '≤'} ${(err.params as { limit: number }).limit}, got ${JSON.stringify(got)}`;
      break;
    case 'minItems':
      message = `needs at least ${(err.params as { limit: number }).limit} item(s)`;
      break;
    default:
      message = `${err.message ?? 'is invalid'}${got !== undefined ? `, got ${JSON.stringify(got)}` : ''}`;
  }
  const atKey = err.keyword === 'additionalProperties' || err.keyword === 'propertyNames';
  return { file, ...src.locate(pointer, { key: atKey }), pointer, message, ...(fix ? { fix } : {}), code: `environment/${err.keyword}` };
}

function valueAt(value: unknown, pointer: string): unknown {
  if (!pointer) return value;
  let v: unknown = value;
  for (const part of pointer.slice(1).split('/')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return v;
}

/** The `properties` of the schema node at a JSON-pointer path (array items and maps followed). */
function schemaAt(parts: string[]): Record<string, unknown> | undefined {
  let s: any = environmentSchema;
  for (const part of parts.slice(1)) {
    if (!s) return undefined;
    if (s.properties && part in s.properties) s = s.properties[part];
    else if (s.items) s = s.items;
    else if (s.additionalProperties && typeof s.additionalProperties === 'object') s = s.additionalProperties;
    else return undefined;
  }
  return s?.properties;
}

/** The allowed name closest to `key` (edit distance ≤ 2), for "did you mean" hints. */
export function closest(key: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = 3;
  for (const a of allowed) {
    const d = editDistance(key.toLowerCase(), a.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = a;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) dp[0]![j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      dp[i]![j] = Math.min(dp[i - 1]![j]! + 1, dp[i]![j - 1]! + 1, dp[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
  return dp[a.length]![b.length]!;
}

function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const k = `${p.pointer}|${p.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object') {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}
