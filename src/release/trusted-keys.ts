/**
 * The public keys a release of an environment is verified against.
 *
 * - By default: the environment's `signing.trustedKeys` (repository paths of `.pub` files), plus
 *   the local development key `.lockstep/dev-key/cosign.pub` only when the environment is a dev
 *   stage with `signing.allowDevKey: true` and the key exists.
 * - `--key PUB` (repeatable) replaces that list, as `cosign verify-blob --key` does: the caller says
 *   which key to trust. The dev key is then trusted only if named explicitly.
 */
import type { KeyObject } from 'node:crypto';
import { isAbsolute, join } from 'node:path';
import type { EnvironmentConfig } from '../config/types.ts';
import { loadPublicKey } from '../supply-chain/signing/keys.ts';
import { LockstepError, type Problem } from '../util/errors.ts';
import { readIfExists } from './files.ts';
import { DEV_PUBLIC_KEY_FILE, devKeyAllowed } from './signing-key.ts';

export interface TrustedKey {
  /** The key file as configured or given. */
  readonly file: string;
  readonly key: KeyObject;
  readonly source: 'environment' | 'dev-key' | 'flag';
}

export interface ResolveTrustedKeysOptions {
  readonly root: string;
  readonly config: EnvironmentConfig;
  readonly envFile: string;
  /** `--key` values; when non-empty they replace the environment's keys. */
  readonly keyFlags?: readonly string[];
}

async function loadKey(root: string, file: string, source: TrustedKey['source'], where: Pick<Problem, 'file' | 'pointer'>): Promise<TrustedKey | Problem> {
  const bytes = await readIfExists(isAbsolute(file) ? file : join(root, file));
  if (bytes === undefined) {
    return { ...where, message: `trusted key ${file} not found`, fix: source === 'flag' ? 'check the --key path' : `add ${file} to the repository or remove it from signing.trustedKeys`, code: 'release/trusted-key-missing' };
  }
  try {
    return { file, key: loadPublicKey(bytes.toString('utf8'), { file }), source };
  } catch (e) {
    if (e instanceof LockstepError) return e.problems[0]!;
    throw e;
  }
}

export async function resolveTrustedKeys(options: ResolveTrustedKeysOptions): Promise<{ keys: TrustedKey[]; problems: Problem[] }> {
  const keys: TrustedKey[] = [];
  const problems: Problem[] = [];
  const add = (r: TrustedKey | Problem) => ('key' in r ? keys.push(r) : problems.push(r));
  if (options.keyFlags && options.keyFlags.length > 0) {
    for (const f of options.keyFlags) add(await loadKey(options.root, f, 'flag', { file: f }));
    return { keys, problems };
  }
  const listed = options.config.signing.trustedKeys;
  for (let i = 0; i < listed.length; i++) {
    add(await loadKey(options.root, listed[i]!, 'environment', { file: options.envFile, pointer: `/signing/trustedKeys/${i}` }));
  }
  if (devKeyAllowed(options.config) && (await readIfExists(join(options.root, DEV_PUBLIC_KEY_FILE))) !== undefined) {
    add(await loadKey(options.root, DEV_PUBLIC_KEY_FILE, 'dev-key', { file: DEV_PUBLIC_KEY_FILE }));
  }
  if (keys.length === 0 && problems.length === 0) {
    problems.push({
      file: options.envFile,
      pointer: '/signing/trustedKeys',
      message: `no key is trusted for ${options.config.stage} releases of environment ${options.config.name}`,
      fix: options.config.stage === 'dev' ? 'list public keys in signing.trustedKeys, set signing.allowDevKey: true, or pass --key PUB' : 'list the release public keys in signing.trustedKeys, or pass --key PUB',
      code: 'release/no-trusted-keys',
    });
  }
  return { keys, problems };
}
