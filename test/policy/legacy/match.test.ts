import { describe, expect, it } from 'vitest';
import { containsKind, parseKindSelector, ruleApplies, type MatchTarget } from '../../../src/policy/legacy/match.ts';

const target = (over: Partial<MatchTarget> = {}): MatchTarget => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  name: 'web',
  namespace: 'team-a',
  labels: { app: 'web' },
  annotations: { owner: 'alice' },
  namespaceLabels: { env: 'prod' },
  operation: 'CREATE',
  ...over,
});

describe('match and exclude', () => {
  it('parses kind selectors like Kyverno', () => {
    expect(parseKindSelector('Pod')).toEqual(['*', '*', 'Pod', '']);
    expect(parseKindSelector('v1/Pod')).toEqual(['*', 'v1', 'Pod', '']);
    expect(parseKindSelector('apps/v1/Deployment')).toEqual(['apps', 'v1', 'Deployment', '']);
    expect(parseKindSelector('Pod/exec')).toEqual(['*', '*', 'Pod', 'exec']);
    expect(containsKind(['v1/Pod'], 'Pod')).toBe(true);
    expect(containsKind(['Deployment'], 'Pod')).toBe(false);
  });

  it('matches any filter, or all of them', () => {
    expect(ruleApplies({ any: [{ resources: { kinds: ['Pod'] } }, { resources: { kinds: ['apps/v1/Deployment'] } }] }, undefined, target())).toBe(true);
    expect(ruleApplies({ all: [{ resources: { kinds: ['Deployment'] } }, { resources: { namespaces: ['team-*'] } }] }, undefined, target())).toBe(true);
    expect(ruleApplies({ all: [{ resources: { kinds: ['Deployment'] } }, { resources: { namespaces: ['other'] } }] }, undefined, target())).toBe(false);
    expect(ruleApplies({ resources: { kinds: ['batch/v1/Deployment'] } }, undefined, target())).toBe(false);
  });

  it('checks names, selectors, annotations, namespace selectors and operations', () => {
    const d = { kinds: ['Deployment'], names: ['w*'], selector: { matchLabels: { app: 'w*' } }, annotations: { owner: '?*' }, namespaceSelector: { matchLabels: { env: 'prod' } }, operations: ['CREATE'] };
    expect(ruleApplies({ any: [{ resources: d }] }, undefined, target())).toBe(true);
    expect(ruleApplies({ any: [{ resources: d }] }, undefined, target({ operation: 'UPDATE' }))).toBe(false);
    expect(ruleApplies({ any: [{ resources: d }] }, undefined, target({ namespaceLabels: {} }))).toBe(false);
  });

  it('excludes matching resources but never on user filters without an admission user', () => {
    const match = { any: [{ resources: { kinds: ['Deployment'] } }] };
    expect(ruleApplies(match, { any: [{ resources: { namespaces: ['team-a'] } }] }, target())).toBe(false);
    expect(ruleApplies(match, { any: [{ resources: { namespaces: ['kube-system'] } }] }, target())).toBe(true);
    expect(ruleApplies(match, { any: [{ clusterRoles: ['cluster-admin'] }] }, target())).toBe(true);
    expect(ruleApplies({ any: [{ resources: { kinds: ['Deployment'] }, subjects: [{ kind: 'User', name: 'x' }] }] }, undefined, target())).toBe(true);
  });

  it('does not match an empty match block', () => {
    expect(ruleApplies({}, undefined, target())).toBe(false);
  });
});
