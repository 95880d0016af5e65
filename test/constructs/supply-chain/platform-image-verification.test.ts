import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { parseEnvironment } from '../../../src/config/load.ts';
import { EnvironmentContext } from '../../../src/platform/context.ts';
import { imageReferenceGlobs, imageVerification, publicKeysFromRoot } from '../../../src/platform/image-verification.ts';

const PEM = String(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }));
const DIGEST = `sha256:${'1'.repeat(64)}`;

function ctx(extra: string, stage = 'staging'): EnvironmentContext {
  const yaml = [
    'apiVersion: lockstep.dev/v1alpha1',
    'kind: Environment',
    `name: ${stage}`,
    `stage: ${stage}`,
    'clusters: [{ name: c, server: "https://k8s.example.internal:6443" }]',
    'images:',
    `  api: ghcr.io/acme/api:1.2@${DIGEST}`,
    `  worker: ghcr.io/acme/worker@${DIGEST}`,
    extra,
  ].join('\n');
  return new EnvironmentContext(parseEnvironment(yaml, `environments/${stage}.yaml`), `environments/${stage}.yaml`);
}

function repoWithKey(): string {
  const root = mkdtempSync(join(tmpdir(), 'lockstep-iv-'));
  mkdirSync(join(root, 'keys'));
  writeFileSync(join(root, 'keys/images.pub'), PEM);
  return root;
}

describe('imageVerification', () => {
  it('adds no policy when the environment lists no image signers', () => {
    const chart = new Chart(new App(), 'staging');
    expect(imageVerification(chart, ctx(''), { readPublicKey: () => PEM })).toBeUndefined();
    expect(chart.toJson()).toEqual([]);
  });

  it('builds the policy from the environment signers, images, mode and SBOM requirement', () => {
    const chart = new Chart(new App(), 'staging');
    const c = ctx('supplyChain:\n  requireSbom: true\n  imageSigners:\n    - publicKey: keys/images.pub\n    - issuer: https://token.actions.githubusercontent.com\n      subject: https://github.com/acme/app/.github/workflows/build.yml@refs/heads/main\npolicies:\n  defaultMode: Audit\n  modes:\n    verify-image-signatures: Deny');
    imageVerification(chart, c, { readPublicKey: publicKeysFromRoot(repoWithKey()) });
    const [policy] = chart.toJson();
    expect(policy.spec).toMatchObject({
      validationActions: ['Deny'],
      matchImageReferences: [{ glob: 'ghcr.io/acme/api:*' }, { glob: 'ghcr.io/acme/api@*' }, { glob: 'ghcr.io/acme/worker:*' }, { glob: 'ghcr.io/acme/worker@*' }],
      validationConfigurations: { verifyDigest: true },
      attestors: [{ cosign: { key: { data: PEM } } }, { cosign: { keyless: { identities: [{ issuer: 'https://token.actions.githubusercontent.com' }] } } }],
    });
    expect(policy.spec.attestations).toHaveLength(2);
  });

  it('renders the legacy ClusterPolicy with one SBOM predicate when the environment asks for it', () => {
    const chart = new Chart(new App(), 'staging');
    imageVerification(chart, ctx('supplyChain:\n  imageSigners:\n    - publicKey: keys/images.pub\npolicies:\n  legacyClusterPolicy: true'), { readPublicKey: () => PEM, legacySbomPredicate: 'cyclonedx' });
    const kinds = chart.toJson().map((o: { kind: string }) => o.kind);
    expect(kinds).toEqual(['ImageValidatingPolicy', 'ClusterPolicy']);
    expect(chart.toJson()[0].spec.attestations).toBeUndefined(); // requireSbom defaults to false
  });

  it('allows tags in dev', () => {
    const chart = new Chart(new App(), 'dev');
    imageVerification(chart, ctx('supplyChain:\n  imageSigners:\n    - publicKey: keys/images.pub', 'dev'), { readPublicKey: () => PEM });
    expect(chart.toJson()[0].spec.validationConfigurations.verifyDigest).toBe(false);
  });

  it('fails when a signer key file cannot be read, naming the environment pointer', () => {
    const chart = new Chart(new App(), 'staging');
    expect(() => imageVerification(chart, ctx('supplyChain:\n  imageSigners:\n    - publicKey: keys/missing.pub'), { readPublicKey: publicKeysFromRoot(repoWithKey()) })).toThrow(
      /environments\/staging\.yaml: \/supplyChain\/imageSigners\/0\/publicKey: cannot read image signer key keys\/missing\.pub \(ENOENT\)/,
    );
  });

  it('fails when a signer has neither a key nor a full identity', () => {
    const chart = new Chart(new App(), 'staging');
    expect(() => imageVerification(chart, ctx('supplyChain:\n  imageSigners:\n    - issuer: https://issuer.example'), { readPublicKey: () => PEM })).toThrow(
      /environments\/staging\.yaml: \/supplyChain\/imageSigners\/0: an image signer needs publicKey, or issuer and subject/,
    );
  });
});

describe('imageReferenceGlobs', () => {
  it('lists each repository once, by tag and by digest', () => {
    expect(imageReferenceGlobs({ a: 'nginx:1.27', b: `nginx@${DIGEST}` })).toEqual(['docker.io/library/nginx:*', 'docker.io/library/nginx@*']);
  });
});
