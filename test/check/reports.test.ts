import { PolicyReport } from '@kubernetes-models/kyverno/wgpolicyk8s.io/v1alpha2/PolicyReport';
import { ClusterPolicyReport } from '@kubernetes-models/kyverno/wgpolicyk8s.io/v1alpha2/ClusterPolicyReport';
import jsYaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { checkObjects, policyReportYaml, reportFiles, toJunit, toPolicyReports, toSarif } from '../../src/check/index.ts';
import { deployment, environment, namespace, pod, policySet } from './fixtures.ts';

function result(modes: Record<string, 'Preview' | 'Audit' | 'Warn' | 'Deny'> = {}) {
  const set = policySet(environment({ modes }));
  return checkObjects({
    environment: 'prod',
    objects: [...set.objects, namespace('apps'), deployment('ok'), pod('priv', (p) => (p.spec.containers[0].securityContext.privileged = true)), deployment('latest', (d) => (d.spec.template.spec.containers[0].image = 'ghcr.io/acme/agent:latest'))],
    previewPolicies: set.previews,
  });
}

describe('policy reports', () => {
  it('writes a ClusterPolicyReport and one PolicyReport per namespace that pass the wgpolicyk8s.io schema', () => {
    const docs = toPolicyReports(result());
    expect(docs.map((d) => `${d.kind} ${(d.metadata as any).namespace ?? ''}`)).toEqual(['ClusterPolicyReport ', 'PolicyReport apps']);
    expect(() => new ClusterPolicyReport(docs[0] as never).validate()).not.toThrow();
    expect(() => new PolicyReport(docs[1] as never).validate()).not.toThrow();
    const apps = docs[1] as any;
    expect(apps.summary.fail).toBeGreaterThanOrEqual(3);
    const priv = apps.results.find((r: any) => r.policy === 'disallow-privileged-containers' && r.result === 'fail');
    expect(priv).toMatchObject({ rule: 'no-privileged-containers', severity: 'critical', scored: true, source: 'lockstep', resources: [{ kind: 'Pod', name: 'priv', namespace: 'apps' }], properties: { mode: 'Deny', constructPath: 'prod/apps/priv/Pod' } });
    expect(priv.timestamp).toBeUndefined();
  });

  it('marks Preview failures as unscored warn and stamps a timestamp only when given', () => {
    const docs = toPolicyReports(result({ 'disallow-privileged-containers': 'Preview' }), { timestamp: 1700000000 });
    const r = (docs[1] as any).results.find((x: any) => x.policy === 'disallow-privileged-containers' && x.rule === 'no-privileged-containers');
    expect(r).toMatchObject({ result: 'warn', scored: false, timestamp: { seconds: 1700000000, nanos: 0 } });
  });

  it('is byte-identical across runs', () => {
    expect(policyReportYaml(result())).toBe(policyReportYaml(result()));
    expect([...reportFiles(result()).values()]).toEqual([...reportFiles(result()).values()]);
    expect(jsYaml.loadAll(policyReportYaml(result()))).toHaveLength(2);
  });
});

describe('SARIF', () => {
  it('has SARIF 2.1.0 structure with rule metadata and the manifest file as location', () => {
    const sarif = toSarif([result()], { toolVersion: '0.1.0' }) as any;
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.$schema).toMatch(/sarif-2.1.0/);
    const run = sarif.runs[0];
    expect(run.automationDetails.id).toBe('lockstep/prod/');
    expect(run.tool.driver).toMatchObject({ name: 'lockstep', semanticVersion: '0.1.0' });
    for (const rule of run.tool.driver.rules) {
      expect(rule.id).toBeTruthy();
      expect(rule.shortDescription.text.length).toBeLessThanOrEqual(1024);
      expect(rule.fullDescription.text).toBeTruthy();
      expect(rule.help.text).toBeTruthy();
      expect(['error', 'warning', 'note']).toContain(rule.defaultConfiguration.level);
    }
    const priv = run.results.find((r: any) => r.ruleId === 'disallow-privileged-containers/no-privileged-containers');
    expect(priv).toMatchObject({ level: 'error', locations: [{ physicalLocation: { artifactLocation: { uri: 'dist/prod/manifests/apps/pod_priv.yaml' } }, logicalLocations: [{ fullyQualifiedName: 'prod/apps/priv/Pod' }] }] });
    expect(priv.message.text).toMatch(/^Pod apps\/priv: container\(s\) agent run privileged/);
    expect(run.tool.driver.rules[priv.ruleIndex].id).toBe(priv.ruleId);
    expect(priv.partialFingerprints['lockstep/v1']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('uses warning for Audit and note for Preview', () => {
    const run = (toSarif([result({ 'disallow-privileged-containers': 'Preview', 'disallow-latest-tag': 'Audit' })]) as any).runs[0];
    expect(run.results.find((r: any) => r.ruleId.startsWith('disallow-privileged-containers/')).level).toBe('note');
    expect(run.results.find((r: any) => r.ruleId === 'disallow-latest-tag/no-latest-tag').level).toBe('warning');
  });
});

describe('JUnit', () => {
  it('fails only testcases of Deny-mode violations and lists the others in system-out', () => {
    const xml = toJunit([result({ 'disallow-latest-tag': 'Audit' })]);
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="lockstep check"/);
    expect(xml).toMatch(/<testcase classname="disallow-privileged-containers" name="Pod apps\/priv" time="0">\n\s+<failure message="container\(s\) agent run privileged[^"]*" type="Deny">/);
    expect(xml).toMatch(/<testcase classname="disallow-latest-tag" name="Deployment apps\/latest" time="0">\n\s+<system-out>no-latest-tag \[Audit\]/);
    const failures = Number(/<testsuites[^>]* failures="(\d+)"/.exec(xml)![1]);
    expect(failures).toBe(2); // privileged pod, and the :latest image without digest (production, Deny)
  });

  it('escapes XML in messages', () => {
    const r = result();
    const weird = { ...r, evaluations: r.evaluations.map((e) => (e.result === 'fail' ? { ...e, message: 'a <b> & "c"' } : e)) };
    expect(toJunit([weird])).toContain('a &lt;b&gt; &amp; &quot;c&quot;');
  });
});
