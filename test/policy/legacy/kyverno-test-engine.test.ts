import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runPolicyTests } from '../../../src/policy/kyverno-test/run.ts';
import { clusterPolicyEngine } from '../../../src/policy/legacy/kyverno-test-engine.ts';

const POLICY = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: disallow-host-namespaces
spec:
  rules:
  - name: host-namespaces
    match:
      any:
      - resources:
          kinds: [Pod]
    validate:
      pattern:
        spec:
          =(hostNetwork): "false"
`;

const RESOURCES = `apiVersion: v1
kind: Pod
metadata: {name: goodpod}
spec: {containers: [{name: a, image: nginx}]}
---
apiVersion: v1
kind: Pod
metadata: {name: badpod}
spec: {hostNetwork: true, containers: [{name: a, image: nginx}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: baddeployment}
spec: {template: {spec: {hostNetwork: true, containers: [{name: a, image: nginx}]}}}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: goodcronjob}
spec: {schedule: "* * * * *", jobTemplate: {spec: {template: {spec: {containers: [{name: a, image: nginx}]}}}}}
`;

const TEST = `apiVersion: cli.kyverno.io/v1alpha1
kind: Test
metadata: {name: host-namespaces}
policies: [../policy.yaml]
resources: [resource.yaml]
results:
- {policy: disallow-host-namespaces, rule: host-namespaces, kind: Pod, resources: [goodpod], result: pass}
- {policy: disallow-host-namespaces, rule: host-namespaces, kind: Pod, resources: [badpod], result: fail}
- {policy: disallow-host-namespaces, rule: host-namespaces, kind: Deployment, resources: [baddeployment], result: fail}
- {policy: disallow-host-namespaces, rule: host-namespaces, kind: CronJob, resources: [goodcronjob], result: pass}
`;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'legacy-engine-'));
  await mkdir(join(dir, 'pol', '.kyverno-test'), { recursive: true });
  await writeFile(join(dir, 'pol', 'policy.yaml'), POLICY);
  await writeFile(join(dir, 'pol', '.kyverno-test', 'resource.yaml'), RESOURCES);
  await writeFile(join(dir, 'pol', '.kyverno-test', 'kyverno-test.yaml'), TEST);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('clusterPolicyEngine', () => {
  it('handles kyverno.io/v1 ClusterPolicy and Policy only', () => {
    expect(clusterPolicyEngine.handles({ apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy' })).toBe(true);
    expect(clusterPolicyEngine.handles({ apiVersion: 'kyverno.io/v1', kind: 'Policy' })).toBe(true);
    expect(clusterPolicyEngine.handles({ apiVersion: 'policies.kyverno.io/v1', kind: 'ValidatingPolicy' })).toBe(false);
  });

  it('is used by default by runPolicyTests, matching autogen rule names on controllers', async () => {
    const run = await runPolicyTests(dir, { excludedAsSkip: true });
    expect(run.failed).toBe(0);
    expect(run.passed).toBe(4);
    expect(run.files[0]!.cases.map((c) => c.actual)).toEqual(['pass', 'fail', 'fail', 'pass']);
  });

  it('fails rows whose expectation differs from the engine result', async () => {
    await writeFile(join(dir, 'pol', '.kyverno-test', 'kyverno-test.yaml'), TEST.replace('resources: [badpod], result: fail', 'resources: [badpod], result: pass'));
    const run = await runPolicyTests(dir);
    expect(run.failed).toBe(1);
    expect(run.files[0]!.cases[1]).toMatchObject({ resource: 'badpod', expected: 'pass', actual: 'fail', ok: false });
  });

  it('marks every row of a malformed policy as a load error', async () => {
    await writeFile(join(dir, 'pol', 'policy.yaml'), 'apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata: {name: disallow-host-namespaces}\nspec: {}\n');
    const run = await runPolicyTests(dir);
    expect(run.files[0]!.cases.every((c) => c.actual === 'load-error')).toBe(true);
    expect(run.files[0]!.errors[0]).toMatch(/\/spec\/rules: ClusterPolicy disallow-host-namespaces has no spec\.rules list/);
  });
});
