import { describe, expect, it } from 'vitest';
import { checkObjects, formatFinding } from '../../src/check/index.ts';
import { deployment, environment, namespace, pod, policySet } from './fixtures.ts';

function run(envOverrides: Parameters<typeof environment>[0], objects: ReturnType<typeof deployment>[]) {
  const set = policySet(environment(envOverrides));
  return checkObjects({ environment: 'prod', objects: [...set.objects, namespace('apps'), ...objects], previewPolicies: set.previews });
}

describe('checkObjects', () => {
  it('passes the compliant workloads and namespaces of the fixture platform', () => {
    const r = run({}, [deployment('ok'), pod('ok-pod')]);
    expect(r.findings).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.summary.pass).toBeGreaterThan(10);
  });

  it('fails a privileged container in Deny mode, naming object, rule, mode, file and construct path', () => {
    const r = run({}, [pod('priv', (p) => (p.spec.containers[0].securityContext.privileged = true))]);
    expect(r.ok).toBe(false);
    const f = r.findings.find((x) => x.policy === 'disallow-privileged-containers')!;
    expect(f).toMatchObject({ rule: 'no-privileged-containers', mode: 'Deny', level: 'error', file: 'dist/prod/manifests/apps/pod_priv.yaml', constructPath: 'prod/apps/priv/Pod' });
    expect(formatFinding(f)).toBe(
      'error dist/prod/manifests/apps/pod_priv.yaml: Pod apps/priv violates disallow-privileged-containers/no-privileged-containers [Deny]: container(s) agent run privileged; remove securityContext.privileged or set it to false (construct prod/apps/priv/Pod)',
    );
  });

  it('fails a :latest image on a Deployment through the pod-controller variant of the Pod policy', () => {
    const r = run({}, [deployment('latest', (d) => (d.spec.template.spec.containers[0].image = 'ghcr.io/acme/agent:latest'))]);
    const f = r.findings.filter((x) => x.policy === 'disallow-latest-tag');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ rule: 'no-latest-tag', autogen: 'defaults', level: 'error', resource: { kind: 'Deployment', namespace: 'apps', name: 'latest' } });
    expect(formatFinding(f[0]!)).toMatch(/Deployment apps\/latest violates disallow-latest-tag\/no-latest-tag \[Deny\]: container\(s\) agent use the "latest" tag.*\(construct prod\/apps\/latest\/Deployment\)$/);
    // The digest policy of production fails the same image.
    expect(r.findings.some((x) => x.policy === 'require-image-digest' && x.rule === 'image-digest')).toBe(true);
  });

  it('fails a missing SBOM annotation on the pod template even when the workload has it', () => {
    const r = run({}, [deployment('nosbom', (d) => delete d.spec.template.metadata.annotations)]);
    const f = r.findings.filter((x) => x.policy === 'require-sbom-annotation');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ rule: 'pod-template-annotation', level: 'error', constructPath: 'prod/apps/nosbom/Deployment' });
    expect(f[0]!.message).toMatch(/tk8s.io\/sbom-sha256 must be the 64-hex sha256 of the image SBOM on the pod template/);
  });

  it('fails a missing SBOM annotation on the workload metadata', () => {
    const r = run({}, [deployment('nosbom', (d) => delete d.metadata.annotations)]);
    expect(r.findings.map((x) => `${x.policy}/${x.rule}`)).toEqual(['require-sbom-annotation/workload-annotation']);
  });

  it('only warns for the same violations in Audit mode, and the check passes', () => {
    const r = run({ defaultMode: 'Audit' }, [
      pod('priv', (p) => (p.spec.containers[0].securityContext.privileged = true)),
      deployment('latest', (d) => (d.spec.template.spec.containers[0].image = 'ghcr.io/acme/agent:latest')),
      deployment('nosbom', (d) => delete d.spec.template.metadata.annotations),
    ]);
    expect(r.ok).toBe(true);
    expect(r.findings.length).toBeGreaterThanOrEqual(3);
    expect(r.findings.every((f) => f.level === 'warning' && f.mode === 'Audit')).toBe(true);
    expect(formatFinding(r.findings[0]!)).toMatch(/^warning /);
  });

  it('reports Preview-mode policies as information only, and takes per-policy modes from the environment', () => {
    const r = run({ modes: { 'disallow-privileged-containers': 'Preview' } }, [pod('priv', (p) => (p.spec.containers[0].securityContext.privileged = true))]);
    const f = r.findings.find((x) => x.policy === 'disallow-privileged-containers')!;
    expect(f).toMatchObject({ mode: 'Preview', level: 'info', file: 'dist/prod/manifests/apps/pod_priv.yaml' });
    expect(r.ok).toBe(true);
    expect(r.summary.warn).toBe(1);
    expect(r.policies.find((p) => p.name === 'disallow-privileged-containers')!.file).toBe('dist/prod/policies/preview/validatingpolicy_disallow-privileged-containers.yaml');
  });

  it('treats absent privileged and host-namespace fields as false', () => {
    const r = run({}, [pod('bare', (p) => {
      delete p.spec.containers[0].securityContext.privileged;
      delete p.spec.hostNetwork;
    })]);
    expect(r.findings).toEqual([]);
  });

  it('checks init containers for a read-only root filesystem and refuses ephemeral containers', () => {
    const r = run({}, [
      pod('init', (p) => (p.spec.initContainers = [{ ...p.spec.containers[0], name: 'setup', securityContext: { ...p.spec.containers[0].securityContext, readOnlyRootFilesystem: false } }])),
      pod('debug', (p) => (p.spec.ephemeralContainers = [{ ...p.spec.containers[0], name: 'debugger' }])),
    ]);
    expect(r.findings.map((f) => `${f.resource.name} ${f.policy}/${f.rule}: ${f.message}`)).toEqual([
      'debug disallow-ephemeral-containers/no-ephemeral-containers: ephemeral container(s) debugger are not allowed; debug with logs, metrics or a separate debug deployment',
      'init require-readonly-root-filesystem/readonly-root-filesystem: container(s) setup have a writable root filesystem; set securityContext.readOnlyRootFilesystem: true and mount emptyDir volumes where the program writes',
    ]);
  });

  it('applies ECA isolation only in the ECA namespace, where an absent automountServiceAccountToken fails', () => {
    const noToken = (p: Record<string, any>) => delete p.spec.automountServiceAccountToken;
    const inEca = pod('agent', (p) => {
      noToken(p);
      p.metadata.namespace = 'eca';
    });
    const r = run({}, [namespace('eca'), { ...inEca, file: 'dist/prod/manifests/eca/pod_agent.yaml' }, pod('elsewhere', noToken)]);
    expect(r.findings.map((f) => `${f.resource.namespace}/${f.resource.name} ${f.policy}/${f.rule}`)).toEqual(['eca/agent eca-isolation/no-service-account-token']);
  });

  it('requires audit and Pod Security labels on namespaces, using the rendered Namespace', () => {
    const r = run({}, [{ ...namespace('apps', { 'audit.example.com/retention': '30d', 'pod-security.kubernetes.io/warn': 'baseline' }), file: 'dist/prod/manifests/_cluster/namespace_apps2.yaml' }]);
    const rules = r.findings.map((f) => `${f.policy}/${f.rule}: ${f.message}`);
    expect(rules).toContain('require-audit-labels/audit-retention: label audit.example.com/retention must be "365d" (audit.retentionDays of this environment)');
    expect(rules).toContain('require-pod-security-labels/psa-restricted: namespace apps must set pod-security.kubernetes.io/warn to restricted');
  });

  it('evaluates the legacy ClusterPolicy rendering the same way', () => {
    const r = run({ legacy: true }, [pod('priv', (p) => (p.spec.containers[0].securityContext.privileged = true))]);
    expect(r.policies.every((p) => p.engine === 'ClusterPolicy')).toBe(true);
    expect(r.findings.map((f) => `${f.policy}/${f.rule} ${f.mode}`)).toEqual(['disallow-privileged-containers/no-privileged-containers Deny']);
  });

  it('does not require digests, audit labels or SBOMs in dev', () => {
    const r = run({ stage: 'dev', requireSbom: false }, [deployment('tagged', (d) => {
      d.spec.template.spec.containers[0].image = 'ghcr.io/acme/agent:1.0.0';
      delete d.metadata.annotations;
    })]);
    expect(r.policies.map((p) => p.name)).not.toContain('require-image-digest');
    expect(r.findings).toEqual([]);
  });

  it('fails when a rendered policy does not compile, naming its file', () => {
    const bad = { file: 'dist/prod/manifests/_cluster/validatingpolicy_bad.yaml', json: { apiVersion: 'policies.kyverno.io/v1', kind: 'ValidatingPolicy', metadata: { name: 'bad' }, spec: { matchConstraints: { resourceRules: [] }, validations: [{ expression: 'object.(' }] } } };
    expect(() => checkObjects({ environment: 'prod', objects: [bad] })).toThrow(/dist\/prod\/manifests\/_cluster\/validatingpolicy_bad.yaml: .*spec.validations\[0\].expression/);
  });
});
