/**
 * Kyverno admission policy constructs.
 *
 * Policies are constructs like any other: they live in the Platform tree, render as Kubernetes
 * objects (CEL `ValidatingPolicy`, `policies.kyverno.io/v1`, and optionally legacy `ClusterPolicy`)
 * and get their rollout mode from the environment, never by editing the policy itself.
 */
export * from './mode.ts';
export * from './resource.ts';
export * from './admission-policy.ts';
