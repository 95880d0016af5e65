import { generateKeyPairSync } from 'node:crypto';
import { App, Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { ImageVerification, SBOM_PREDICATE_TYPES, type ImageVerificationProps } from '../../../constructs/supply-chain/image-verification.ts';

const PEM = String(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }));
const REFS = ['ghcr.io/acme/api:*', 'ghcr.io/acme/api@*'];

function render(props: Partial<ImageVerificationProps> = {}): Record<string, any>[] {
  const chart = new Chart(new App(), 'test');
  new ImageVerification(chart, 'iv', { signers: [{ publicKeyPem: PEM, name: 'keys/images.pub' }], imageReferences: REFS, ...props });
  return chart.toJson();
}

describe('ImageVerification', () => {
  it('renders an ImageValidatingPolicy requiring a key signature and an SPDX or CycloneDX attestation', () => {
    const [policy, ...rest] = render();
    expect(rest).toEqual([]);
    expect(policy).toMatchObject({ apiVersion: 'policies.kyverno.io/v1', kind: 'ImageValidatingPolicy', metadata: { name: 'verify-image-signatures' } });
    expect(policy!.spec).toMatchObject({
      validationActions: ['Audit'],
      failurePolicy: 'Fail',
      matchConstraints: { resourceRules: [{ resources: ['pods'], operations: ['CREATE', 'UPDATE'] }] },
      matchImageReferences: [{ glob: 'ghcr.io/acme/api:*' }, { glob: 'ghcr.io/acme/api@*' }],
      validationConfigurations: { mutateDigest: false, verifyDigest: true, required: true },
      attestors: [{ name: 'signer0', cosign: { key: { data: PEM }, ctlog: { insecureIgnoreTlog: true, insecureIgnoreSCT: true } } }],
      attestations: [
        { name: 'spdx', intoto: { type: 'https://spdx.dev/Document' } },
        { name: 'cyclonedx', intoto: { type: 'https://cyclonedx.org/bom' } },
      ],
    });
    const [signature, sbom] = policy!.spec.validations;
    expect(signature.expression).toBe('images.containers.map(image, verifyImageSignatures(image, [attestors.signer0])).all(e, e > 0)');
    expect(signature.message).toContain('keys/images.pub');
    expect(sbom.expression).toBe(
      'images.containers.map(image, verifyAttestationSignatures(image, attestations.spdx, [attestors.signer0]) > 0 || verifyAttestationSignatures(image, attestations.cyclonedx, [attestors.signer0]) > 0).all(e, e)',
    );
  });

  it('checks keyless signers against Rekor with their issuer and subject', () => {
    const [policy] = render({ signers: [{ issuer: 'https://token.actions.githubusercontent.com', subject: 'https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main' }, { publicKeyPem: PEM }] });
    expect(policy!.spec.attestors).toEqual([
      { name: 'signer0', cosign: { keyless: { identities: [{ issuer: 'https://token.actions.githubusercontent.com', subject: 'https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main' }] }, ctlog: { url: 'https://rekor.sigstore.dev' } } },
      expect.objectContaining({ name: 'signer1' }),
    ]);
    expect(policy!.spec.validations[0].expression).toContain('[attestors.signer0, attestors.signer1]');
  });

  it('maps the rollout mode and can drop the SBOM requirement and the digest check', () => {
    const [policy] = render({ mode: 'Deny', requireSbomAttestation: false, requireDigest: false });
    expect(policy!.spec.validationActions).toEqual(['Deny']);
    expect(policy!.spec.attestations).toBeUndefined();
    expect(policy!.spec.validations).toHaveLength(1);
    expect(policy!.spec.validationConfigurations.verifyDigest).toBe(false);
  });

  it('renders a legacy ClusterPolicy in the signature format the images use', () => {
    const [, cpol] = render({ legacyClusterPolicy: true, signatureFormat: 'Cosign', sbomPredicates: ['cyclonedx'], mode: 'Deny' });
    expect(cpol).toMatchObject({ apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', spec: { background: false } });
    const [signed, attested] = cpol!.spec.rules;
    expect(signed).toMatchObject({
      name: 'image-signed',
      match: { any: [{ resources: { kinds: ['Pod'] } }] },
      verifyImages: [{ type: 'Cosign', imageReferences: REFS, failureAction: 'Enforce', mutateDigest: false, verifyDigest: true, attestors: [{ count: 1, entries: [{ keys: { publicKeys: PEM, rekor: { ignoreTlog: true }, ctlog: { ignoreSCT: true } } }] }] }],
    });
    expect(attested.verifyImages[0].attestations).toEqual([{ type: SBOM_PREDICATE_TYPES.cyclonedx, attestors: signed.verifyImages[0].attestors }]);
    const [, bundle] = render({ legacyClusterPolicy: true, sbomPredicates: ['spdx'] });
    expect(bundle!.spec.rules[0].verifyImages[0].type).toBe('SigstoreBundle');
  });

  it('fails when there is no signer', () => {
    expect(() => render({ signers: [] })).toThrow(/test\/iv: ImageVerification needs at least one signer/);
  });

  it('fails when a public key is not PEM', () => {
    expect(() => render({ signers: [{ publicKeyPem: 'keys/images.pub' }] })).toThrow(/signer 0 publicKeyPem is not a PEM "PUBLIC KEY" block, got "keys\/images.pub"…; pass the content of the cosign .pub file/);
  });

  it('fails when a keyless signer lacks its subject', () => {
    expect(() => render({ signers: [{ issuer: 'https://issuer', subject: '' }] })).toThrow(/signer 0 needs both issuer and subject for keyless verification/);
  });

  it('fails when no image reference is given', () => {
    expect(() => render({ imageReferences: [] })).toThrow(/needs at least one image reference glob/);
  });

  it('fails when no SBOM predicate is accepted', () => {
    expect(() => render({ sbomPredicates: [] })).toThrow(/sbomPredicates is empty/);
  });

  it('fails when a legacy ClusterPolicy would have to accept either SBOM type', () => {
    expect(() => render({ legacyClusterPolicy: true })).toThrow(/a legacy ClusterPolicy requires every attestation it lists, so it cannot accept "any of" spdx, cyclonedx/);
  });
});
