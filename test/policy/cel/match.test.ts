import { describe, expect, it } from 'vitest';
import { apiResourceOf } from '../../../src/policy/cel/kinds.ts';
import { matchesConstraints, matchesLabelSelector } from '../../../src/policy/cel/match.ts';
import type { MatchAttributes } from '../../../src/policy/cel/match.ts';
import type { LabelSelectorRequirement } from '../../../src/policy/cel/types.ts';

const podAttrs = (over: Partial<MatchAttributes> = {}): MatchAttributes => ({
  resource: apiResourceOf('v1', 'Pod'),
  subresource: '',
  operation: 'CREATE',
  name: 'web',
  namespace: 'team-a',
  objectLabels: { app: 'web' },
  oldObjectLabels: undefined,
  namespaceLabels: { env: 'prod' },
  ...over,
});
const pods = { apiGroups: [''], apiVersions: ['v1'], resources: ['pods'], operations: ['CREATE', 'UPDATE'] };

describe('matchConstraints', () => {
  it('matches a resource rule on group, version, resource and operation', () => {
    expect(matchesConstraints({ resourceRules: [pods] }, podAttrs())).toBe(true);
    expect(matchesConstraints({ resourceRules: [pods] }, podAttrs({ operation: 'DELETE' }))).toBe(false);
  });

  it('supports wildcards', () => {
    expect(matchesConstraints({ resourceRules: [{ apiGroups: ['*'], apiVersions: ['*'], resources: ['*'], operations: ['*'] }] }, podAttrs())).toBe(true);
    expect(matchesConstraints({ resourceRules: [{ apiGroups: ['*'], apiVersions: ['*'], resources: ['*'], operations: ['*'] }] }, podAttrs({ subresource: 'status' }))).toBe(false);
    expect(matchesConstraints({ resourceRules: [{ apiGroups: ['*'], apiVersions: ['*'], resources: ['pods/*'], operations: ['*'] }] }, podAttrs({ subresource: 'status' }))).toBe(true);
  });

  it('never matches without constraints', () => {
    expect(matchesConstraints(undefined, podAttrs())).toBe(false);
  });

  it('honours excludeResourceRules, resourceNames and scope', () => {
    expect(matchesConstraints({ resourceRules: [pods], excludeResourceRules: [{ ...pods, resourceNames: ['web'] }] }, podAttrs())).toBe(false);
    expect(matchesConstraints({ resourceRules: [{ ...pods, resourceNames: ['other'] }] }, podAttrs())).toBe(false);
    expect(matchesConstraints({ resourceRules: [{ ...pods, scope: 'Cluster' }] }, podAttrs())).toBe(false);
  });

  it('selects namespaced objects by the labels of their namespace', () => {
    const m = { resourceRules: [pods], namespaceSelector: { matchLabels: { env: 'prod' } } };
    expect(matchesConstraints(m, podAttrs())).toBe(true);
    expect(matchesConstraints(m, podAttrs({ namespaceLabels: { env: 'dev' } }))).toBe(false);
    expect(matchesConstraints(m, podAttrs({ namespaceLabels: undefined }))).toBe(false);
  });

  it('selects a Namespace by its own labels', () => {
    const m = { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], resources: ['namespaces'], operations: ['*'] }], namespaceSelector: { matchLabels: { env: 'prod' } } };
    expect(matchesConstraints(m, podAttrs({ resource: apiResourceOf('v1', 'Namespace'), namespace: '', objectLabels: { env: 'prod' }, namespaceLabels: undefined }))).toBe(true);
  });

  it('selects objects by their own labels or their old labels', () => {
    const m = { resourceRules: [pods], objectSelector: { matchLabels: { app: 'db' } } };
    expect(matchesConstraints(m, podAttrs())).toBe(false);
    expect(matchesConstraints(m, podAttrs({ oldObjectLabels: { app: 'db' } }))).toBe(true);
  });
});

describe('label selectors', () => {
  it('implements In, NotIn, Exists and DoesNotExist', () => {
    const labels = { tier: 'web', team: 'a' };
    expect(matchesLabelSelector({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['web', 'api'] }] }, labels)).toBe(true);
    expect(matchesLabelSelector({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['web'] }] }, labels)).toBe(false);
    expect(matchesLabelSelector({ matchExpressions: [{ key: 'team', operator: 'Exists' }] }, labels)).toBe(true);
    expect(matchesLabelSelector({ matchExpressions: [{ key: 'team', operator: 'DoesNotExist' }] }, labels)).toBe(false);
    expect(matchesLabelSelector({}, undefined)).toBe(true);
  });

  it('fails when an operator is unknown', () => {
    const bad = { key: 'a', operator: 'Equals' } as unknown as LabelSelectorRequirement;
    expect(() => matchesLabelSelector({ matchExpressions: [bad] }, {})).toThrow(/label selector operator "Equals" is not one of In, NotIn, Exists, DoesNotExist/);
  });
});
