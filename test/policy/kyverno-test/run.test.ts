import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatPolicyTestRun } from '../../../src/policy/kyverno-test/format.ts';
import { runPolicyTests } from '../../../src/policy/kyverno-test/run.ts';
import type { PolicyEngine } from '../../../src/policy/kyverno-test/types.ts';

const POLICY = `apiVersion: policies.kyverno.io/v1
kind: ValidatingPolicy
metadata:
  name: no-host-network
spec:
  validationActions: [Audit]
  matchConstraints:
    resourceRules:
      - apiGroups: [""]
        apiVersions: [v1]
        operations: [CREATE, UPDATE]
        resources: [pods]
  validations:
    - expression: "!object.spec.?hostNetwork.orValue(false)"
      message: host network is not allowed
`;

const NS_POLICY = `apiVersion: policies.kyverno.io/v1alpha1
kind: ValidatingPolicy
metadata:
  name: prod-only
spec:
  matchConstraints:
    namespaceSelector:
      matchLabels: {env: prod}
    resourceRules:
      - apiGroups: [""]
        apiVersions: [v1]
        operations: [CREATE]
        resources: [configmaps]
  validations:
    - expression: "has(object.data)"
`;

const RESOURCES = `apiVersion: v1
kind: Pod
metadata: {name: goodpod, namespace: default}
spec:
  containers: [{name: c, image: nginx}]
---
apiVersion: v1
kind: Pod
metadata: {name: badpod, namespace: default}
spec:
  hostNetwork: true
  containers: [{name: c, image: nginx}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: baddeployment, namespace: default}
spec:
  template:
    spec:
      hostNetwork: true
      containers: [{name: c, image: nginx}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cm-prod, namespace: prod}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cm-dev, namespace: dev}
`;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lockstep-kyverno-test-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(rel: string, text: string): Promise<void> {
  const p = join(dir, rel);
  await mkdir(join(p, '..'), { recursive: true });
  await writeFile(p, text);
}

function testFile(results: string, extra = ''): string {
  return `apiVersion: cli.kyverno.io/v1alpha1
kind: Test
metadata: {name: host-network}
policies: [../policy.yaml, ../ns-policy.yaml]
resources: [resources.yaml]
${extra}results:
${results}`;
}

const GOOD_RESULTS = `- policy: no-host-network
  isValidatingPolicy: true
  kind: Pod
  resources: [goodpod]
  result: pass
- policy: no-host-network
  isValidatingPolicy: true
  kind: Pod
  resources: [default/badpod]
  result: fail
- policy: no-host-network
  isValidatingPolicy: true
  kind: Deployment
  resource: baddeployment
  result: fail
`;

async function setup(results: string, extra = ''): Promise<void> {
  await write('pol/policy.yaml', POLICY);
  await write('pol/ns-policy.yaml', NS_POLICY);
  await write('pol/.kyverno-test/resources.yaml', RESOURCES);
  await write('pol/.kyverno-test/kyverno-test.yaml', testFile(results, extra));
}

describe('runPolicyTests', () => {
  it('passes when every expected result matches, including autogen on a Deployment', async () => {
    await setup(GOOD_RESULTS);
    const run = await runPolicyTests(dir);
    expect(run).toMatchObject({ passed: 3, failed: 0 });
    expect(run.files[0]).toMatchObject({ file: 'pol/.kyverno-test/kyverno-test.yaml', name: 'host-network', errors: [] });
    expect(formatPolicyTestRun(run, { json: false })).toBe('3 passed, 0 failed\n');
  });

  it('prints a table of mismatches only, ending with the counts', async () => {
    await setup(`${GOOD_RESULTS}- policy: no-host-network
  isValidatingPolicy: true
  kind: Pod
  resources: [badpod]
  result: pass
`);
    const run = await runPolicyTests(dir);
    expect(run).toMatchObject({ passed: 3, failed: 1 });
    const text = formatPolicyTestRun(run, { json: false });
    expect(text.split('\n')).toEqual([
      'TEST                                 POLICY           RULE  RESOURCE    EXPECTED  ACTUAL  MESSAGE',
      'pol/.kyverno-test/kyverno-test.yaml  no-host-network        Pod/badpod  pass      fail    host network is not allowed',
      '',
      '3 passed, 1 failed',
      '',
    ]);
  });

  it('renders the run as JSON', async () => {
    await setup(GOOD_RESULTS);
    const json = JSON.parse(formatPolicyTestRun(await runPolicyTests(dir), { json: true }));
    expect(json.files[0].cases[2]).toEqual({ policy: 'no-host-network', kind: 'Deployment', resource: 'baddeployment', expected: 'fail', actual: 'fail', ok: true, message: 'host network is not allowed' });
  });

  it('fails a result whose resource does not exist with that kind', async () => {
    await setup(`- policy: no-host-network
  isValidatingPolicy: true
  kind: Deployment
  resources: [goodpod]
  result: pass
`);
    const run = await runPolicyTests(dir);
    expect(run.files[0]?.cases[0]).toMatchObject({ actual: 'not-found', ok: false, message: 'no Deployment named goodpod evaluated by policy no-host-network' });
  });

  it('counts a policy that does not apply as a pass, like kyverno test, unless excludedAsSkip is set', async () => {
    await setup(`- policy: prod-only
  isValidatingPolicy: true
  kind: ConfigMap
  resources: [cm-dev]
  result: fail
- policy: prod-only
  isValidatingPolicy: true
  kind: ConfigMap
  resources: [cm-prod]
  result: fail
`, 'variables: values.yaml\n');
    await write('pol/.kyverno-test/values.yaml', `apiVersion: cli.kyverno.io/v1alpha1
kind: Values
namespaceSelector:
  - name: prod
    labels: {env: prod}
  - name: dev
    labels: {env: dev}
`);
    const run = await runPolicyTests(dir);
    expect(run.files[0]?.cases.map((c) => [c.resource, c.actual, c.ok])).toEqual([
      ['cm-dev', 'excluded', true],
      ['cm-prod', 'fail', true],
    ]);
    const strict = await runPolicyTests(dir, { excludedAsSkip: true });
    expect(strict.files[0]?.cases[0]).toMatchObject({ actual: 'excluded', ok: false });
  });

  it('takes request.operation from globalValues', async () => {
    await setup(`- policy: prod-only
  isValidatingPolicy: true
  kind: ConfigMap
  resources: [cm-prod]
  result: fail
`, 'variables: values.yaml\n');
    await write('pol/.kyverno-test/values.yaml', `kind: Values
globalValues:
  request.operation: UPDATE
namespaces:
  - apiVersion: v1
    kind: Namespace
    metadata: {name: prod, labels: {env: prod}}
`);
    // prod-only matches CREATE only, so under UPDATE it does not apply (excluded → pass).
    expect((await runPolicyTests(dir)).files[0]?.cases[0]?.actual).toBe('excluded');
  });

  it('fails results of policies no engine handles, saying so', async () => {
    await setup(`- policy: legacy
  rule: check
  kind: Pod
  resources: [goodpod]
  result: pass
`);
    await write('pol/policy.yaml', 'apiVersion: kyverno.io/v2\nkind: ClusterCleanupPolicy\nmetadata: {name: legacy}\nspec: {schedule: "* * * * *"}\n');
    const run = await runPolicyTests(dir);
    expect(run.files[0]?.cases[0]).toMatchObject({ actual: 'unsupported', ok: false, message: 'no policy engine for kyverno.io/v2 ClusterCleanupPolicy' });
  });

  it('dispatches to a plugged-in engine and matches rule names with autogen prefixes', async () => {
    await setup(`- policy: legacy
  rule: check
  kind: Deployment
  resources: [baddeployment]
  result: fail
`);
    await write('pol/policy.yaml', 'apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata: {name: legacy}\nspec: {rules: []}\n');
    const legacy: PolicyEngine = {
      name: 'fake-legacy',
      handles: (d) => d.kind === 'ClusterPolicy',
      compile: () => ({ id: 'legacy', kind: 'ClusterPolicy', evaluate: (req) => (req.resource.kind === 'Deployment' ? [{ rule: 'autogen-check', result: 'fail', message: 'no' }] : []) }),
    };
    const run = await runPolicyTests(dir, { engines: [legacy] });
    expect(run.files[0]?.cases[0]).toMatchObject({ actual: 'fail', ok: true });
  });

  it('fails the results of a policy that does not compile and lists the error', async () => {
    await setup(GOOD_RESULTS);
    await write('pol/policy.yaml', POLICY.replace('"!object.spec.?hostNetwork.orValue(false)"', '"url(object.spec.x) != null"'));
    const run = await runPolicyTests(dir);
    expect(run.failed).toBe(3);
    expect(run.files[0]?.cases[0]).toMatchObject({ actual: 'load-error', message: expect.stringMatching(/^policy does not compile: .*CEL function 'url'/) });
    expect(formatPolicyTestRun(run, { json: false })).toMatch(/Errors:\n {2}pol\/.kyverno-test\/kyverno-test.yaml: .*policy.yaml: ValidatingPolicy no-host-network: spec.validations\[0\].expression: CEL function 'url'/);
  });

  it('fails when a referenced file is missing, naming it', async () => {
    await setup(GOOD_RESULTS);
    await rm(join(dir, 'pol/.kyverno-test/resources.yaml'));
    const run = await runPolicyTests(dir);
    expect(run.files[0]?.errors[0]).toMatch(/resources.yaml: cannot read file \(ENOENT\); check the path in the kyverno-test.yaml/);
    expect(run.files[0]?.cases[0]).toMatchObject({ actual: 'load-error', ok: false });
  });

  it('counts one failure for a test file that does not load', async () => {
    await write('a/kyverno-test.yaml', 'kind: Values\n');
    const run = await runPolicyTests(dir);
    expect(run).toMatchObject({ passed: 0, failed: 1 });
    expect(run.files[0]?.errors[0]).toMatch(/kyverno-test.yaml: kind must be Test, got "Values"/);
  });

  it('counts one failure when load errors leave every expected result passing', async () => {
    await setup(GOOD_RESULTS);
    await write('pol/.kyverno-test/kyverno-test.yaml', testFile(GOOD_RESULTS).replace('resources: [resources.yaml]', 'resources: [resources.yaml, missing.yaml]'));
    const run = await runPolicyTests(dir);
    expect(run).toMatchObject({ passed: 3, failed: 1 });
  });
});
