import { describe, expect, it } from 'vitest';
import { compileClusterPolicy } from '../../../src/policy/legacy/policy.ts';

const policy = (rules: unknown[], extra: Record<string, unknown> = {}) => ({
  apiVersion: 'kyverno.io/v1',
  kind: 'ClusterPolicy',
  metadata: { name: 'p', ...extra },
  spec: { rules },
});
const pods = { any: [{ resources: { kinds: ['Pod'] } }] };
const podSpec = (spec: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pod', namespace: 'default' }, spec });
const deployment = (spec: Record<string, unknown>) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'default' }, spec: { template: { spec } } });
const cronJob = (spec: Record<string, unknown>) => ({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c', namespace: 'default' }, spec: { jobTemplate: { spec: { template: { spec } } } } });

const privileged = compileClusterPolicy(
  policy([
    {
      name: 'privileged-containers',
      match: pods,
      validate: {
        message: 'Privileged mode is disallowed',
        pattern: { spec: { '=(initContainers)': [{ '=(securityContext)': { '=(privileged)': 'false' } }], containers: [{ '=(securityContext)': { '=(privileged)': 'false' } }] } },
      },
    },
  ]),
  'privileged.yaml',
);

describe('compileClusterPolicy: pattern rules', () => {
  it('passes and fails Pods with equality anchors, with Kyverno messages', () => {
    expect(privileged.evaluate({ resource: podSpec({ containers: [{ name: 'a' }] }) })).toEqual([
      { rule: 'privileged-containers', status: 'pass', message: "validation rule 'privileged-containers' passed." },
    ]);
    expect(privileged.evaluate({ resource: podSpec({ containers: [{ name: 'a', securityContext: { privileged: true } }] }) })).toEqual([
      { rule: 'privileged-containers', status: 'fail', message: 'validation error: Privileged mode is disallowed. rule privileged-containers failed at path /spec/containers/0/securityContext/privileged/' },
    ]);
  });

  it('names autogen rules for a Deployment and a CronJob and checks their pod templates', () => {
    expect(privileged.ruleNames).toEqual(['privileged-containers', 'autogen-privileged-containers', 'autogen-cronjob-privileged-containers']);
    const bad = { containers: [{ name: 'a', securityContext: { privileged: true } }] };
    expect(privileged.evaluate({ resource: deployment(bad) })).toMatchObject([{ rule: 'autogen-privileged-containers', status: 'fail' }]);
    expect(privileged.evaluate({ resource: cronJob({ containers: [{ name: 'a' }] }) })).toMatchObject([{ rule: 'autogen-cronjob-privileged-containers', status: 'pass' }]);
    expect(privileged.evaluate({ resource: { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' } } })).toEqual([]);
  });

  it('fails on a negation anchor and matches wildcards in values', () => {
    const p = compileClusterPolicy(
      policy([
        { name: 'no-host-path', match: pods, validate: { pattern: { spec: { '=(volumes)': [{ 'X(hostPath)': 'null' }] } } } },
        { name: 'registry', match: pods, validate: { pattern: { spec: { containers: [{ image: 'ghcr.io/*' }] } } } },
      ]),
      'p.yaml',
    );
    const r = p.evaluate({ resource: podSpec({ containers: [{ image: 'docker.io/x' }], volumes: [{ name: 'v', hostPath: { path: '/' } }] }) });
    expect(r).toEqual([
      { rule: 'no-host-path', status: 'fail', message: 'validation error: rule no-host-path failed at path /spec/volumes/0/hostPath/' },
      { rule: 'registry', status: 'fail', message: 'validation error: rule registry failed at path /spec/containers/0/image/' },
    ]);
  });

  it('skips on a failed conditional anchor and substitutes variables in patterns', () => {
    const p = compileClusterPolicy(
      policy([
        { name: 'latest-always', match: pods, validate: { pattern: { spec: { containers: [{ '(image)': '*:latest', imagePullPolicy: 'Always' }] } } } },
        { name: 'name-label', match: pods, validate: { pattern: { metadata: { labels: { app: '{{ request.object.metadata.name }}' } } } } },
      ]),
      'p.yaml',
    );
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', labels: { app: 'web' } }, spec: { containers: [{ image: 'nginx:1' }] } };
    expect(p.evaluate({ resource: pod }).map((r) => r.status)).toEqual(['skip', 'pass']);
  });

  it('passes anyPattern when one pattern matches and fails listing every failed pattern', () => {
    const p = compileClusterPolicy(
      policy([
        {
          name: 'non-root',
          match: pods,
          validate: {
            message: 'Running as root is not allowed.',
            anyPattern: [{ spec: { securityContext: { runAsNonRoot: 'true' } } }, { spec: { containers: [{ securityContext: { runAsNonRoot: 'true' } }] } }],
          },
        },
      ]),
      'p.yaml',
    );
    expect(p.evaluate({ resource: podSpec({ containers: [{ securityContext: { runAsNonRoot: true } }] }) })).toEqual([
      { rule: 'non-root', status: 'pass', message: "validation rule 'non-root' anyPattern[1] passed." },
    ]);
    expect(p.evaluate({ resource: podSpec({ containers: [{}] }) })).toEqual([
      {
        rule: 'non-root',
        status: 'fail',
        message: 'validation error: Running as root is not allowed. rule non-root[0] failed at path /spec/securityContext/ rule non-root[1] failed at path /spec/containers/0/securityContext/',
      },
    ]);
  });
});

describe('compileClusterPolicy: deny, preconditions and foreach', () => {
  const caps = compileClusterPolicy(
    policy([
      {
        name: 'adding-capabilities',
        match: pods,
        preconditions: { all: [{ key: "{{ request.operation || 'BACKGROUND' }}", operator: 'NotEquals', value: 'DELETE' }] },
        validate: {
          message: 'Capabilities {{ request.object.metadata.name }} are disallowed.',
          deny: { conditions: { all: [{ key: '{{ request.object.spec.[initContainers, containers][].securityContext.capabilities.add[] }}', operator: 'AnyNotIn', value: ['CHOWN', 'KILL'] }] } },
        },
      },
    ]),
    'caps.yaml',
  );

  it('denies when the conditions hold, with the substituted message', () => {
    expect(caps.evaluate({ resource: podSpec({ containers: [{ securityContext: { capabilities: { add: ['KILL'] } } }] }) })).toMatchObject([{ status: 'pass' }]);
    expect(caps.evaluate({ resource: podSpec({ containers: [{ securityContext: { capabilities: { add: ['NET_ADMIN'] } } }] }) })).toEqual([
      { rule: 'adding-capabilities', status: 'fail', message: 'Capabilities pod are disallowed.' },
    ]);
  });

  it('rewrites deny variables for controllers and skips when preconditions fail', () => {
    const bad = { containers: [{ securityContext: { capabilities: { add: ['SYS_ADMIN'] } } }] };
    expect(caps.evaluate({ resource: deployment(bad) })).toMatchObject([{ rule: 'autogen-adding-capabilities', status: 'fail' }]);
    expect(caps.evaluate({ resource: cronJob(bad) })).toMatchObject([{ rule: 'autogen-cronjob-adding-capabilities', status: 'fail' }]);
    expect(caps.evaluate({ resource: podSpec(bad), operation: 'DELETE' })).toEqual([{ rule: 'adding-capabilities', status: 'skip', message: 'preconditions not met' }]);
    expect(caps.evaluate({ resource: podSpec(bad), values: { 'request.operation': 'DELETE' } })).toMatchObject([{ status: 'skip' }]);
  });

  it('evaluates foreach deny per element with element variables', () => {
    const p = compileClusterPolicy(
      policy([
        {
          name: 'drop-all',
          match: pods,
          validate: {
            message: 'Containers must drop ALL capabilities.',
            foreach: [{ list: 'request.object.spec.[initContainers, containers][]', deny: { conditions: { all: [{ key: 'ALL', operator: 'AnyNotIn', value: '{{ element.securityContext.capabilities.drop[] || `[]` }}' }] } } }],
          },
        },
      ]),
      'p.yaml',
    );
    const dropAll = { securityContext: { capabilities: { drop: ['ALL'] } } };
    expect(p.evaluate({ resource: podSpec({ containers: [dropAll, dropAll] }) })).toEqual([{ rule: 'drop-all', status: 'pass', message: 'rule passed' }]);
    expect(p.evaluate({ resource: podSpec({ containers: [dropAll, {}] }) })).toEqual([
      { rule: 'drop-all', status: 'fail', message: 'validation failure: Containers must drop ALL capabilities.' },
    ]);
    expect(p.evaluate({ resource: podSpec({}) })).toEqual([{ rule: 'drop-all', status: 'skip', message: 'rule skipped' }]);
  });

  it('applies foreach patterns to each element and loads context variables', () => {
    const p = compileClusterPolicy(
      policy([
        {
          name: 'tags',
          match: pods,
          context: [{ name: 'allowed', variable: { value: ['ghcr.io/*'] } }],
          validate: {
            foreach: [{ list: 'request.object.spec.containers', preconditions: { any: [{ key: '{{ element.image }}', operator: 'AnyNotIn', value: '{{ allowed }}' }] }, pattern: { image: '*:v*' } }],
          },
        },
      ]),
      'p.yaml',
    );
    expect(p.evaluate({ resource: podSpec({ containers: [{ image: 'ghcr.io/a:latest' }, { image: 'docker.io/b:v1' }] }) })).toMatchObject([{ status: 'pass' }]);
    expect(p.evaluate({ resource: podSpec({ containers: [{ image: 'docker.io/b:latest' }] }) })).toMatchObject([{ status: 'fail' }]);
  });

  it('errors when a foreach element is not a map but elementScope is true', () => {
    const p = compileClusterPolicy(
      policy([{ name: 'f', match: pods, validate: { foreach: [{ list: 'request.object.spec.containers[].name', elementScope: true, pattern: { a: 'b' } }] } }]),
      'p.yaml',
    );
    expect(p.evaluate({ resource: podSpec({ containers: [{ name: 'a' }] }) })).toEqual([
      { rule: 'f', status: 'error', message: 'failed to process foreach: cannot use elementScope=true foreach rules for elements that are not maps, expected type=map got string' },
    ]);
  });

  it('errors when a context variable evaluates to nothing', () => {
    const p = compileClusterPolicy(policy([{ name: 'c', match: pods, context: [{ name: 'x', variable: { jmesPath: 'request.object.missing' } }], validate: { deny: { conditions: { all: [] } } } }]), 'p.yaml');
    expect(p.evaluate({ resource: podSpec({}) })).toEqual([{ rule: 'c', status: 'error', message: 'failed to load context: unable to add context entry for variable x since it evaluated to nil' }]);
  });
});

describe('compileClusterPolicy: unsupported features and errors', () => {
  it('returns an error response naming each unsupported feature', () => {
    const p = compileClusterPolicy(
      policy([
        { name: 'pss', match: pods, validate: { podSecurity: { level: 'baseline', version: 'v1.30' } } },
        { name: 'mut', match: pods, mutate: { patchStrategicMerge: { metadata: { labels: { a: 'b' } } } } },
        { name: 'api', match: pods, context: [{ name: 'x', apiCall: { urlPath: '/api/v1/namespaces' } }], validate: { pattern: { spec: {} } } },
        { name: 'img', match: pods, validate: { deny: { conditions: { all: [{ key: '{{ images.containers.*.tag }}', operator: 'Equals', value: 'latest' }] } } } },
        { name: 'cel', match: pods, validate: { cel: { expressions: [{ expression: 'true' }] } } },
        { name: 'gen', match: { any: [{ resources: { kinds: ['Pod'] } }] }, generate: { kind: 'ConfigMap' } },
      ]),
      'p.yaml',
    );
    const r = p.evaluate({ resource: podSpec({}) });
    expect(r.map((x) => [x.rule, x.status])).toEqual([['pss', 'error'], ['mut', 'error'], ['api', 'error'], ['img', 'error'], ['cel', 'error'], ['gen', 'error']]);
    expect(r[0]!.message).toMatch(/^podSecurity version v1\.30 is not supported by the Lockstep ClusterPolicy engine: /);
    expect(r[1]!.message).toBe('mutate rules is not supported by the Lockstep ClusterPolicy engine');
    expect(r[2]!.message).toBe('context.apiCall (entry "x") is not supported by the Lockstep ClusterPolicy engine');
    expect(r[3]!.message).toMatch(/^the images\.\* context variables \(in "images\.containers\.\*\.tag"\) is not supported/);
    expect(r[4]!.message).toMatch(/^validate\.cel is not supported/);
    expect(r[5]!.message).toMatch(/^generate rules is not supported/);
  });

  it('reports Kyverno-dialect JMESPath problems as rule errors', () => {
    const p = compileClusterPolicy(policy([{ name: 'j', match: pods, validate: { deny: { conditions: { all: [{ key: '{{ let $x = `1` in $x }}', operator: 'Equals', value: 1 }] } } } }]), 'p.yaml');
    expect(p.evaluate({ resource: podSpec({}) })[0]).toMatchObject({ status: 'error', message: expect.stringMatching(/let expressions, which Kyverno's JMESPath dialect does not support/) });
  });

  it('applies a namespaced Policy only in its namespace and ids it by name', () => {
    const p = compileClusterPolicy({ ...policy([{ name: 'r', match: pods, validate: { pattern: { spec: { containers: [{ name: '*' }] } } } }]), kind: 'Policy', metadata: { name: 'p', namespace: 'team' } }, 'p.yaml');
    expect(p.namespace).toBe('team');
    expect(p.evaluate({ resource: podSpec({ containers: [{ name: 'a' }] }) })).toEqual([]);
    expect(p.evaluate({ resource: { ...podSpec({ containers: [{ name: 'a' }] }), metadata: { name: 'x', namespace: 'team' } } })).toMatchObject([{ status: 'pass' }]);
  });

  it('gives no pattern response on DELETE, as Kyverno skips deleted resources', () => {
    expect(privileged.evaluate({ resource: podSpec({ containers: [{ name: 'a' }] }), operation: 'DELETE' })).toEqual([]);
  });

  it('fails when the policy document is malformed, naming file and field', () => {
    expect(() => compileClusterPolicy('x', 'a.yaml')).toThrow(/^a\.yaml: expected a ClusterPolicy object, got "x"/);
    expect(() => compileClusterPolicy({ kind: 'ClusterPolicy', metadata: {}, spec: { rules: [] } }, 'a.yaml')).toThrow(/a\.yaml: \/metadata\/name: ClusterPolicy has no metadata\.name/);
    expect(() => compileClusterPolicy({ kind: 'ClusterPolicy', metadata: { name: 'n' } }, 'a.yaml')).toThrow(/\/spec\/rules: ClusterPolicy n has no spec\.rules list/);
    expect(() => compileClusterPolicy(policy([1]), 'a.yaml')).toThrow(/\/spec\/rules\/0: rule must be an object, got 1/);
    expect(() => compileClusterPolicy(policy([{ match: pods }]), 'a.yaml')).toThrow(/\/spec\/rules\/0\/name: every rule needs a name/);
    expect(() => compileClusterPolicy(policy([{ name: 'r' }]), 'a.yaml')).toThrow(/\/spec\/rules\/0\/match: rule r has no match block; add match\.any\[\]\.resources\.kinds/);
    expect(() => compileClusterPolicy(policy([{ name: 'r', match: pods, validate: { anyPattern: {} } }]), 'a.yaml')).toThrow(/\/spec\/rules\/0\/validate\/anyPattern: anyPattern must be a list of patterns, got \{\}/);
    expect(() => compileClusterPolicy(policy([{ name: 'r', match: pods, validate: { foreach: [{ deny: {} }] } }]), 'a.yaml')).toThrow(/\/spec\/rules\/0\/validate\/foreach\/0: a foreach entry needs a list \(a JMESPath expression\)/);
  });
});
