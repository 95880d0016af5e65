import { describe, expect, it } from 'vitest';
import { checkCrd, crdVersionSchemas } from '../../../src/gates/schema/crd.ts';

const crd = (): Record<string, any> => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com',
    scope: 'Cluster',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
    versions: [
      { name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object' } } } } },
      { name: 'v1alpha1', served: true, storage: false, schema: { openAPIV3Schema: { type: 'object' } } },
      { name: 'v0', served: false, storage: false, schema: { openAPIV3Schema: { type: 'object' } } },
    ],
  },
});

const messages = (c: Record<string, unknown>) => checkCrd(c).map((p) => `${p.code} ${p.pointer}: ${p.message.replace(/^CustomResourceDefinition [^:]+: /, '')}`);

describe('checkCrd', () => {
  it('accepts a valid CRD', () => {
    expect(checkCrd(crd())).toEqual([]);
  });

  it('fails when the group is not a dotted DNS subdomain', () => {
    const c = crd();
    c.spec.group = 'Example';
    c.metadata.name = 'widgets.Example';
    expect(messages(c)).toEqual(['crd/group /spec/group: spec.group must be a DNS subdomain with at least one dot, got "Example"']);
  });

  it('fails when the scope is neither Namespaced nor Cluster', () => {
    const c = crd();
    c.spec.scope = 'namespaced';
    expect(messages(c)).toEqual(['crd/scope /spec/scope: spec.scope must be "Namespaced" or "Cluster", got "namespaced"']);
  });

  it('fails when names are not valid', () => {
    const c = crd();
    c.spec.names = { plural: 'Widgets', singular: 'Widget', kind: 'widget' };
    expect(messages(c)).toEqual([
      'crd/names /spec/names/plural: spec.names.plural must be a lowercase DNS label, got "Widgets"',
      'crd/names /spec/names/singular: spec.names.singular must be a lowercase DNS label, got "Widget"',
      'crd/names /spec/names/kind: spec.names.kind must be a CamelCase name, got "widget"',
      'crd/name /metadata/name: metadata.name must be "<plural>.<group>" = "Widgets.example.com", got "widgets.example.com"',
    ]);
  });

  it('fails when metadata.name does not match plural and group', () => {
    const c = crd();
    c.metadata.name = 'widget.example.com';
    expect(checkCrd(c)).toEqual([
      expect.objectContaining({ code: 'crd/name', fix: 'set metadata.name: widgets.example.com' }),
    ]);
  });

  it('fails when there are no versions', () => {
    const c = crd();
    c.spec.versions = [];
    expect(messages(c)).toEqual(['crd/versions /spec/versions: spec.versions must list at least one version']);
  });

  it('fails when a version name is invalid or repeated', () => {
    const c = crd();
    c.spec.versions[1].name = 'v1';
    c.spec.versions[2].name = 'V2';
    expect(messages(c)).toEqual([
      'crd/versions /spec/versions/1/name: version "v1" is listed twice',
      'crd/versions /spec/versions/2/name: version name must be a lowercase DNS label like "v1alpha1", got "V2"',
    ]);
  });

  it('fails when no version or more than one version is the storage version', () => {
    const none = crd();
    none.spec.versions[0].storage = false;
    expect(checkCrd(none)).toEqual([expect.objectContaining({ code: 'crd/storage-version', message: expect.stringMatching(/found 0$/), fix: expect.stringMatching(/^set storage: true/) })]);
    const two = crd();
    two.spec.versions[1].storage = true;
    expect(checkCrd(two)).toEqual([expect.objectContaining({ code: 'crd/storage-version', message: expect.stringMatching(/found 2$/), fix: 'keep storage: true on one version only' })]);
  });

  it('fails when a version has no schema', () => {
    const c = crd();
    delete c.spec.versions[1].schema;
    expect(messages(c)).toEqual(['crd/schema /spec/versions/1/schema/openAPIV3Schema: version "v1alpha1" has no schema.openAPIV3Schema (required by apiextensions.k8s.io/v1)']);
  });

  it('fails when the schema is not structural', () => {
    const c = crd();
    c.spec.versions[0].schema.openAPIV3Schema = {
      type: 'array',
      properties: { spec: { properties: { port: { 'x-kubernetes-int-or-string': true }, any: { 'x-kubernetes-preserve-unknown-fields': true }, list: { type: 'array', items: { properties: {} } } } } },
    };
    expect(messages(c)).toEqual([
      'crd/structural /spec/versions/0/schema/openAPIV3Schema/type: the root of the schema must have type: object, got "array"',
      'crd/structural /spec/versions/0/schema/openAPIV3Schema/properties/spec/type: a structural schema must declare a type here',
      'crd/structural /spec/versions/0/schema/openAPIV3Schema/properties/spec/properties/list/items/type: a structural schema must declare a type here',
    ]);
  });
});

describe('crdVersionSchemas', () => {
  it('returns the served versions with their apiVersion, kind and scope', () => {
    expect(crdVersionSchemas(crd()).map((v) => [v.apiVersion, v.kind, v.scope])).toEqual([
      ['example.com/v1', 'Widget', 'Cluster'],
      ['example.com/v1alpha1', 'Widget', 'Cluster'],
    ]);
  });

  it('returns nothing when group or kind is missing', () => {
    const c = crd();
    delete c.spec.group;
    expect(crdVersionSchemas(c)).toEqual([]);
  });
});
