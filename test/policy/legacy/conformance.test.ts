import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { conformancePodSecurityLegacy } from '../../../src/policy/legacy/conformance.ts';

// A miniature fixtures root laid out like <fixtures>/policy/kyverno-policies/pod-security.
let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'legacy-conformance-'));
  const dir = join(root, 'policy', 'kyverno-policies', 'pod-security', 'baseline', 'p', '.kyverno-test');
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, '..', 'p.yaml'),
    'apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata: {name: p}\nspec:\n  rules:\n  - name: r\n    match: {any: [{resources: {kinds: [Pod]}}]}\n    validate: {pattern: {spec: {=(hostPID): "false"}}}\n',
  );
  await writeFile(join(dir, 'resource.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: good}\nspec: {containers: [{name: a}]}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: svc}\n');
  await writeFile(
    join(dir, 'kyverno-test.yaml'),
    'apiVersion: cli.kyverno.io/v1alpha1\nkind: Test\nmetadata: {name: p}\npolicies: [../p.yaml]\nresources: [resource.yaml]\nresults:\n- {policy: p, rule: r, kind: Pod, resources: [good], result: pass}\n- {policy: p, rule: r, kind: Service, resources: [svc], result: fail}\n',
  );
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('conformancePodSecurityLegacy', () => {
  it('counts passes and lists each mismatch, treating "not applied" as a skip only', async () => {
    const r = await conformancePodSecurityLegacy(root);
    expect(r).toMatchObject({ suite: 'kyverno-policies/pod-security', passed: 1, failed: 1, skipped: 0 });
    expect(r.failures).toEqual(['baseline/p/.kyverno-test/kyverno-test.yaml: p/r Service/svc: expected fail, got excluded (policy does not apply to the resource (excluded))']);
  });
});
