import { describe, expect, it } from 'vitest';
import {
  compileValidatingPolicy,
  evaluateCompiledPolicy,
  evaluateValidatingPolicy,
  prepareResource,
} from '../../../src/policy/cel/validating-policy.ts';
import type { KubernetesObject, ValidatingPolicyDocument, ValidatingPolicySpec } from '../../../src/policy/cel/types.ts';

const podRule = { apiGroups: [''], apiVersions: ['v1'], resources: ['pods'], operations: ['CREATE', 'UPDATE'] };

function policy(spec: Partial<ValidatingPolicySpec>, name = 'no-privileged'): ValidatingPolicyDocument {
  return {
    apiVersion: 'policies.kyverno.io/v1',
    kind: 'ValidatingPolicy',
    metadata: { name },
    spec: {
      validationActions: ['Deny'],
      matchConstraints: { resourceRules: [podRule] },
      validations: [
        {
          expression: 'object.spec.containers.all(c, c.?securityContext.?privileged.orValue(false) == false)',
          message: 'privileged containers are not allowed',
        },
      ],
      ...spec,
    },
  };
}

function podSpec(privileged: boolean) {
  return { containers: [{ name: 'app', image: 'nginx', securityContext: { privileged } }] };
}

function pod(privileged: boolean, extra: { labels?: Record<string, string>; namespace?: string } = {}): KubernetesObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: extra.namespace ?? 'team-a', ...(extra.labels ? { labels: extra.labels } : {}) },
    spec: podSpec(privileged),
  };
}

describe('evaluateValidatingPolicy', () => {
  it('passes a compliant pod', () => {
    expect(evaluateValidatingPolicy(policy({}), pod(false))).toEqual([
      { policy: 'no-privileged', rule: 'validation', resource: { apiVersion: 'v1', kind: 'Pod', name: 'web', namespace: 'team-a' }, result: 'pass', actions: ['Deny'] },
    ]);
  });

  it('fails a non-compliant pod with the validation message and index', () => {
    const [r] = evaluateValidatingPolicy(policy({}), pod(true));
    expect(r).toMatchObject({ result: 'fail', message: 'privileged containers are not allowed', validationIndex: 0 });
  });

  it('returns no result when the policy does not match the resource', () => {
    const svc: KubernetesObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: {} };
    expect(evaluateValidatingPolicy(policy({}), svc)).toEqual([]);
    expect(evaluateValidatingPolicy(policy({}), pod(true), { operation: 'DELETE' })).toEqual([]);
  });

  it('skips when a match condition is false and evaluates when it is true', () => {
    const p = policy({ matchConditions: [{ name: 'not-system', expression: "object.metadata.namespace != 'kube-system'" }] });
    expect(evaluateValidatingPolicy(p, pod(true, { namespace: 'kube-system' }))[0]).toMatchObject({ result: 'skip', rule: 'matchConditions', message: 'match condition not-system is false' });
    expect(evaluateValidatingPolicy(p, pod(true))[0]?.result).toBe('fail');
  });

  it('reports an error when a match condition fails to evaluate, unless failurePolicy is Ignore', () => {
    const conditions = [{ name: 'broken', expression: 'object.spec.nope == 1' }];
    expect(evaluateValidatingPolicy(policy({ matchConditions: conditions }), pod(false))[0]).toMatchObject({ result: 'error', rule: 'evaluation', message: expect.stringMatching(/matchCondition broken: .*nope/) });
    expect(evaluateValidatingPolicy(policy({ matchConditions: conditions, failurePolicy: 'Ignore' }), pod(false))[0]?.result).toBe('skip');
  });

  it('evaluates variables lazily: an unused failing variable does not matter', () => {
    const p = policy({
      variables: [
        { name: 'broken', expression: 'object.spec.nope.x' },
        { name: 'containers', expression: 'object.spec.containers + object.spec.?initContainers.orValue([])' },
      ],
      validations: [{ expression: 'variables.containers.all(c, c.image != "")' }],
    });
    expect(evaluateValidatingPolicy(p, pod(false))[0]?.result).toBe('pass');
  });

  it('reports an error when a validation reads a failing variable', () => {
    const p = policy({ variables: [{ name: 'broken', expression: 'object.spec.nope.x' }], validations: [{ expression: 'variables.broken == 1' }] });
    expect(evaluateValidatingPolicy(p, pod(false))[0]).toMatchObject({ result: 'error', message: expect.stringMatching(/nope/), validationIndex: 0 });
  });

  it('lets later variables use earlier ones', () => {
    const p = policy({
      variables: [
        { name: 'names', expression: 'object.spec.containers.map(c, c.name)' },
        { name: 'count', expression: 'size(variables.names)' },
      ],
      validations: [{ expression: 'variables.count == 1' }],
    });
    expect(evaluateValidatingPolicy(p, pod(false))[0]?.result).toBe('pass');
  });

  it('uses messageExpression for the failure message', () => {
    const p = policy({ validations: [{ expression: 'false', message: 'static', messageExpression: "'pod ' + object.metadata.name + ' is rejected'" }] });
    expect(evaluateValidatingPolicy(p, pod(false))[0]?.message).toBe('pod web is rejected');
  });

  it('explains a messageExpression that fails, and falls back to a default message', () => {
    expect(evaluateValidatingPolicy(policy({ validations: [{ expression: 'false', messageExpression: 'object.nope' }] }), pod(false))[0]?.message).toMatch(/^failed to evaluate message expression: /);
    expect(evaluateValidatingPolicy(policy({ validations: [{ expression: 'true' }, { expression: 'false' }] }), pod(false))[0]).toMatchObject({ message: 'CEL expression validation failed at index 1', validationIndex: 1 });
  });

  it('reports an error when a validation is not a bool', () => {
    expect(evaluateValidatingPolicy(policy({ validations: [{ expression: '1' }] }), pod(false))[0]).toMatchObject({ result: 'error', message: 'validation must evaluate to a bool, got bigint' });
  });

  it('selects by namespace labels from namespaceObject and exposes namespaceObject to expressions', () => {
    const p = policy({
      matchConstraints: { resourceRules: [podRule], namespaceSelector: { matchLabels: { env: 'prod' } } },
      validations: [{ expression: "namespaceObject.metadata.labels.env == 'prod' && request.operation == 'CREATE'" }],
    });
    const prod: KubernetesObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a', labels: { env: 'prod' } } };
    const dev: KubernetesObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a', labels: { env: 'dev' } } };
    expect(evaluateValidatingPolicy(p, pod(false), { namespaceObject: prod })[0]?.result).toBe('pass');
    expect(evaluateValidatingPolicy(p, pod(false), { namespaceObject: dev })).toEqual([]);
  });

  it('selects by object labels', () => {
    const p = policy({ matchConstraints: { resourceRules: [podRule], objectSelector: { matchLabels: { app: 'web' } } } });
    expect(evaluateValidatingPolicy(p, pod(true, { labels: { app: 'web' } }))[0]?.result).toBe('fail');
    expect(evaluateValidatingPolicy(p, pod(true, { labels: { app: 'db' } }))).toEqual([]);
  });

  it('applies a pod policy to a Deployment through autogen, on the pod template', () => {
    const deployment: KubernetesObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'team-a' },
      spec: { template: { metadata: { labels: { app: 'web' } }, spec: podSpec(true) } },
    };
    expect(evaluateValidatingPolicy(policy({}), deployment)).toEqual([
      {
        policy: 'no-privileged',
        rule: 'validation',
        autogen: 'defaults',
        resource: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'team-a' },
        result: 'fail',
        message: 'privileged containers are not allowed',
        validationIndex: 0,
        actions: ['Deny'],
      },
    ]);
  });

  it('applies a pod policy to a CronJob through autogen, keeping object.metadata.name on the CronJob', () => {
    const cronjob = (privileged: boolean): KubernetesObject => ({
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'nightly', namespace: 'team-a' },
      spec: { schedule: '0 0 * * *', jobTemplate: { spec: { template: { spec: podSpec(privileged) } } } },
    });
    const p = policy({ validations: [{ expression: 'object.spec.containers.all(c, c.?securityContext.?privileged.orValue(false) == false)', messageExpression: "object.metadata.name + ' is privileged'" }] });
    expect(evaluateValidatingPolicy(p, cronjob(false))[0]).toMatchObject({ result: 'pass', autogen: 'cronjobs' });
    expect(evaluateValidatingPolicy(p, cronjob(true))[0]).toMatchObject({ result: 'fail', autogen: 'cronjobs', message: 'nightly is privileged' });
  });

  it('evaluates a compiled policy on a prepared resource many times with the same result', () => {
    const compiled = compileValidatingPolicy(policy({}));
    const prepared = prepareResource(pod(true));
    expect(evaluateCompiledPolicy(compiled, prepared)).toEqual(evaluateCompiledPolicy(compiled, prepared));
    expect(evaluateValidatingPolicy(compiled, prepared)[0]?.result).toBe('fail');
  });

  it('limits a NamespacedValidatingPolicy to its own namespace and names it namespace/name', () => {
    const p = { ...policy({}), kind: 'NamespacedValidatingPolicy', metadata: { name: 'no-privileged', namespace: 'team-a' } };
    expect(evaluateValidatingPolicy(p, pod(true))[0]?.policy).toBe('team-a/no-privileged');
    expect(evaluateValidatingPolicy(p, pod(true, { namespace: 'team-b' }))).toEqual([]);
  });

  it('accepts the v1alpha1 and v1beta1 apiVersions', () => {
    for (const apiVersion of ['policies.kyverno.io/v1alpha1', 'policies.kyverno.io/v1beta1']) {
      expect(evaluateValidatingPolicy({ ...policy({}), apiVersion }, pod(false))[0]?.result).toBe('pass');
    }
  });
});

describe('compileValidatingPolicy', () => {
  it('fails when an expression uses an unsupported function, listing every problem with the file', () => {
    const p = policy({
      variables: [{ name: 'u', expression: 'url("https://example.com")' }],
      validations: [{ expression: 'semver("1.0.0").major() == 1' }],
    });
    expect(() => compileValidatingPolicy(p, 'policies/p.yaml')).toThrow(
      /policies\/p.yaml: ValidatingPolicy no-privileged: spec.variables\[0\].expression: CEL function 'url' \(Kubernetes URL library\) is not supported[\s\S]*spec.validations\[0\].expression: CEL function 'semver'/,
    );
  });

  it('fails when an expression is not a string', () => {
    const p = policy({ validations: [{ expression: 42 as unknown as string }] });
    expect(() => compileValidatingPolicy(p)).toThrow(/ValidatingPolicy no-privileged: spec.validations\[0\].expression must be a CEL expression string, got 42/);
  });

  it('reports compile errors of the autogen variants too', () => {
    const p = policy({ validations: [{ expression: 'nope.x' }] });
    expect(() => compileValidatingPolicy(p)).toThrow(/\(autogen cronjobs\): spec.validations\[0\].expression: CEL expression does not type-check: Unknown variable: nope/);
  });

  it('fails when the document is not a ValidatingPolicy', () => {
    const cp = { apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', metadata: { name: 'x' }, spec: {} } as ValidatingPolicyDocument;
    expect(() => compileValidatingPolicy(cp)).toThrow(/not a Kyverno ValidatingPolicy: apiVersion "kyverno.io\/v1", kind "ClusterPolicy"; use apiVersion policies.kyverno.io\/v1/);
  });

  it('fails when the policy has no name', () => {
    const p = { ...policy({}), metadata: { name: '' } };
    expect(() => compileValidatingPolicy(p, 'p.yaml')).toThrow(/p.yaml: \/metadata\/name: ValidatingPolicy has no metadata.name; give the policy a name/);
  });
});
