import { parseImageRef } from '../supply-chain/images/reference.ts';
import { LockstepError } from '../util/errors.ts';
import type { Stage } from './types.ts';

export interface ImageIssue {
  readonly message: string;
  readonly fix: string;
}

/**
 * Checks an image reference: `:latest` (written or implied) is refused in every stage, and outside
 * dev the reference must carry a digest. Returns the problem instead of throwing, so callers can
 * place it (environment file pointer, or rendered object).
 */
export function checkImageReference(ref: string, stage: Stage, options: { requireDigest?: boolean } = {}): ImageIssue | undefined {
  let parsed;
  try {
    parsed = parseImageRef(ref);
  } catch (e) {
    if (e instanceof LockstepError) return { message: e.problems[0]!.message, fix: e.problems[0]!.fix ?? 'fix the reference' };
    throw e;
  }
  const requireDigest = options.requireDigest ?? stage !== 'dev';
  if (requireDigest && parsed.digest === undefined) {
    return { message: `must be pinned by digest in ${stage}, got ${JSON.stringify(ref)}`, fix: `use "${parsed.registry}/${parsed.repository}@sha256:…" (lockstep images pin records it in environments/images.lock.yaml)` };
  }
  return undefined;
}
