/**
 * JSON Schema of `environments/<name>.yaml`. Closed at every level (`additionalProperties: false`)
 * so a misspelled key is an error, not a silently ignored setting.
 */
const quantity = { type: 'string', pattern: '^[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+|[KMGTPE]i?|[mkunEP])?$' };
const amounts = {
  type: 'object',
  additionalProperties: false,
  required: ['cpu', 'memory'],
  properties: { cpu: quantity, memory: quantity },
};
const resources = {
  type: 'object',
  additionalProperties: false,
  required: ['requests', 'limits'],
  properties: { requests: amounts, limits: amounts },
};
const cidr = { type: 'string', pattern: '^(\\d{1,3}\\.){3}\\d{1,3}/\\d{1,2}$' };
const name = { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', maxLength: 63 };
const policyMode = { enum: ['Preview', 'Audit', 'Warn', 'Deny'] };

export const environmentSchema = {
  $id: 'https://lockstep.dev/schemas/environment.json',
  type: 'object',
  additionalProperties: false,
  required: ['apiVersion', 'kind', 'name', 'stage', 'clusters', 'images'],
  properties: {
    apiVersion: { const: 'lockstep.dev/v1alpha1' },
    kind: { const: 'Environment' },
    name,
    stage: { enum: ['dev', 'staging', 'production'] },
    clusters: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'server'],
        properties: {
          name,
          server: { type: 'string', pattern: '^https://' },
          apiServerCidrs: { type: 'array', items: cidr },
        },
      },
    },
    network: {
      type: 'object',
      additionalProperties: false,
      properties: {
        clusterNetworks: { type: 'array', items: cidr },
        externalNamespaces: { type: 'array', items: name },
      },
    },
    images: {
      type: 'object',
      propertyNames: name,
      additionalProperties: { type: 'string', minLength: 1 },
    },
    replicas: {
      type: 'object',
      additionalProperties: false,
      properties: {
        default: { type: 'integer', minimum: 0, maximum: 100 },
        workloads: { type: 'object', propertyNames: name, additionalProperties: { type: 'integer', minimum: 0, maximum: 100 } },
      },
    },
    resources: {
      type: 'object',
      additionalProperties: false,
      properties: {
        workloads: { type: 'object', propertyNames: name, additionalProperties: resources },
      },
    },
    endpoints: { type: 'object', propertyNames: { type: 'string', pattern: '^[a-zA-Z][a-zA-Z0-9]*$' }, additionalProperties: { type: 'string', pattern: '^https://' } },
    egress: { type: 'object', propertyNames: { type: 'string', pattern: '^[a-zA-Z][a-zA-Z0-9]*$' }, additionalProperties: { type: 'array', items: cidr } },
    policies: {
      type: 'object',
      additionalProperties: false,
      properties: {
        defaultMode: policyMode,
        modes: { type: 'object', propertyNames: name, additionalProperties: policyMode },
        legacyClusterPolicy: { type: 'boolean' },
      },
    },
    approvals: {
      type: 'object',
      additionalProperties: false,
      properties: { required: { type: 'integer', minimum: 0, maximum: 10 } },
    },
    audit: {
      type: 'object',
      additionalProperties: false,
      properties: { enabled: { type: 'boolean' }, retentionDays: { type: 'integer', minimum: 1, maximum: 3650 } },
    },
    supplyChain: {
      type: 'object',
      additionalProperties: false,
      properties: {
        sbomAnnotationPrefix: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$' },
        requireSbom: { type: 'boolean' },
        imageSigners: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            properties: {
              publicKey: { type: 'string', pattern: '^[A-Za-z0-9._/-]+\\.pub$' },
              issuer: { type: 'string', pattern: '^https://' },
              subject: { type: 'string', minLength: 1 },
            },
          },
        },
      },
    },
    signing: {
      type: 'object',
      additionalProperties: false,
      properties: {
        trustedKeys: { type: 'array', items: { type: 'string', pattern: '^[A-Za-z0-9._/-]+\\.pub$' } },
        allowDevKey: { type: 'boolean' },
      },
    },
    delivery: {
      type: 'object',
      additionalProperties: false,
      properties: {
        targetRevision: { type: 'string', minLength: 1 },
        manualSync: { type: 'boolean' },
        argocdNamespace: name,
        syncWindows: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['kind', 'schedule', 'duration'],
            properties: {
              kind: { enum: ['allow', 'deny'] },
              schedule: { type: 'string', pattern: '^\\S+( \\S+){4}$' },
              duration: { type: 'string', pattern: '^(\\d+(\\.\\d+)?(ns|us|µs|ms|s|m|h))+$' },
              timeZone: { type: 'string', minLength: 1 },
              manualSync: { type: 'boolean' },
              applications: { type: 'array', items: { type: 'string', minLength: 1 } },
              namespaces: { type: 'array', items: { type: 'string', minLength: 1 } },
              clusters: { type: 'array', items: { type: 'string', minLength: 1 } },
              description: { type: 'string' },
            },
          },
        },
      },
    },
    promotion: {
      type: 'object',
      additionalProperties: false,
      required: ['from'],
      properties: {
        from: name,
        skew: { type: 'array', items: { enum: ['clusters', 'network', 'replicas', 'resources', 'endpoints', 'egress', 'policies', 'approvals', 'audit', 'supplyChain', 'signing', 'delivery'] } },
      },
    },
  },
} as const;
