import { describe, expect, it } from 'vitest';
import { PolicyResource } from '../../../constructs/index.ts';

describe('PolicyResource', () => {
  it('names resources for resourceRules and kinds for ClusterPolicies', () => {
    expect(PolicyResource.PODS_EPHEMERAL_CONTAINERS.resourcePath).toBe('pods/ephemeralcontainers');
    expect(PolicyResource.PODS_EPHEMERAL_CONTAINERS.clusterPolicyKind).toBe('Pod/ephemeralcontainers');
    expect(PolicyResource.CRON_JOBS.clusterPolicyKind).toBe('batch/v1/CronJob');
    expect(PolicyResource.custom('gastown.gastown.io', 'v1alpha1', 'polecats', 'Polecat').subresource('status').resourcePath).toBe('polecats/status');
  });

  it('treats only core v1 pods without subresource as Pods for autogen', () => {
    expect(PolicyResource.PODS.isPods).toBe(true);
    expect(PolicyResource.PODS_EPHEMERAL_CONTAINERS.isPods).toBe(false);
    expect(PolicyResource.DEPLOYMENTS.isPods).toBe(false);
  });

  it('fails when a custom resource is not written the Kubernetes way', () => {
    expect(() => PolicyResource.custom('Example.com', 'v1', 'widgets', 'Widget')).toThrow(/PolicyResource.custom: expected an API group like "example.com"/);
  });

  it('fails when a subresource is taken of a subresource', () => {
    expect(() => PolicyResource.PODS_EPHEMERAL_CONTAINERS.subresource('status')).toThrow(/subresource must be a lower-case word on a main resource, got "status"/);
  });
});
