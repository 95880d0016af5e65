import type { Stage } from './types.ts';

export interface ImageIssue {
  readonly message: string;
  readonly fix: string;
}

const DIGEST = /@sha256:[a-f0-9]{64}$/;

/**
 * Checks an image reference named in an environment: `:latest` (written or implied) is refused in
 * every stage; staging and production need a digest (`repo@sha256:…` or `repo:tag@sha256:…`).
 */
export function checkImageReference(ref: string, stage: Stage): ImageIssue | undefined {
  const digest = DIGEST.test(ref);
  const withoutDigest = ref.replace(/@sha256:.*$/, '');
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', lastSlash + 1);
  const repo = colon >= 0 ? withoutDigest.slice(0, colon) : withoutDigest;
  const tag = colon >= 0 ? withoutDigest.slice(colon + 1) : undefined;
  if (ref.includes('@') && !digest) {
    return { message: `image ${JSON.stringify(ref)} has a malformed digest`, fix: 'a digest is "sha256:" followed by 64 lower-case hex digits' };
  }
  if (tag === 'latest') {
    return { message: `image ${JSON.stringify(ref)} uses the mutable tag ":latest"`, fix: `pin a version and digest, e.g. "${repo}:1.2.3@sha256:…"` };
  }
  if (tag === undefined && !digest) {
    return { message: `image ${JSON.stringify(ref)} has no tag or digest, which means ":latest"`, fix: `pin it, e.g. "${repo}:1.2.3@sha256:…"` };
  }
  if (stage !== 'dev' && !digest) {
    return { message: `must be pinned by digest in ${stage}, got ${JSON.stringify(ref)}`, fix: `use "${repo}@sha256:…" (lockstep images pin resolves it)` };
  }
  return undefined;
}
