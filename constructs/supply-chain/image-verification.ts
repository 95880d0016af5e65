/**
 * Admission-side image verification: Kyverno checks, before a Pod runs, that each of its images is
 * signed by one of the platform's image signers and carries a signed SBOM attestation (SPDX or
 * CycloneDX in-toto predicate).
 *
 * Rendered as an `ImageValidatingPolicy` (`policies.kyverno.io/v1`, CEL) and, on request, as a
 * legacy `ClusterPolicy` with `verifyImages` for clusters on older Kyverno.
 *
 * Signature format (supply-chain reference §7.4): cosign v3 stores signatures and attestations as
 * Sigstore bundles in OCI referrers (`SigstoreBundle`); older cosign, or v3 with
 * `--new-bundle-format=false`, uses `.sig`/`.att` tags (`Cosign`). The ImageValidatingPolicy
 * detects the format itself; the ClusterPolicy must be told (`verifyImages[].type`), so the
 * construct takes the format as a prop and uses it there.
 *
 * Key signers are verified without a transparency log (`insecureIgnoreTlog`), the locked key-only
 * flow Lockstep signs with; keyless signers need Rekor and Fulcio, so their log is checked.
 * Tags are never rewritten to digests at admission (`mutateDigest: false`): a GitOps controller
 * would see the mutation as drift. Manifests are pinned at synth instead.
 */
import { Construct } from 'constructs';
import { KubeObject } from '../core/kube-object.ts';
import { failureActionFor, validationActionsFor, type PolicyMode } from '../policy/mode.ts';

/** Who signs the images: a cosign public key (PEM), or a keyless OIDC identity. */
export interface KeyImageSigner {
  /** SPKI `PUBLIC KEY` PEM (the content of cosign.pub). */
  readonly publicKeyPem: string;
  /** Shown in policy messages. */
  readonly name?: string;
}

export interface KeylessImageSigner {
  /** OIDC issuer, e.g. `https://token.actions.githubusercontent.com`. */
  readonly issuer: string;
  /** Certificate identity, e.g. the workflow `https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main`. */
  readonly subject: string;
  readonly name?: string;
}

export type ImageSigner = KeyImageSigner | KeylessImageSigner;

export type ImageSignatureFormat = 'Cosign' | 'SigstoreBundle';

export type SbomPredicate = 'spdx' | 'cyclonedx';

/** The predicate types cosign writes for `--type spdxjson` and `--type cyclonedx` (Kyverno matches them exactly). */
export const SBOM_PREDICATE_TYPES: Readonly<Record<SbomPredicate, string>> = {
  spdx: 'https://spdx.dev/Document',
  cyclonedx: 'https://cyclonedx.org/bom',
};

export const PUBLIC_REKOR_URL = 'https://rekor.sigstore.dev';

export interface ImageVerificationProps {
  /** At least one signer; an image signed by any of them passes. */
  readonly signers: readonly ImageSigner[];
  /**
   * Image reference globs the policy applies to, e.g. `ghcr.io/acme/api:*` and `ghcr.io/acme/api@*`.
   * Images that match none are not checked.
   */
  readonly imageReferences: readonly string[];
  /**
   * How the images are signed. Only the legacy ClusterPolicy uses it (the ImageValidatingPolicy
   * detects the format).
   * @default 'SigstoreBundle' (cosign v3's default)
   */
  readonly signatureFormat?: ImageSignatureFormat;
  /**
   * Require a signed SBOM attestation besides the signature.
   * @default true
   */
  readonly requireSbomAttestation?: boolean;
  /**
   * SBOM predicate types accepted: an image passes with an attestation of any of them. A legacy
   * ClusterPolicy can require only one type (its attestations are all required), so with
   * `legacyClusterPolicy` exactly one must be given.
   * @default ['spdx', 'cyclonedx']
   */
  readonly sbomPredicates?: readonly SbomPredicate[];
  /**
   * Refuse image references without a digest (`verifyDigest`). Turn off only where tags are
   * allowed (dev), which means the checked signature may not be of the image that later runs.
   * @default true
   */
  readonly requireDigest?: boolean;
  /** Rollout mode. @default 'Audit' */
  readonly mode?: PolicyMode;
  /** Also render a `kyverno.io/v1` ClusterPolicy with `verifyImages`. @default false */
  readonly legacyClusterPolicy?: boolean;
  /** Policy name. @default 'verify-image-signatures' */
  readonly policyName?: string;
  /** Rekor for keyless signers. @default PUBLIC_REKOR_URL */
  readonly rekorUrl?: string;
}

function isKeySigner(s: ImageSigner): s is KeyImageSigner {
  return 'publicKeyPem' in s;
}

/** A CEL-safe attestor name: `signer0`, `signer1`, … (names are read as `attestors.<name>`). */
function attestorName(i: number): string {
  return `signer${i}`;
}

export class ImageVerification extends Construct {
  readonly policy: KubeObject;
  readonly clusterPolicy?: KubeObject;
  private readonly props: Required<Omit<ImageVerificationProps, 'signers' | 'imageReferences'>> & Pick<ImageVerificationProps, 'signers' | 'imageReferences'>;

  constructor(scope: Construct, id: string, props: ImageVerificationProps) {
    super(scope, id);
    if (props.signers.length === 0) throw new Error(`${this.node.path}: ImageVerification needs at least one signer (publicKeyPem, or issuer and subject)`);
    props.signers.forEach((s, i) => {
      if (isKeySigner(s)) {
        if (!/-----BEGIN PUBLIC KEY-----[\s\S]+-----END PUBLIC KEY-----/.test(s.publicKeyPem)) {
          throw new Error(`${this.node.path}: signer ${i} publicKeyPem is not a PEM "PUBLIC KEY" block, got ${JSON.stringify(s.publicKeyPem.slice(0, 30))}…; pass the content of the cosign .pub file`);
        }
      } else if (!s.issuer || !s.subject) {
        throw new Error(`${this.node.path}: signer ${i} needs both issuer and subject for keyless verification, got issuer ${JSON.stringify(s.issuer)} and subject ${JSON.stringify(s.subject)}`);
      }
    });
    if (props.imageReferences.length === 0) throw new Error(`${this.node.path}: ImageVerification needs at least one image reference glob, e.g. "ghcr.io/acme/*"`);
    const sbomPredicates = [...new Set(props.sbomPredicates ?? (['spdx', 'cyclonedx'] as const))];
    if (sbomPredicates.length === 0) throw new Error(`${this.node.path}: sbomPredicates is empty; pass ['spdx'], ['cyclonedx'] or both, or requireSbomAttestation: false`);
    const requireSbomAttestation = props.requireSbomAttestation ?? true;
    if (props.legacyClusterPolicy && requireSbomAttestation && sbomPredicates.length !== 1) {
      throw new Error(`${this.node.path}: a legacy ClusterPolicy requires every attestation it lists, so it cannot accept "any of" ${sbomPredicates.join(', ')}; pass sbomPredicates: ['spdx'] or ['cyclonedx']`);
    }
    this.props = {
      signers: props.signers,
      imageReferences: props.imageReferences,
      signatureFormat: props.signatureFormat ?? 'SigstoreBundle',
      requireSbomAttestation,
      sbomPredicates,
      requireDigest: props.requireDigest ?? true,
      mode: props.mode ?? 'Audit',
      legacyClusterPolicy: props.legacyClusterPolicy ?? false,
      policyName: props.policyName ?? 'verify-image-signatures',
      rekorUrl: props.rekorUrl ?? PUBLIC_REKOR_URL,
    };
    const labels = { 'app.kubernetes.io/managed-by': 'lockstep' };
    const annotations = { 'lockstep.dev/policy-mode': this.props.mode };
    this.policy = new KubeObject(this, 'Policy', {
      apiVersion: 'policies.kyverno.io/v1',
      kind: 'ImageValidatingPolicy',
      name: this.props.policyName,
      labels,
      annotations,
      body: () => ({ spec: this.imageValidatingPolicySpec() }),
    });
    if (this.props.legacyClusterPolicy) {
      this.clusterPolicy = new KubeObject(this, 'ClusterPolicy', {
        apiVersion: 'kyverno.io/v1',
        kind: 'ClusterPolicy',
        name: this.props.policyName,
        labels,
        annotations,
        body: () => ({ spec: this.clusterPolicySpec() }),
      });
    }
  }

  private cosignAttestor(s: ImageSigner): Record<string, unknown> {
    if (isKeySigner(s)) {
      return { key: { data: s.publicKeyPem, hashAlgorithm: 'sha256' }, ctlog: { insecureIgnoreTlog: true, insecureIgnoreSCT: true } };
    }
    return { keyless: { identities: [{ issuer: s.issuer, subject: s.subject }] }, ctlog: { url: this.props.rekorUrl } };
  }

  private imageValidatingPolicySpec(): Record<string, unknown> {
    const p = this.props;
    const attestors = p.signers.map((s, i) => ({ name: attestorName(i), cosign: this.cosignAttestor(s) }));
    const list = `[${attestors.map((a) => `attestors.${a.name}`).join(', ')}]`;
    const validations: Record<string, unknown>[] = [
      {
        expression: `images.containers.map(image, verifyImageSignatures(image, ${list})).all(e, e > 0)`,
        message: `every image must be signed by one of: ${p.signers.map(describeSigner).join('; ')}`,
      },
    ];
    const attestations = p.requireSbomAttestation ? p.sbomPredicates.map((t) => ({ name: t, intoto: { type: SBOM_PREDICATE_TYPES[t] } })) : [];
    if (p.requireSbomAttestation) {
      // `||` in CEL is true when either side is, even if the other errors (attestation not found).
      const anyOf = attestations.map((a) => `verifyAttestationSignatures(image, attestations.${a.name}, ${list}) > 0`).join(' || ');
      validations.push({
        expression: `images.containers.map(image, ${anyOf}).all(e, e)`,
        message: `every image must carry an SBOM attestation (${attestations.map((a) => a.intoto.type).join(' or ')}) signed by one of the image signers`,
      });
    }
    return {
      validationActions: validationActionsFor(p.mode),
      failurePolicy: 'Fail',
      webhookConfiguration: { timeoutSeconds: 30 },
      evaluation: { background: { enabled: false } },
      matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['pods'] }] },
      matchImageReferences: p.imageReferences.map((glob) => ({ glob })),
      validationConfigurations: { mutateDigest: false, verifyDigest: p.requireDigest, required: true },
      attestors,
      ...(attestations.length > 0 ? { attestations } : {}),
      validations,
    };
  }

  private legacyAttestors(): Record<string, unknown>[] {
    return [
      {
        count: 1,
        entries: this.props.signers.map((s) =>
          isKeySigner(s)
            ? { keys: { publicKeys: s.publicKeyPem, signatureAlgorithm: 'sha256', rekor: { url: this.props.rekorUrl, ignoreTlog: true }, ctlog: { ignoreSCT: true } } }
            : { keyless: { issuer: s.issuer, subject: s.subject, rekor: { url: this.props.rekorUrl } } },
        ),
      },
    ];
  }

  private clusterPolicySpec(): Record<string, unknown> {
    const p = this.props;
    const base = {
      type: p.signatureFormat,
      imageReferences: [...p.imageReferences],
      failureAction: failureActionFor(p.mode),
      mutateDigest: false,
      verifyDigest: p.requireDigest,
      required: true,
    };
    const match = { any: [{ resources: { kinds: ['Pod'] } }] };
    // One verifyImages entry checks signatures or attestations, not both: two rules.
    const rules: Record<string, unknown>[] = [{ name: 'image-signed', match, verifyImages: [{ ...base, attestors: this.legacyAttestors() }] }];
    if (p.requireSbomAttestation) {
      rules.push({ name: 'sbom-attested', match, verifyImages: [{ ...base, attestations: [{ type: SBOM_PREDICATE_TYPES[p.sbomPredicates[0]!], attestors: this.legacyAttestors() }] }] });
    }
    return {
      background: false,
      ...(p.mode === 'Warn' ? { emitWarning: true } : {}),
      webhookConfiguration: { failurePolicy: 'Fail', timeoutSeconds: 30 },
      rules,
    };
  }
}

function describeSigner(s: ImageSigner): string {
  if (s.name) return s.name;
  return isKeySigner(s) ? 'a cosign public key' : `${s.subject} (issuer ${s.issuer})`;
}
