/** A small repository with one rendered environment, built in a temp dir for the release tests. */
import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const COMMIT = 'a'.repeat(40);
export const IMAGE = `ghcr.io/acme/api@sha256:${'1'.repeat(64)}`;
export const SIDECAR = `ghcr.io/acme/proxy@sha256:${'2'.repeat(64)}`;
export const SBOM_PATH = `sboms/ghcr.io/acme/api/sha256-${'1'.repeat(64)}.spdx.json`;
export const SIDECAR_SBOM_PATH = `sboms/ghcr.io/acme/proxy/sha256-${'2'.repeat(64)}.spdx.json`;
export const SBOM_BYTES = '{"spdxVersion":"SPDX-2.3","packages":[]}\n';
export const SIDECAR_SBOM_BYTES = '{"spdxVersion":"SPDX-2.3","packages":[{"name":"envoy"}]}\n';

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function write(root: string, rel: string, content: string): void {
  mkdirSync(dirname(join(root, rel)), { recursive: true });
  writeFileSync(join(root, rel), content);
}

function environment(name: string, stage: string, signing: string): string {
  return [
    'apiVersion: lockstep.dev/v1alpha1',
    'kind: Environment',
    `name: ${name}`,
    `stage: ${stage}`,
    'clusters:',
    `  - name: ${name}-1`,
    '    server: https://k8s.example.internal:6443',
    'images:',
    `  api: ${IMAGE}`,
    'supplyChain:',
    '  sbomAnnotationPrefix: example.dev',
    '  requireSbom: true',
    signing,
    '',
  ].join('\n');
}

export function deployment(annotations: Record<string, string>): string {
  const ann = Object.entries(annotations).map(([k, v]) => `        ${k}: "${v}"`).join('\n');
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: api',
    '  namespace: shop',
    'spec:',
    '  template:',
    '    metadata:',
    ...(ann ? ['      annotations:', ann] : []),
    '    spec:',
    '      containers:',
    '        - name: api',
    `          image: ${IMAGE}`,
    '        - name: proxy',
    `          image: ${SIDECAR}`,
    '',
  ].join('\n');
}

export const GOOD_ANNOTATIONS = {
  'example.dev/sbom-sha256': sha256(SBOM_BYTES),
  'example.dev/sbom-sha256.api': sha256(SBOM_BYTES),
  'example.dev/sbom-sha256.proxy': sha256(SIDECAR_SBOM_BYTES),
};

export function imagesJson(env: string): string {
  return `${JSON.stringify(
    {
      environment: env,
      images: [
        { image: IMAGE, sbom: { path: SBOM_PATH, sha256: sha256(SBOM_BYTES), format: 'spdx-json', specVersion: '2.3', packageCount: 0 }, workloads: ['Deployment shop/api'] },
        { image: SIDECAR, sbom: { path: SIDECAR_SBOM_PATH, sha256: sha256(SIDECAR_SBOM_BYTES), format: 'spdx-json', specVersion: '2.3', packageCount: 1 }, workloads: ['Deployment shop/api'] },
      ],
    },
    null,
    2,
  )}\n`;
}

/** A repository with environments dev (dev key allowed) and staging (trusts keys/release.pub). */
export function makeRepo(): { root: string; releasePrivatePem: string; releasePublicPem: string } {
  const root = mkdtempSync(join(tmpdir(), 'lockstep-release-'));
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const releasePrivatePem = String(privateKey.export({ type: 'pkcs8', format: 'pem' }));
  const releasePublicPem = String(publicKey.export({ type: 'spki', format: 'pem' }));
  write(root, 'keys/release.pub', releasePublicPem);
  write(root, 'environments/dev.yaml', environment('dev', 'dev', 'signing:\n  allowDevKey: true'));
  write(root, 'environments/staging.yaml', environment('staging', 'staging', 'signing:\n  trustedKeys: [keys/release.pub]'));
  write(root, 'environments/images.lock.yaml', 'apiVersion: lockstep.dev/v1alpha1\nkind: ImagesLock\nimages: []\n');
  write(root, SBOM_PATH, SBOM_BYTES);
  write(root, SIDECAR_SBOM_PATH, SIDECAR_SBOM_BYTES);
  for (const env of ['dev', 'staging']) {
    write(root, `dist/${env}/manifests/shop/deployment_api.yaml`, deployment(GOOD_ANNOTATIONS));
    write(root, `dist/${env}/manifests/shop/service_api.yaml`, 'apiVersion: v1\nkind: Service\nmetadata:\n  name: api\n  namespace: shop\n');
    write(root, `dist/${env}/manifests/_cluster/namespace_shop.yaml`, 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n');
    write(root, `dist/${env}/objects.json`, '{"objects":[]}\n');
    write(root, `dist/${env}/images.json`, imagesJson(env));
  }
  return { root, releasePrivatePem, releasePublicPem };
}
