import { describe, expect, it } from 'vitest';
import { Acknowledgement, AgentWorkload, EnvFrom, EnvValue, TenantNamespace } from '../../constructs/index.ts';
import { find, render, SMALL } from '../helpers.ts';

const image = 'ghcr.io/acme/agent@sha256:' + 'a'.repeat(64);

function agent(props: Partial<ConstructorParameters<typeof AgentWorkload>[2]> = {}) {
  return render((p) => {
    const ns = new TenantNamespace(p, 'agents');
    new AgentWorkload(ns, 'summarizer', { container: { image, resources: SMALL }, ...props });
  });
}

describe('AgentWorkload', () => {
  it('renders a Deployment whose every container has the restricted security context', () => {
    const objects = agent({
      initContainers: [{ name: 'clone', image, resources: SMALL }],
      sidecars: [{ name: 'memory', image, resources: SMALL }],
    });
    const pod = find(objects, 'Deployment', 'summarizer').spec.template.spec;
    for (const c of [...pod.initContainers, ...pod.containers]) {
      expect(c.securityContext).toEqual({
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
        privileged: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        seccompProfile: { type: 'RuntimeDefault' },
      });
    }
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod).toMatchObject({ hostNetwork: false, hostPID: false, hostIPC: false, enableServiceLinks: false });
  });

  it('never sets a fixed user id unless asked', () => {
    const pod = find(agent(), 'Deployment').spec.template.spec;
    expect(JSON.stringify(pod)).not.toMatch(/runAsUser|runAsGroup|fsGroup/);
  });

  it('gets its own ServiceAccount that mounts no token', () => {
    const objects = agent();
    expect(find(objects, 'ServiceAccount', 'summarizer').automountServiceAccountToken).toBe(false);
    const pod = find(objects, 'Deployment').spec.template.spec;
    expect(pod).toMatchObject({ serviceAccountName: 'summarizer', automountServiceAccountToken: false });
  });

  it('mounts the token only with an acknowledgement', () => {
    const objects = agent({ serviceAccountToken: Acknowledgement.of('workload/service-account-token', 'reads its own ConfigMap through the API') });
    expect(find(objects, 'ServiceAccount').automountServiceAccountToken).toBe(true);
  });

  it('mounts writable emptyDirs for tmp, home and cache in every container', () => {
    const pod = find(agent({ sidecars: [{ name: 'memory', image, resources: SMALL }] }), 'Deployment').spec.template.spec;
    expect(pod.volumes.map((v: any) => v.name)).toEqual(['tmp', 'home', 'cache']);
    for (const c of pod.containers) expect(c.volumeMounts.map((m: any) => m.mountPath)).toEqual(['/tmp', '/home/agent', '/var/cache/agent']);
  });

  it('requires requests and limits on every container', () => {
    expect(() => agent({ sidecars: [{ name: 'x', image, resources: { requests: { cpu: '1', memory: '1Gi' } } as any }] })).toThrow(/needs both requests and limits/);
  });

  it('creates a Service only when the agent exposes ports', () => {
    expect(agent().some((o) => o.kind === 'Service')).toBe(false);
    const svc = find(agent({ container: { image, resources: SMALL, ports: [{ name: 'http', port: 8080 }] } }), 'Service');
    expect(svc.spec).toMatchObject({ type: 'ClusterIP', ports: [{ name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' }] });
    expect(svc.spec.selector).toEqual({ 'app.kubernetes.io/name': 'summarizer', 'app.kubernetes.io/instance': 'agents.summarizer' });
  });

  it('takes env only from ConfigMap and Secret references, and literal config through its own ConfigMap', () => {
    const objects = agent({
      config: { MODEL: 'small' },
      container: { image, resources: SMALL, env: { API_KEY: EnvValue.fromSecret('llm', 'key') }, envFrom: [EnvFrom.configMap('shared')] },
    });
    expect(find(objects, 'ConfigMap', 'summarizer-config').data).toEqual({ MODEL: 'small' });
    const c = find(objects, 'Deployment').spec.template.spec.containers[0];
    expect(c.env).toEqual([{ name: 'API_KEY', valueFrom: { secretKeyRef: { name: 'llm', key: 'key' } } }]);
    expect(c.envFrom).toEqual([{ configMapRef: { name: 'summarizer-config' } }, { configMapRef: { name: 'shared' } }]);
  });

  it('renders a one-shot Job for task agents', () => {
    const job = find(agent({ kind: 'Job', job: { activeDeadlineSeconds: 600 } }), 'Job');
    expect(job.spec).toMatchObject({ activeDeadlineSeconds: 600, backoffLimit: 0, ttlSecondsAfterFinished: 3600 });
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
  });

  it('annotates the workload and its pod template alike', () => {
    const objects = render((p) => {
      const w = new AgentWorkload(new TenantNamespace(p, 'agents'), 'a', { container: { image, resources: SMALL } });
      w.annotate('tk8s.io/sbom-sha256', 'f'.repeat(64));
    });
    const d = find(objects, 'Deployment');
    expect(d.metadata.annotations['tk8s.io/sbom-sha256']).toBe('f'.repeat(64));
    expect(d.spec.template.metadata.annotations['tk8s.io/sbom-sha256']).toBe('f'.repeat(64));
  });

  it('fails when a fixed user id is set without an acknowledgement', () => {
    expect(() => agent({ container: { image, resources: SMALL, runAsUser: 65532 } })).toThrow(/sets runAsUser 65532; fixed user ids fail OpenShift/);
  });

  it('fails when it would run as root', () => {
    expect(() => agent({ container: { image, resources: SMALL, runAsUser: 0, acknowledgements: [Acknowledgement.of('workload/fixed-user-id', 'image needs a known uid')] } })).toThrow(/runAsUser 0 \(root\)/);
  });

  it('fails when two containers share a name', () => {
    expect(() => agent({ sidecars: [{ name: 'agent', image, resources: SMALL }] })).toThrow(/two containers are named "agent"/);
  });

  it('fails when replicas is negative or set on a Job', () => {
    expect(() => agent({ replicas: -1 })).toThrow(/replicas must be a whole number/);
    expect(() => agent({ kind: 'Job', replicas: 2 })).toThrow(/replicas applies to Deployments only/);
  });

  it('fails when the token acknowledgement is for another check', () => {
    expect(() => agent({ serviceAccountToken: Acknowledgement.of('rbac/wildcard', 'wrong acknowledgement here') })).toThrow(/serviceAccountToken takes Acknowledgement.of\('workload\/service-account-token'/);
  });

  it('fails when a port name is too long', () => {
    expect(() => agent({ container: { image, resources: SMALL, ports: [{ name: 'much-too-long-port-name', port: 80 }] } })).toThrow(/port name must be at most 15/);
  });

  it('fails when an acknowledgement has no real reason', () => {
    expect(() => Acknowledgement.of('rbac/wildcard', 'ok')).toThrow(/needs a written reason of at least 10 characters/);
  });
});
