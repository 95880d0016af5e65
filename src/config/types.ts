/** The stages an environment can be. Each has fixed rules: dev may use tags, staging and production need digests. */
export type Stage = 'dev' | 'staging' | 'production';

export type PolicyMode = 'Preview' | 'Audit' | 'Warn' | 'Deny';

export interface ResourceAmounts {
  readonly cpu: string;
  readonly memory: string;
}

export interface ResourcesConfig {
  readonly requests: ResourceAmounts;
  readonly limits: ResourceAmounts;
}

export interface ClusterConfig {
  readonly name: string;
  readonly server: string;
  /** Control-plane endpoint addresses, for operator egress. */
  readonly apiServerCidrs: readonly string[];
}

export interface ImageSigner {
  readonly publicKey?: string;
  readonly issuer?: string;
  readonly subject?: string;
}

/** A validated, frozen environment (`environments/<name>.yaml`). */
export interface EnvironmentConfig {
  readonly apiVersion: 'lockstep.dev/v1alpha1';
  readonly kind: 'Environment';
  readonly name: string;
  readonly stage: Stage;
  readonly clusters: readonly ClusterConfig[];
  readonly network: {
    readonly clusterNetworks?: readonly string[];
    readonly externalNamespaces?: readonly string[];
  };
  /** Logical image name → reference (`repo:tag`, `repo@sha256:…` or `repo:tag@sha256:…`). */
  readonly images: Readonly<Record<string, string>>;
  readonly replicas: {
    readonly default: number;
    readonly workloads: Readonly<Record<string, number>>;
  };
  readonly resources: {
    readonly workloads: Readonly<Record<string, ResourcesConfig>>;
  };
  readonly endpoints: Readonly<Record<string, string>>;
  readonly egress: Readonly<Record<string, readonly string[]>>;
  readonly policies: {
    readonly defaultMode: PolicyMode;
    readonly modes: Readonly<Record<string, PolicyMode>>;
    readonly legacyClusterPolicy: boolean;
  };
  readonly approvals: {
    readonly required: number;
  };
  readonly audit: {
    readonly enabled: boolean;
    readonly retentionDays: number;
  };
  readonly supplyChain: {
    /** Annotation prefix for SBOM data on workloads, e.g. `tk8s.io` gives `tk8s.io/sbom-sha256`. */
    readonly sbomAnnotationPrefix: string;
    readonly requireSbom: boolean;
    /** Who signs the container images: a cosign public key (repository path) or a keyless identity. */
    readonly imageSigners: readonly ImageSigner[];
  };
  readonly signing: {
    /** Repository paths of the public keys a release of this environment may be signed with. */
    readonly trustedKeys: readonly string[];
    /** Accept the local development key generated on first use (never in staging or production). */
    readonly allowDevKey: boolean;
  };
  /** Argo CD delivery settings (see src/delivery/argocd/settings.ts for defaults). */
  readonly delivery?: {
    readonly targetRevision?: string;
    readonly manualSync?: boolean;
    readonly argocdNamespace?: string;
    readonly syncWindows?: readonly Record<string, unknown>[];
  };
  readonly promotion?: {
    readonly from: string;
    /** Top-level keys this environment may set differently from `from`. */
    readonly skew: readonly string[];
  };
}

/** An environment together with where it came from. */
export interface LoadedEnvironment {
  readonly config: EnvironmentConfig;
  /** Repository-relative path of the file. */
  readonly file: string;
  /** sha256 of the file bytes. */
  readonly sha256: string;
  /**
   * Image references as the platform uses them: `registry/repo@sha256:…` when pinned (inline or
   * through the image lock), the written tag otherwise (dev only).
   */
  readonly images: Readonly<Record<string, string>>;
  /** The image lock the pins came from, when there is one. */
  readonly imagesLock?: { readonly file: string; readonly sha256: string };
  /** The environment's promotion lock (`environments/<env>.lock.yaml`), when it has one. */
  readonly environmentLock?: { readonly file: string; readonly sha256: string; readonly releaseId: string };
}
