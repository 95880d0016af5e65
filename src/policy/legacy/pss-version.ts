/**
 * `validate.podSecurity.version`: which Pod Security Standards versions this engine can evaluate.
 *
 * Kyverno (`pkg/pss/evaluate.go`, `evaluatePSS`) treats the two kinds of version differently:
 * - `latest` (or empty) runs only the newest variant of each check. Here that is the checker in
 *   `src/gates/pod-security` (Kubernetes 1.28 checks).
 * - `v1.N` runs *every* variant whose minimum version is ≤ N and fails on any of them. The 1.0 and
 *   1.19/1.22 variants never exempt Windows pods, and the 1.0 sysctls variant knows the smaller safe
 *   list, so a pinned version is stricter than `latest` in those places. `pss-checks.ts` reproduces
 *   that for v1.19–v1.29; other versions need check variants the checker does not have.
 */

export interface PssVersion {
  /** As written in the policy (`latest`, `v1.27`, or empty), for messages. */
  readonly text: string;
  readonly latest: boolean;
  /** Minor version for `v1.N`; undefined for latest. */
  readonly minor: number | undefined;
}

/** Oldest and newest pinned versions whose control set the 1.28 checker can reproduce. */
export const OLDEST_PINNED_MINOR = 19;
export const NEWEST_PINNED_MINOR = 29;

/** pod-security-admission `api.ParseVersion`, reduced to major.minor like Kyverno's `ParseVersion`. */
export function parsePssVersion(text: string): PssVersion | { readonly error: string } {
  if (text === '' || text === 'latest') return { text, latest: true, minor: undefined };
  const m = /^v1\.(0|[1-9][0-9]*)$/.exec(text);
  if (!m) return { error: 'must be "latest" or "v1.x"' };
  return { text, latest: false, minor: Number(m[1]) };
}

const unsupportedPrefix = (v: PssVersion): string => `podSecurity version ${v.text} is not supported by the Lockstep ClusterPolicy engine`;

/** The error every evaluation of an unsupported `version` reports, or undefined when it is supported. */
export function unsupportedVersion(version: PssVersion): string | undefined {
  if (version.latest || version.minor === undefined) return undefined;
  if (version.minor < OLDEST_PINNED_MINOR) {
    return `${unsupportedPrefix(version)}: before v1.19 the Seccomp control reads the seccomp.security.alpha.kubernetes.io annotations, a check variant this engine does not implement; use v1.${OLDEST_PINNED_MINOR}–v1.${NEWEST_PINNED_MINOR} or latest`;
  }
  if (version.minor > NEWEST_PINNED_MINOR) {
    return `${unsupportedPrefix(version)}: later versions change the AppArmor, SELinux, /proc mount, user-namespace and probe-host checks, which the v1.28 checker cannot reproduce; use v1.${OLDEST_PINNED_MINOR}–v1.${NEWEST_PINNED_MINOR} or latest`;
  }
  return undefined;
}

/** Minimum version of each pod-security-admission check, for pinned versions older than the checker's. */
export const CHECK_MINIMUM_MINOR: Readonly<Record<string, number>> = {
  allowPrivilegeEscalation: 8,
  seccompProfile_restricted: 19,
  capabilities_restricted: 22,
  runAsUser: 23,
};
