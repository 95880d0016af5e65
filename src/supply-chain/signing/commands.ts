/**
 * The behaviour of Lockstep's cosign-compatible commands, as functions with explicit inputs. The CLI
 * parses flags (same names as cosign) and reads COSIGN_PASSWORD; these functions only touch the
 * paths they are given and return what the CLI prints.
 */
import { access, readFile, writeFile } from 'node:fs/promises';
import { signBlob, verifyBlob, type VerifyBlobResult } from './blob.ts';
import { verifyBlobAttestation, type VerifyBlobAttestationResult } from './attestation.ts';
import { generateKeyPair, loadPrivateKey, loadPublicKey, publicKeyPem } from './keys.ts';
import { signingError } from './problems.ts';

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    throw signingError({ code: 'signing/usage', message: `cannot read ${what} ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, file: path, fix: `check the ${what} path` });
  }
}

async function readBytes(path: string, what: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (e) {
    throw signingError({ code: 'signing/usage', message: `cannot read ${what} ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, file: path, fix: `check the ${what} path` });
  }
}

function usage(message: string, fix: string): Error {
  return signingError({ code: 'signing/usage', message, fix });
}

// ---------------------------------------------------------------------------------------------
// generate-key-pair [--output-key-prefix P]

export interface GenerateKeyPairCommandOptions {
  /** cosign `--output-key-prefix`; default "cosign" (writes cosign.key and cosign.pub). */
  readonly outputKeyPrefix?: string;
  /** Filled by the CLI from COSIGN_PASSWORD; an empty string is a valid password. */
  readonly password: string;
  /** cosign asks before overwriting; non-interactively we refuse unless this is set. */
  readonly overwrite?: boolean;
}

export interface GenerateKeyPairCommandResult {
  readonly keyFile: string;
  readonly pubFile: string;
  readonly publicPem: string;
  /** What cosign prints to stderr. */
  readonly messages: readonly string[];
}

export async function generateKeyPairCommand(opts: GenerateKeyPairCommandOptions): Promise<GenerateKeyPairCommandResult> {
  const prefix = opts.outputKeyPrefix ?? 'cosign';
  const keyFile = `${prefix}.key`;
  const pubFile = `${prefix}.pub`;
  if (!opts.overwrite) {
    for (const f of [keyFile, pubFile]) {
      if (await exists(f)) throw usage(`${f} already exists; refusing to overwrite a key`, 'choose another --output-key-prefix, or remove the old pair after making sure nothing still needs it');
    }
  }
  const { privatePem, publicPem } = await generateKeyPair(opts.password);
  await writeFile(keyFile, privatePem, { mode: 0o600 });
  await writeFile(pubFile, publicPem, { mode: 0o644 });
  return { keyFile, pubFile, publicPem, messages: [`Private key written to ${keyFile}`, `Public key written to ${pubFile}`] };
}

// ---------------------------------------------------------------------------------------------
// public-key --key K [--output-file F]

export interface PublicKeyCommandOptions {
  readonly key: string;
  readonly password?: string;
  /** cosign `--output-file`; when unset the CLI prints `publicPem`. */
  readonly outputFile?: string;
}

export async function publicKeyCommand(opts: PublicKeyCommandOptions): Promise<{ publicPem: string; outputFile?: string }> {
  const key = await loadPrivateKey(await readText(opts.key, 'key'), opts.password, { file: opts.key });
  const pem = publicKeyPem(key);
  if (opts.outputFile !== undefined) {
    await writeFile(opts.outputFile, pem, { mode: 0o644 });
    return { publicPem: pem, outputFile: opts.outputFile };
  }
  return { publicPem: pem };
}

// ---------------------------------------------------------------------------------------------
// sign-blob --key K [--bundle OUT] [--output-signature SIG] [--new-bundle-format=false] FILE

export interface SignBlobCommandOptions {
  readonly key: string;
  readonly password?: string;
  /** The blob to sign. */
  readonly file: string;
  /** cosign `--bundle`: where to write the bundle. */
  readonly bundle?: string;
  /** cosign `--output-signature`: where to write the base64 signature. */
  readonly outputSignature?: string;
  /**
   * cosign `--new-bundle-format` (default true in cosign v3): the bundle is a Sigstore bundle v0.3 and
   * --bundle is required. With false, --bundle writes the legacy `{"base64Signature","cert"}` JSON.
   */
  readonly newBundleFormat?: boolean;
}

export interface SignBlobCommandResult {
  /** The base64 signature cosign prints to stdout. */
  readonly signatureB64: string;
  readonly bundleFile?: string;
  readonly signatureFile?: string;
}

export async function signBlobCommand(opts: SignBlobCommandOptions): Promise<SignBlobCommandResult> {
  const newFormat = opts.newBundleFormat ?? true;
  if (newFormat && opts.bundle === undefined) {
    throw usage('must specify --bundle with --new-bundle-format', 'pass --bundle OUT (or --new-bundle-format=false with --output-signature for a bare signature)');
  }
  const key = await loadPrivateKey(await readText(opts.key, 'key'), opts.password, { file: opts.key });
  const data = await readBytes(opts.file, 'file to sign');
  const signed = signBlob(data, key);
  if (opts.bundle !== undefined) {
    const body = newFormat
      ? signed.bundle
      : { base64Signature: signed.signatureB64, cert: Buffer.from(publicKeyPem(key), 'utf8').toString('base64') };
    await writeFile(opts.bundle, JSON.stringify(body), { mode: 0o644 });
  }
  if (opts.outputSignature !== undefined) await writeFile(opts.outputSignature, signed.signatureB64, { mode: 0o644 });
  return {
    signatureB64: signed.signatureB64,
    ...(opts.bundle !== undefined ? { bundleFile: opts.bundle } : {}),
    ...(opts.outputSignature !== undefined ? { signatureFile: opts.outputSignature } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// verify-blob --key PUB (--bundle B | --signature SIG) [--insecure-ignore-tlog] [--trusted-root R] FILE

export interface VerifyBlobCommandOptions {
  /** cosign `--key`: the public key file. Required (Lockstep verifies key-signed blobs only). */
  readonly key?: string;
  readonly bundle?: string;
  /** cosign `--signature`: a file, or (when no such file exists) the signature itself, raw or base64. */
  readonly signature?: string;
  readonly insecureIgnoreTlog?: boolean;
  /** cosign `--trusted-root`: trusted_root.json used to check tlog entries offline. */
  readonly trustedRoot?: string;
  readonly file: string;
}

function requireKey(key: string | undefined, command: string): string {
  if (key === undefined || key === '') {
    throw usage(`${command} needs --key: no public key was given, and Lockstep verifies key-signed artifacts only`, 'pass --key cosign.pub');
  }
  return key;
}

export async function verifyBlobCommand(opts: VerifyBlobCommandOptions): Promise<VerifyBlobResult & { message: string }> {
  const keyFile = requireKey(opts.key, 'verify-blob');
  const publicKey = loadPublicKey(await readText(keyFile, 'public key'), { file: keyFile });
  const data = await readBytes(opts.file, 'file to verify');
  let signature: Uint8Array | undefined;
  if (opts.signature !== undefined) {
    // cosign: "ignore if file does not exist, it can be a base64 encoded string as well"
    signature = (await exists(opts.signature)) ? await readBytes(opts.signature, 'signature') : Buffer.from(opts.signature, 'utf8');
  }
  const result = verifyBlob({
    data,
    publicKey,
    ...(opts.bundle !== undefined ? { bundle: await readText(opts.bundle, 'bundle'), bundleFile: opts.bundle } : {}),
    ...(signature !== undefined ? { signature, signatureFile: opts.signature } : {}),
    ...(opts.insecureIgnoreTlog !== undefined ? { insecureIgnoreTlog: opts.insecureIgnoreTlog } : {}),
    ...(opts.trustedRoot !== undefined ? { trustedRoot: await readText(opts.trustedRoot, 'trusted root'), trustedRootFile: opts.trustedRoot } : {}),
  });
  return { ...result, message: 'Verified OK' };
}

// ---------------------------------------------------------------------------------------------
// verify-blob-attestation --key PUB (--signature ENVELOPE | --bundle B) [--type T]
//   [--check-claims=false] [--insecure-ignore-tlog] [--trusted-root R] [FILE]

export interface VerifyBlobAttestationCommandOptions {
  readonly key?: string;
  /** cosign `--signature`: path to the DSSE envelope. */
  readonly signature?: string;
  /** cosign `--bundle`: path to a Sigstore bundle holding a DSSE envelope. */
  readonly bundle?: string;
  /** cosign `--type`, default "custom". */
  readonly type?: string;
  /** cosign `--check-claims`, default true. */
  readonly checkClaims?: boolean;
  readonly insecureIgnoreTlog?: boolean;
  readonly trustedRoot?: string;
  /** The attested blob; required when claims are checked. */
  readonly file?: string;
}

export async function verifyBlobAttestationCommand(
  opts: VerifyBlobAttestationCommandOptions,
): Promise<VerifyBlobAttestationResult & { message: string }> {
  const envelopeFile = opts.signature ?? opts.bundle;
  if (envelopeFile === undefined || (opts.signature !== undefined && opts.bundle !== undefined)) {
    throw usage('please specify path to the DSSE envelope signature via --signature or --bundle (exactly one)', 'pass --signature ENVELOPE or --bundle B');
  }
  const keyFile = requireKey(opts.key, 'verify-blob-attestation');
  const publicKey = loadPublicKey(await readText(keyFile, 'public key'), { file: keyFile });
  const result = verifyBlobAttestation({
    envelope: await readText(envelopeFile, opts.signature !== undefined ? 'signature' : 'bundle'),
    envelopeFile,
    publicKey,
    ...(opts.type !== undefined ? { type: opts.type } : {}),
    ...(opts.checkClaims !== undefined ? { checkClaims: opts.checkClaims } : {}),
    ...(opts.file !== undefined ? { blob: await readBytes(opts.file, 'attested file') } : {}),
    ...(opts.insecureIgnoreTlog !== undefined ? { insecureIgnoreTlog: opts.insecureIgnoreTlog } : {}),
    ...(opts.trustedRoot !== undefined ? { trustedRoot: await readText(opts.trustedRoot, 'trusted root'), trustedRootFile: opts.trustedRoot } : {}),
  });
  return { ...result, message: 'Verified OK' };
}
