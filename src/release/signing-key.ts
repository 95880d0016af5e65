/**
 * Which key signs a release.
 *
 * - `--key PATH`: a cosign key (`ENCRYPTED SIGSTORE PRIVATE KEY`, password from COSIGN_PASSWORD)
 *   or an unencrypted PKCS#8 PEM. Any stage.
 * - no key, in an environment of stage dev with `signing.allowDevKey: true`: the local development
 *   key `.lockstep/dev-key/cosign.key`, generated on first use with an empty password. It lives
 *   outside `dist/` (and `.lockstep/` is git-ignored), so it never travels with a release.
 * - no key anywhere else: refused. Staging and production are signed with a key the environment
 *   trusts (`signing.trustedKeys`), never with a key that any checkout can make.
 *
 * The private key and its password are only ever held in memory; messages name files, never
 * their contents.
 */
import type { KeyObject } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { EnvironmentConfig } from '../config/types.ts';
import { generateKeyPair, loadPrivateKey, publicKeyPem } from '../supply-chain/signing/keys.ts';
import { LockstepError } from '../util/errors.ts';
import { readIfExists } from './files.ts';

export const DEV_KEY_DIR = '.lockstep/dev-key';
export const DEV_KEY_FILE = `${DEV_KEY_DIR}/cosign.key`;
export const DEV_PUBLIC_KEY_FILE = `${DEV_KEY_DIR}/cosign.pub`;

export interface SigningKey {
  readonly key: KeyObject;
  readonly publicPem: string;
  /** The key file as the user named it (or the dev key's repository path). */
  readonly keyFile: string;
  readonly dev: boolean;
}

export interface ResolveSigningKeyOptions {
  readonly root: string;
  readonly config: EnvironmentConfig;
  /** Repository-relative path of the environment file, for messages. */
  readonly envFile: string;
  /** `--key`: relative to `root`, or absolute. */
  readonly keyPath?: string;
  /** COSIGN_PASSWORD, passed in by the entry point. */
  readonly password?: string;
  readonly progress?: (line: string) => void;
}

/** Whether this environment may be signed and verified with the local development key. */
export function devKeyAllowed(config: EnvironmentConfig): boolean {
  return config.stage === 'dev' && config.signing.allowDevKey;
}

async function readKeyFile(root: string, keyPath: string): Promise<string> {
  const bytes = await readIfExists(isAbsolute(keyPath) ? keyPath : join(root, keyPath));
  if (bytes === undefined) {
    throw new LockstepError({ file: keyPath, message: 'signing key file not found', fix: 'pass the path of a cosign.key (or PKCS#8 PEM) with --key', code: 'release/key-not-found' });
  }
  return bytes.toString('utf8');
}

/**
 * Returns the development key pair's paths, generating it (empty password, like
 * `COSIGN_PASSWORD= cosign generate-key-pair`) when it does not exist yet.
 */
export async function ensureDevKey(root: string, progress: (line: string) => void = () => {}): Promise<{ keyFile: string; pubFile: string; created: boolean }> {
  const keyPath = join(root, DEV_KEY_FILE);
  if ((await readIfExists(keyPath)) !== undefined) return { keyFile: DEV_KEY_FILE, pubFile: DEV_PUBLIC_KEY_FILE, created: false };
  await mkdir(join(root, DEV_KEY_DIR), { recursive: true, mode: 0o700 });
  const pair = await generateKeyPair('');
  // 'wx': never overwrite a key another run created in the meantime.
  await writeFile(keyPath, pair.privatePem, { mode: 0o600, flag: 'wx' });
  await writeFile(join(root, DEV_PUBLIC_KEY_FILE), pair.publicPem, { mode: 0o644 });
  progress(`generated the local development signing key ${DEV_KEY_FILE} (+ .pub); it is trusted only by dev environments with signing.allowDevKey`);
  return { keyFile: DEV_KEY_FILE, pubFile: DEV_PUBLIC_KEY_FILE, created: true };
}

export async function resolveSigningKey(options: ResolveSigningKeyOptions): Promise<SigningKey> {
  const { root, config, envFile } = options;
  if (options.keyPath !== undefined) {
    const pem = await readKeyFile(root, options.keyPath);
    const key = await loadPrivateKey(pem, options.password, { file: options.keyPath });
    return { key, publicPem: publicKeyPem(key), keyFile: options.keyPath, dev: false };
  }
  if (!devKeyAllowed(config)) {
    const why =
      config.stage !== 'dev'
        ? `a ${config.stage} release must be signed with a trusted key, and the local development key is never accepted outside dev`
        : 'this environment does not allow the local development key (signing.allowDevKey is false)';
    throw new LockstepError({
      file: envFile,
      pointer: '/signing',
      message: `no signing key given: ${why}`,
      fix: config.stage !== 'dev'
        ? 'pass --key with a key whose .pub is listed in signing.trustedKeys (COSIGN_PASSWORD from the environment), or sign with --cosign in CI'
        : 'pass --key, or set signing.allowDevKey: true in the dev environment',
      code: 'release/no-signing-key',
    });
  }
  const dev = await ensureDevKey(root, options.progress);
  const pem = (await readFile(join(root, dev.keyFile))).toString('utf8');
  const key = await loadPrivateKey(pem, '', { file: dev.keyFile });
  return { key, publicPem: publicKeyPem(key), keyFile: dev.keyFile, dev: true };
}
