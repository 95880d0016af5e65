import { describe, expect, it } from 'vitest';
import { Acknowledgement, EnvFrom, EnvValue, NetworkPort, Peers, RunnerPool, TenantNamespace } from '../../constructs/index.ts';
import { checks, find, render, SMALL } from '../helpers.ts';

const image = 'ghcr.io/acme/runner@sha256:' + 'c'.repeat(64);
const forge = { cidrs: ['198.51.100.0/24'] };

describe('RunnerPool', () => {
  it('labels runners with their trust tier and keeps warm replicas', () => {
    const objects = render((p) => new RunnerPool(new TenantNamespace(p, 'ci'), 'linux', { trustTier: 'trusted', image, resources: SMALL, warmReplicas: 2, maxReplicas: 5, forge }));
    const d = find(objects, 'Deployment', 'runner-linux');
    expect(d.spec.replicas).toBe(2);
    expect(d.spec.template.metadata.labels).toMatchObject({ 'lockstep.dev/trust-tier': 'trusted', 'lockstep.dev/runner-pool': 'linux' });
    expect(d.metadata.annotations['lockstep.dev/max-replicas']).toBe('5');
  });

  it('gives untrusted runners no token and egress only to the forge outside the cluster', () => {
    const objects = render((p) => new RunnerPool(new TenantNamespace(p, 'ci-untrusted'), 'forks', { trustTier: 'untrusted', image, resources: SMALL, warmReplicas: 1, maxReplicas: 3, forge }));
    expect(find(objects, 'Deployment').spec.template.spec.automountServiceAccountToken).toBe(false);
    const np = objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'runner-forks')!;
    expect(np.spec.egress).toEqual([{ to: [{ ipBlock: { cidr: '198.51.100.0/24' } }], ports: [{ protocol: 'TCP', port: 443 }, { protocol: 'TCP', port: 22 }] }]);
  });

  it('fails when an untrusted pool references a Secret', () => {
    const define = (extra: object) => () =>
      render((p) => new RunnerPool(new TenantNamespace(p, 'u'), 'forks', { trustTier: 'untrusted', image, resources: SMALL, warmReplicas: 1, maxReplicas: 1, forge, ...extra }));
    expect(define({ env: { TOKEN: EnvValue.fromSecret('push', 'token') } })).toThrow(/references Secrets \(TOKEN\); untrusted runners execute outside code/);
    expect(define({ envFrom: [EnvFrom.secret('push')] })).toThrow(/references Secrets \(envFrom push\)/);
    expect(define({ secretVolumes: [{ name: 'k', secret: 'ssh', path: '/k' }] })).toThrow(/references Secrets \(volume k\)/);
  });

  it('fails when an untrusted pool asks for a token', () => {
    expect(() =>
      render((p) =>
        new RunnerPool(new TenantNamespace(p, 'u'), 'forks', { trustTier: 'untrusted', image, resources: SMALL, warmReplicas: 1, maxReplicas: 1, forge, serviceAccountToken: Acknowledgement.of('workload/service-account-token', 'needs the api for caches') }),
      ),
    ).toThrow(/asks for a service-account token; untrusted runners never get Kubernetes API credentials/);
  });

  it('fails when an untrusted pool is given egress to in-cluster peers', () => {
    const msgs = checks((p) => {
      const pool = new RunnerPool(new TenantNamespace(p, 'u'), 'forks', { trustTier: 'untrusted', image, resources: SMALL, warmReplicas: 1, maxReplicas: 1, forge });
      pool.runners.connections.allowTo(Peers.namespace('internal'), [NetworkPort.tcp(80)]);
    });
    expect(msgs).toEqual([expect.stringMatching(/has egress to in-cluster peers .*untrusted runners may reach only the forge/)]);
  });

  it('fails when warm replicas exceed the maximum', () => {
    expect(() => render((p) => new RunnerPool(new TenantNamespace(p, 'u'), 'x', { trustTier: 'trusted', image, resources: SMALL, warmReplicas: 3, maxReplicas: 1, forge }))).toThrow(/need 0 ≤ warmReplicas ≤ maxReplicas/);
  });
});
