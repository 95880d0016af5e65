/**
 * The environment's admission-side image verification: one ImageVerification construct built from
 * `supplyChain.imageSigners`, checking the images the environment names. No policy when the
 * environment lists no signers.
 *
 * Public keys are named by repository path in the environment; the construct needs their PEM, so
 * the caller passes a reader (`publicKeysFromRoot(root)` reads them from the repository), keeping
 * this module free of the current directory.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Construct } from 'constructs';
import { ImageVerification, type ImageSigner, type SbomPredicate } from '../../constructs/supply-chain/image-verification.ts';
import { imageName, parseImageRef } from '../supply-chain/images/reference.ts';
import { LockstepError } from '../util/errors.ts';
import type { EnvironmentContext } from './context.ts';

/** Returns the PEM text of a repository-relative `.pub` file. */
export type PublicKeyReader = (repoPath: string) => string;

export function publicKeysFromRoot(root: string): PublicKeyReader {
  return (repoPath) => readFileSync(join(root, repoPath), 'utf8');
}

export interface ImageVerificationOptions {
  readonly readPublicKey: PublicKeyReader;
  /** Policy mode key in `policies.modes`. @default 'verify-image-signatures' */
  readonly policyName?: string;
  /**
   * The one SBOM predicate a legacy ClusterPolicy requires (it cannot accept either).
   * @default 'spdx'
   */
  readonly legacySbomPredicate?: SbomPredicate;
}

/** The globs of every image repository the environment names: `<name>:*` and `<name>@*`. */
export function imageReferenceGlobs(images: Readonly<Record<string, string>>): string[] {
  const names = new Set<string>();
  for (const ref of Object.values(images)) names.add(imageName(parseImageRef(ref, { allowLatest: true })));
  return [...names].sort().flatMap((n) => [`${n}:*`, `${n}@*`]);
}

export function imageVerification(scope: Construct, ctx: EnvironmentContext, options: ImageVerificationOptions): ImageVerification | undefined {
  const env = ctx.env;
  const configured = env.supplyChain.imageSigners;
  if (configured.length === 0) return undefined;
  const signers: ImageSigner[] = configured.map((s, i) => {
    const pointer = `/supplyChain/imageSigners/${i}`;
    if (s.publicKey !== undefined) {
      let pem: string;
      try {
        pem = options.readPublicKey(s.publicKey);
      } catch (e) {
        throw new LockstepError({ file: ctx.file, pointer: `${pointer}/publicKey`, message: `cannot read image signer key ${s.publicKey} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, fix: 'commit the cosign .pub file at that path, or fix the path', code: 'supply-chain/image-signer-key' });
      }
      return { publicKeyPem: pem, name: s.publicKey };
    }
    if (s.issuer !== undefined && s.subject !== undefined) return { issuer: s.issuer, subject: s.subject };
    throw new LockstepError({ file: ctx.file, pointer, message: 'an image signer needs publicKey, or issuer and subject', fix: 'write { publicKey: keys/images.pub } or { issuer: https://token.actions.githubusercontent.com, subject: <workflow identity> }', code: 'supply-chain/image-signer' });
  });
  const policyName = options.policyName ?? 'verify-image-signatures';
  const legacy = env.policies.legacyClusterPolicy;
  return new ImageVerification(scope, 'image-verification', {
    signers,
    imageReferences: imageReferenceGlobs(env.images),
    requireSbomAttestation: env.supplyChain.requireSbom,
    sbomPredicates: legacy ? [options.legacySbomPredicate ?? 'spdx'] : ['spdx', 'cyclonedx'],
    requireDigest: env.stage !== 'dev',
    mode: env.policies.modes[policyName] ?? env.policies.defaultMode,
    legacyClusterPolicy: legacy,
    policyName,
  });
}
