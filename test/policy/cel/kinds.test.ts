import { describe, expect, it } from 'vitest';
import { apiResourceOf, guessPlural, splitApiVersion } from '../../../src/policy/cel/kinds.ts';

describe('kind to resource mapping', () => {
  it('maps built-in kinds to their plural resource and scope', () => {
    expect(apiResourceOf('apps/v1', 'Deployment')).toEqual({ group: 'apps', version: 'v1', kind: 'Deployment', resource: 'deployments', namespaced: true });
    expect(apiResourceOf('v1', 'Namespace').namespaced).toBe(false);
    expect(apiResourceOf('networking.k8s.io/v1', 'Ingress').resource).toBe('ingresses');
  });

  it('guesses the plural of unknown kinds', () => {
    expect(apiResourceOf('example.com/v1', 'Widget', false)).toEqual({ group: 'example.com', version: 'v1', kind: 'Widget', resource: 'widgets', namespaced: false });
    expect(guessPlural('Policy')).toBe('policies');
    expect(guessPlural('Gateway')).toBe('gateways');
    expect(guessPlural('Class')).toBe('classes');
  });

  it('splits apiVersion into group and version', () => {
    expect(splitApiVersion('v1')).toEqual({ group: '', version: 'v1' });
  });
});
