import { beforeAll, describe, expect, it } from 'vitest';
import { createSchemaValidator, type SchemaValidator } from '../../../src/gates/schema/validator.ts';
import { formatProblem } from '../../../src/util/errors.ts';

const podSpec = () => ({
  securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
  containers: [
    {
      name: 'app',
      image: 'ghcr.io/acme/app@sha256:' + 'a'.repeat(64),
      imagePullPolicy: 'IfNotPresent',
      ports: [{ containerPort: 8080, name: 'http', protocol: 'TCP' }],
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: 1, memory: '256Mi' } },
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true },
      livenessProbe: { httpGet: { path: '/healthz', port: 'http' } },
    },
  ],
});
const template = () => ({ metadata: { labels: { app: 'web' } }, spec: podSpec() });
const meta = (name: string, namespace?: string) => ({ name, ...(namespace ? { namespace } : {}) });

const deployment = (): Record<string, any> => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { ...meta('web', 'prod'), labels: { 'app.kubernetes.io/name': 'web' }, annotations: { 'example.com/any-key': 'x' } },
  spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: template() },
});

/** One minimal valid object per kind the gate must cover. */
const validObjects: Record<string, Record<string, unknown>> = {
  Namespace: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'prod', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } },
  ServiceAccount: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta('agent', 'prod'), automountServiceAccountToken: false },
  ConfigMap: { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('cfg', 'prod'), data: { 'app.yaml': 'a: 1' }, binaryData: { blob: 'aGVsbG8=' } },
  Secret: { apiVersion: 'v1', kind: 'Secret', metadata: meta('s', 'prod'), type: 'Opaque', data: { token: 'aGVsbG8=' }, stringData: { plain: 'text' } },
  Service: { apiVersion: 'v1', kind: 'Service', metadata: meta('web', 'prod'), spec: { type: 'ClusterIP', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }, { port: 81, targetPort: 8081 }] } },
  Deployment: deployment(),
  StatefulSet: {
    apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: meta('db', 'prod'),
    spec: { serviceName: 'db', selector: { matchLabels: { app: 'web' } }, template: template(),
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }] },
  },
  DaemonSet: { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: meta('agent', 'prod'), spec: { selector: { matchLabels: { app: 'web' } }, template: template() } },
  Job: { apiVersion: 'batch/v1', kind: 'Job', metadata: meta('once', 'prod'), spec: { backoffLimit: 2, template: { spec: { ...podSpec(), restartPolicy: 'Never' } } } },
  CronJob: { apiVersion: 'batch/v1', kind: 'CronJob', metadata: meta('nightly', 'prod'), spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template: { spec: { ...podSpec(), restartPolicy: 'OnFailure' } } } } } },
  Pod: { apiVersion: 'v1', kind: 'Pod', metadata: meta('p', 'prod'), spec: podSpec() },
  NetworkPolicy: {
    apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: meta('deny', 'prod'),
    spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'], egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }], ports: [{ port: 53, protocol: 'UDP' }, { port: 'dns-tcp' }] }] },
  },
  Role: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: meta('read', 'prod'), rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] }] },
  RoleBinding: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: meta('read', 'prod'), roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'read' }, subjects: [{ kind: 'ServiceAccount', name: 'agent', namespace: 'prod' }] },
  ClusterRole: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: meta('view-all'), rules: [{ nonResourceURLs: ['/healthz'], verbs: ['get'] }] },
  ClusterRoleBinding: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: meta('view-all'), roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view-all' }, subjects: [{ kind: 'Group', name: 'devs', apiGroup: 'rbac.authorization.k8s.io' }] },
  ResourceQuota: { apiVersion: 'v1', kind: 'ResourceQuota', metadata: meta('q', 'prod'), spec: { hard: { 'requests.cpu': '4', 'limits.memory': '8Gi', pods: 20 } } },
  LimitRange: { apiVersion: 'v1', kind: 'LimitRange', metadata: meta('l', 'prod'), spec: { limits: [{ type: 'Container', default: { cpu: '500m' }, defaultRequest: { cpu: '100m' } }] } },
  PodDisruptionBudget: { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: meta('pdb', 'prod'), spec: { minAvailable: '50%', selector: { matchLabels: { app: 'web' } } } },
  HorizontalPodAutoscaler: {
    apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: meta('web', 'prod'),
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 10,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }] },
  },
  PersistentVolumeClaim: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: meta('data', 'prod'), spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'fast', resources: { requests: { storage: '10Gi' } } } },
  CustomResourceDefinition: {
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: meta('widgets.example.com'),
    spec: { group: 'example.com', scope: 'Namespaced', names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } } }] },
  },
};

let validator: SchemaValidator;
beforeAll(() => {
  validator = createSchemaValidator();
});

describe('createSchemaValidator — Kubernetes 1.28 built-ins', () => {
  it('describes Kubernetes 1.28', () => {
    expect(validator.kubernetesVersion).toBe('1.28');
  });

  it.each(Object.entries(validObjects))('accepts a valid %s', (_kind, object) => {
    expect(validator.validate(object).map(formatProblem)).toEqual([]);
  });

  it('accepts creationTimestamp: null as kubectl writes it', () => {
    const d = deployment();
    d.metadata.creationTimestamp = null;
    expect(validator.validate(d)).toEqual([]);
  });

  it('does not modify the object it validates', () => {
    const d = deployment();
    const before = JSON.stringify(d);
    validator.validate(d);
    expect(JSON.stringify(d)).toBe(before);
  });

  it('fails when a field is misspelled, and suggests the closest known field', () => {
    const d = deployment();
    d.spec.template.spec.containers[0].imagePullPolicyy = 'Always';
    const problems = validator.validate(d);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      code: 'schema/unknown-field',
      pointer: '/spec/template/spec/containers/0/imagePullPolicyy',
      fix: 'did you mean "imagePullPolicy"?',
    });
    expect(problems[0]!.message).toMatch(/^Deployment prod\/web: unknown field "imagePullPolicyy" \(value "Always"\); the API server rejects it/);
  });

  it('fails when a field is unknown and nothing is close, listing the allowed fields', () => {
    const d = deployment();
    d.spec.template.spec.containers[0].resources.wishes = { cpu: 1 };
    const [problem] = validator.validate(d);
    expect(problem).toMatchObject({ code: 'schema/unknown-field', pointer: '/spec/template/spec/containers/0/resources/wishes' });
    expect(problem!.fix).toMatch(/^remove it; fields allowed here: claims, limits, requests$/);
  });

  it('fails when a field has the wrong type ("three" replicas)', () => {
    const d = deployment();
    d.spec.replicas = 'three';
    expect(validator.validate(d)).toEqual([
      expect.objectContaining({ code: 'schema/wrong-type', pointer: '/spec/replicas', message: 'Deployment prod/web: must be an integer, got "three"', fix: 'use a whole number, e.g. 3' }),
    ]);
  });

  it('fails when a number is quoted, and says to drop the quotes', () => {
    const d = deployment();
    d.spec.replicas = '3';
    expect(validator.validate(d)[0]).toMatchObject({ pointer: '/spec/replicas', fix: 'write 3 without quotes' });
  });

  it('fails when a string field gets a number, and says to quote it', () => {
    const d = deployment();
    d.spec.template.spec.containers[0].image = 42;
    expect(validator.validate(d)[0]).toMatchObject({ code: 'schema/wrong-type', message: 'Deployment prod/web: must be a string, got 42', fix: 'quote it: "42"' });
  });

  it('fails when a required field is missing, pointing at where it belongs', () => {
    const d = deployment();
    delete d.spec.template.spec.containers[0].name;
    expect(validator.validate(d)).toEqual([
      expect.objectContaining({ code: 'schema/missing-required', pointer: '/spec/template/spec/containers/0/name', message: 'Deployment prod/web: missing required field "name"', fix: 'set name (a string)' }),
    ]);
  });

  it('fails when a value is not one of the allowed values, suggesting the right spelling', () => {
    const d = deployment();
    d.spec.template.spec.containers[0].imagePullPolicy = 'always';
    expect(validator.validate(d)[0]).toMatchObject({
      code: 'schema/not-allowed-value',
      message: 'Deployment prod/web: must be one of "Always", "IfNotPresent", "Never", got "always"',
      fix: 'did you mean "Always"?',
    });
  });

  it('fails when an int32 field overflows', () => {
    const d = deployment();
    d.spec.replicas = 2 ** 31;
    expect(validator.validate(d)[0]).toMatchObject({ code: 'schema/bad-format', pointer: '/spec/replicas', message: expect.stringMatching(/must be a 32-bit integer/) });
  });

  it('fails when Secret data is not base64, and points to stringData', () => {
    const problems = validator.validate({ apiVersion: 'v1', kind: 'Secret', metadata: meta('s'), data: { token: 'not base64!' } });
    expect(problems[0]).toMatchObject({ code: 'schema/bad-format', pointer: '/data/token', fix: expect.stringMatching(/stringData/) });
  });

  it('fails when a resource quantity is malformed', () => {
    const d = deployment();
    d.spec.template.spec.containers[0].resources.limits.memory = 'lots';
    expect(validator.validate(d)[0]).toMatchObject({ code: 'schema/bad-format', pointer: '/spec/template/spec/containers/0/resources/limits/memory', message: 'Deployment prod/web: must be a Kubernetes quantity, got "lots"' });
  });

  it('fails when an int-or-string field gets a boolean', () => {
    const d = deployment();
    d.spec.template.spec.containers[0].livenessProbe.httpGet.port = true;
    expect(validator.validate(d)[0]).toMatchObject({ code: 'schema/wrong-type', message: 'Deployment prod/web: must be an integer or a string, got true' });
  });

  it('fails when a manifest carries status', () => {
    expect(validator.validate({ ...validObjects.Namespace, status: {} })).toEqual([
      expect.objectContaining({ pointer: '/status', message: 'Namespace prod: "status" is written by the cluster and does not belong in a manifest', fix: 'remove status' }),
    ]);
  });

  it('reports every problem of an object in one run', () => {
    const d = deployment();
    d.spec.replicas = 'three';
    d.spec.template.spec.containers[0].imagePullPolicyy = 'Always';
    delete d.spec.selector;
    expect(validator.validate(d).map((p) => p.pointer).sort()).toEqual(['/spec/replicas', '/spec/selector', '/spec/template/spec/containers/0/imagePullPolicyy']);
  });

  it('copies the construct path and file onto every problem', () => {
    const d = deployment();
    d.spec.replicas = 'three';
    expect(validator.validate(d, { constructPath: 'prod/web/Deployment', file: 'dist/prod/web.yaml' })[0]).toMatchObject({ constructPath: 'prod/web/Deployment', file: 'dist/prod/web.yaml' });
  });

  it('fails when the kind is unknown, suggesting the apiVersion that serves it', () => {
    expect(validator.validate({ apiVersion: 'extensions/v1beta1', kind: 'Deployment', metadata: meta('old') })).toEqual([
      {
        pointer: '', code: 'schema/unknown-kind',
        message: 'Deployment old: no schema for apiVersion "extensions/v1beta1" kind "Deployment" (Kubernetes 1.28 built-ins and registered CRDs)',
        fix: 'Deployment is served as apiVersion "apps/v1" in Kubernetes 1.28',
      },
    ]);
  });

  it('fails when the kind is misspelled, suggesting the closest kind', () => {
    expect(validator.validate({ apiVersion: 'apps/v1', kind: 'Deploymnet', metadata: meta('x') })[0]!.fix).toBe('did you mean kind "Deployment"?');
  });

  it('fails when the kind belongs to a CRD that was not registered', () => {
    expect(validator.validate({ apiVersion: 'example.com/v1', kind: 'Gizmo', metadata: meta('g') })[0]).toMatchObject({
      code: 'schema/unknown-kind',
      fix: 'register its CustomResourceDefinition (registerCrd) or a schema (registerSchema) before validating',
    });
  });

  it('fails when apiVersion or kind is missing', () => {
    expect(validator.validate({ kind: 'Pod', metadata: meta('p') })).toEqual([
      expect.objectContaining({ code: 'schema/missing-type-meta', pointer: '/apiVersion', message: 'Pod p: apiVersion must be a non-empty string, got undefined', fix: 'set apiVersion' }),
    ]);
    expect(validator.validate({ apiVersion: 'v1', metadata: meta('p') })[0]).toMatchObject({ pointer: '/kind' });
  });

  it('fails when the object is not a mapping', () => {
    expect(validator.validate(['a'])).toEqual([
      expect.objectContaining({ code: 'schema/not-an-object', message: 'a Kubernetes object must be a mapping, got ["a"]' }),
    ]);
  });
});

const widgetCrd = (): Record<string, any> => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com',
    scope: 'Namespaced',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              // controller-gen writes this; the API server validates metadata as ObjectMeta anyway
              metadata: { type: 'object' },
              spec: {
                type: 'object',
                required: ['size'],
                properties: {
                  size: { type: 'integer', minimum: 1, maximum: 10, default: 1 },
                  color: { type: 'string', enum: ['red', 'blue'] },
                  name: { type: 'string', pattern: '^[a-z]+$' },
                  port: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
                  config: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { level: { type: 'integer' } } },
                  template: { type: 'object', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true },
                },
              },
            },
          },
        },
      },
      { name: 'v1beta1', served: false, storage: false, schema: { openAPIV3Schema: { type: 'object' } } },
    ],
  },
});
const widget = (spec: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'prod' }, spec, ...extra,
});

describe('createSchemaValidator — custom resources against their CRD', () => {
  let v: SchemaValidator;
  beforeAll(() => {
    v = createSchemaValidator();
    expect(v.registerCrd(widgetCrd())).toEqual([]);
  });

  it('accepts a valid instance of a served version', () => {
    expect(v.has('example.com/v1', 'Widget')).toBe(true);
    expect(v.validate(widget({ size: 3, color: 'red', name: 'abc', port: 8080 }))).toEqual([]);
  });

  it('does not register versions that are not served', () => {
    expect(v.has('example.com/v1beta1', 'Widget')).toBe(false);
  });

  it('fails when an instance has a field the schema does not list, saying the API server would prune it', () => {
    expect(v.validate(widget({ size: 3, colour: 'red' }))).toEqual([
      expect.objectContaining({
        code: 'schema/unknown-field',
        pointer: '/spec/colour',
        message: 'Widget prod/w: unknown field "colour" (value "red"); the API server would prune it silently, so the setting would be lost',
        fix: 'did you mean "color"?',
      }),
    ]);
  });

  it('accepts unknown fields under x-kubernetes-preserve-unknown-fields, and still checks the listed ones', () => {
    expect(v.validate(widget({ size: 3, config: { anything: { goes: true }, level: 2 } }))).toEqual([]);
    expect(v.validate(widget({ size: 3, config: { level: 'high' } }))[0]).toMatchObject({ pointer: '/spec/config/level', code: 'schema/wrong-type' });
  });

  it('accepts an integer or a string for x-kubernetes-int-or-string, and nothing else', () => {
    expect(v.validate(widget({ size: 3, port: 'http' }))).toEqual([]);
    expect(v.validate(widget({ size: 3, port: 1.5 }))).toEqual([
      expect.objectContaining({ pointer: '/spec/port', message: 'Widget prod/w: must be an integer or a string, got 1.5' }),
    ]);
  });

  it('fails when an x-kubernetes-embedded-resource lacks apiVersion and kind', () => {
    expect(v.validate(widget({ size: 3, template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' }, spec: {} } }))).toEqual([]);
    expect(v.validate(widget({ size: 3, template: { spec: {} } })).map((p) => p.pointer).sort()).toEqual(['/spec/template/apiVersion', '/spec/template/kind']);
  });

  it('fails when enum, pattern, minimum, maximum or required are violated', () => {
    const problems = v.validate(widget({ size: 11, color: 'green', name: 'ABC' }));
    expect(problems.map((p) => [p.pointer, p.code])).toEqual(
      expect.arrayContaining([['/spec/size', 'schema/maximum'], ['/spec/color', 'schema/not-allowed-value'], ['/spec/name', 'schema/pattern']]),
    );
    expect(v.validate(widget({}))[0]).toMatchObject({ pointer: '/spec/size', code: 'schema/missing-required' });
    expect(v.validate(widget({ size: 0 }))[0]!.message).toBe('Widget prod/w: must be >= 1, got 0');
  });

  it('does not apply schema defaults', () => {
    const instance = widget({ size: 3 });
    v.validate(instance);
    expect(instance.spec).toEqual({ size: 3 });
  });

  it('validates metadata as ObjectMeta whatever the CRD schema says', () => {
    expect(v.validate(widget({ size: 3 }, { metadata: { name: 'w', labelz: { a: 'b' } } }))[0]).toMatchObject({ pointer: '/metadata/labelz', fix: 'did you mean "labels"?' });
  });

  it('fails when an instance uses the wrong apiVersion for the kind', () => {
    expect(v.validate({ ...widget({ size: 3 }), apiVersion: 'example.com/v2' })[0]).toMatchObject({ code: 'schema/unknown-kind', fix: 'Widget is served as apiVersion "example.com/v1" in Kubernetes 1.28' });
  });

  it('treats a typed object with no properties as pruning everything under it', () => {
    const crd = widgetCrd();
    crd.metadata.name = 'boxes.example.com';
    crd.spec.names = { plural: 'boxes', kind: 'Box' };
    crd.spec.versions = [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object' } } } } }];
    expect(v.registerCrd(crd)).toEqual([]);
    const [problem] = v.validate({ apiVersion: 'example.com/v1', kind: 'Box', metadata: { name: 'b' }, spec: { size: 1 } });
    expect(problem).toMatchObject({ pointer: '/spec/size', fix: expect.stringMatching(/this object allows no fields/) });
  });
});

describe('registerCrd — the CRD itself', () => {
  it('fails when the CRD is invalid, reporting each problem', () => {
    const crd = widgetCrd();
    crd.spec.scope = 'Namespace';
    crd.spec.versions[1].storage = true;
    const problems = createSchemaValidator().registerCrd(crd);
    expect(problems.map((p) => p.code)).toEqual(['crd/scope', 'crd/storage-version']);
    expect(problems[0]!.message).toBe('CustomResourceDefinition widgets.example.com: spec.scope must be "Namespaced" or "Cluster", got "Namespace"');
    expect(problems[1]!.message).toBe('CustomResourceDefinition widgets.example.com: exactly one version must have storage: true, found 2');
  });

  it('fails when the CRD has a misspelled field, like any built-in', () => {
    const crd = widgetCrd();
    crd.spec.versions[0].servd = true;
    expect(createSchemaValidator().registerCrd(crd)[0]).toMatchObject({ pointer: '/spec/versions/0/servd', fix: 'did you mean "served"?' });
  });

  it('fails when given something other than a v1 CustomResourceDefinition', () => {
    expect(createSchemaValidator().registerCrd({ apiVersion: 'apiextensions.k8s.io/v1beta1', kind: 'CustomResourceDefinition' })).toEqual([
      expect.objectContaining({
        code: 'crd/not-a-crd',
        message: 'registerCrd expects an apiextensions.k8s.io/v1 CustomResourceDefinition, got apiextensions.k8s.io/v1beta1 CustomResourceDefinition',
      }),
    ]);
  });

  it('fails when a version schema cannot be compiled, and leaves that version unregistered', () => {
    const crd = widgetCrd();
    crd.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.name.pattern = '([';
    const v = createSchemaValidator();
    const problems = v.registerCrd(crd);
    expect(problems).toEqual([expect.objectContaining({ code: 'crd/schema-invalid', message: expect.stringMatching(/^CustomResourceDefinition widgets.example.com: the schema of example.com\/v1 cannot be compiled: /) })]);
    expect(v.has('example.com/v1', 'Widget')).toBe(false);
  });
});

describe('registerSchema', () => {
  it('validates a kind against a registered schema, strictly', () => {
    const v = createSchemaValidator();
    v.registerSchema({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      schema: { type: 'object', properties: { spec: { type: 'object', properties: { description: { type: 'string' } } } } },
    });
    expect(v.validate({ apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'p' }, spec: { description: 'x' } })).toEqual([]);
    expect(v.validate({ apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'p' }, spec: { descripton: 'x' } })[0]).toMatchObject({
      message: 'AppProject p: unknown field "descripton" (value "x"); it is not in the registered schema',
      fix: 'did you mean "description"?',
    });
  });
});
