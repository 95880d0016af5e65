/**
 * Environment values for containers. Lockstep allows only references to ConfigMaps and Secrets
 * (and the downward API), never literal values: configuration then lives in objects that reviewers
 * see, policies check, and that can change without rebuilding the pod spec. Literal settings go in
 * the workload's `config`, which becomes its ConfigMap.
 */
export class EnvValue {
  static fromConfigMap(configMap: string, key: string, options: { optional?: boolean } = {}): EnvValue {
    return new EnvValue({ configMapKeyRef: { name: configMap, key, ...(options.optional ? { optional: true } : {}) } }, { kind: 'ConfigMap', name: configMap });
  }

  static fromSecret(secret: string, key: string, options: { optional?: boolean } = {}): EnvValue {
    return new EnvValue({ secretKeyRef: { name: secret, key, ...(options.optional ? { optional: true } : {}) } }, { kind: 'Secret', name: secret });
  }

  /** A pod field such as `metadata.name` or `metadata.namespace`. */
  static fromFieldPath(fieldPath: string): EnvValue {
    return new EnvValue({ fieldRef: { fieldPath } });
  }

  private constructor(readonly valueFrom: Record<string, unknown>, readonly source?: { kind: 'ConfigMap' | 'Secret'; name: string }) {}
}

/** A whole ConfigMap or Secret loaded as environment variables. */
export class EnvFrom {
  static configMap(name: string): EnvFrom {
    return new EnvFrom('ConfigMap', name);
  }
  static secret(name: string): EnvFrom {
    return new EnvFrom('Secret', name);
  }
  private constructor(readonly kind: 'ConfigMap' | 'Secret', readonly name: string) {}
  toJson(): Record<string, unknown> {
    return this.kind === 'ConfigMap' ? { configMapRef: { name: this.name } } : { secretRef: { name: this.name } };
  }
}
