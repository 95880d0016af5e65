/** Label keys Lockstep writes. One value per concept, shared by pods, selectors and policies. */
export const Labels = {
  NAME: 'app.kubernetes.io/name',
  INSTANCE: 'app.kubernetes.io/instance',
  COMPONENT: 'app.kubernetes.io/component',
  PART_OF: 'app.kubernetes.io/part-of',
  MANAGED_BY: 'app.kubernetes.io/managed-by',
  /** Set by the API server on every namespace; the only namespace label that is always there. */
  NAMESPACE_NAME: 'kubernetes.io/metadata.name',
  LAYER: 'lockstep.dev/layer',
  TIER: 'lockstep.dev/tier',
  ISOLATION: 'lockstep.dev/isolation',
  WORKLOAD: 'lockstep.dev/workload',
  TRUST_TIER: 'lockstep.dev/trust-tier',
} as const;

export const MANAGED_BY_LOCKSTEP = 'lockstep';

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Throws unless `value` is a valid label value (≤ 63 characters, alphanumeric ends). */
export function assertLabelValue(what: string, value: string): void {
  if (value.length > 63 || !LABEL_VALUE.test(value)) {
    throw new Error(
      `${what} must be a valid label value (at most 63 characters of [A-Za-z0-9-_.], alphanumeric at both ends), got ${JSON.stringify(value)}`,
    );
  }
}

/** Throws unless `name` is an RFC 1123 DNS label (namespaces, services: ≤ 63, lower case). */
export function assertDnsLabel(what: string, name: string): void {
  if (name.length > 63 || !DNS_LABEL.test(name)) {
    throw new Error(
      `${what} must be a DNS label (at most 63 lower-case letters, digits and "-", alphanumeric at both ends), got ${JSON.stringify(name)}`,
    );
  }
}

/** Throws unless `name` is an RFC 1123 DNS subdomain (most object names: ≤ 253). */
export function assertDnsSubdomain(what: string, name: string): void {
  if (name.length > 253 || !DNS_SUBDOMAIN.test(name)) {
    throw new Error(
      `${what} must be a DNS subdomain (lower-case letters, digits, "-" and ".", alphanumeric at both ends), got ${JSON.stringify(name)}`,
    );
  }
}
