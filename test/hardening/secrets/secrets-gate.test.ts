import { describe, expect, it } from 'vitest';
import { defaultGates } from '../../../src/gates/index.ts';
import { checkNoSecrets } from '../../../src/gates/secrets.ts';
import type { Rendering } from '../../../src/synth/render.ts';

const SECRET_VALUE = 'c3VwZXItc2VjcmV0LXRva2Vu';
const PEM = '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----\n';

function secret(extra: Record<string, unknown>) {
  return { json: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'tenant-a' }, ...extra }, path: 'manifests/tenant-a/secret_db.yaml', constructPath: 'platform/tenant-a/db' };
}

describe('checkNoSecrets', () => {
  it('fails when a Secret carries data, naming the keys but never the values', () => {
    const [p, ...rest] = checkNoSecrets([secret({ data: { password: SECRET_VALUE, user: 'YWRtaW4=' } })]);
    expect(rest).toEqual([]);
    expect(p).toMatchObject({
      file: 'manifests/tenant-a/secret_db.yaml',
      constructPath: 'platform/tenant-a/db',
      code: 'secrets/no-secret-objects',
      message: 'Secret tenant-a/db would commit secret data (keys password, user) to dist/ and every release',
    });
    expect(p!.fix).toMatch(/ExternalSecret .*SealedSecret.*secretKeyRef/);
    expect(JSON.stringify(p)).not.toContain(SECRET_VALUE);
  });

  it('fails when a Secret carries stringData', () => {
    const problems = checkNoSecrets([secret({ stringData: { token: 'plain-text-token' } })]);
    expect(problems.map((p) => p.message)).toEqual(['Secret tenant-a/db would commit secret data (keys token) to dist/ and every release']);
    expect(JSON.stringify(problems)).not.toContain('plain-text-token');
  });

  it('fails when a Secret has no data at all', () => {
    expect(checkNoSecrets([secret({ type: 'Opaque' })]).map((p) => p.message)).toEqual(['Secret tenant-a/db is rendered; Lockstep renders no Secret objects, with or without data']);
  });

  it('fails when a ConfigMap holds a PEM private key, pointing at the field without echoing it', () => {
    const cm = { json: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'tls', namespace: 'tenant-a' }, data: { 'tls.key': PEM, 'ca.crt': '-----BEGIN CERTIFICATE-----' } }, path: 'manifests/tenant-a/configmap_tls.yaml' };
    const problems = checkNoSecrets([cm]);
    expect(problems).toEqual([
      {
        file: 'manifests/tenant-a/configmap_tls.yaml',
        pointer: '/data/tls.key',
        code: 'secrets/private-key',
        message: 'ConfigMap tenant-a/tls contains a PEM private key',
        fix: 'never render key material: mount it from a Secret created in the cluster (ExternalSecrets or SealedSecrets)',
      },
    ]);
    expect(JSON.stringify(problems)).not.toContain('MIGHAgEA');
  });

  it('fails when an encrypted cosign key hides in an env value of a Deployment', () => {
    const env = [{ name: 'KEY', value: '-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nabc\n' }];
    const deploy = { json: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'a' }, spec: { template: { spec: { containers: [{ name: 'c', env }] } } } } };
    expect(checkNoSecrets([deploy]).map((p) => p.pointer)).toEqual(['/spec/template/spec/containers/0/env/0/value']);
  });

  it('passes workloads that reference a Secret by name', () => {
    const env = [{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }];
    const deploy = { json: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'a' }, spec: { template: { spec: { containers: [{ name: 'c', env }], volumes: [{ name: 'tls', secret: { secretName: 'tls' } }] } } } } };
    const external = { json: { apiVersion: 'external-secrets.io/v1beta1', kind: 'ExternalSecret', metadata: { name: 'db', namespace: 'a' }, spec: { secretStoreRef: { name: 'vault' } } } };
    expect(checkNoSecrets([deploy, external])).toEqual([]);
  });

  it('runs as one of the default synth gates', () => {
    const rendering = { objects: [secret({ data: { password: SECRET_VALUE } })] } as unknown as Rendering;
    const problems = defaultGates().flatMap((gate) => gate(rendering));
    expect(problems.map((p) => p.code)).toContain('secrets/no-secret-objects');
  });
});
