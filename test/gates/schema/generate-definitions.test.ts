import { describe, expect, it } from 'vitest';
import { definitionsFromCdk8sImport, type FieldProbe } from '../../../src/gates/schema/generate-definitions.ts';

const dts = `
/**
 * @schema io.k8s.api.apps.v1.Widget
 */
export declare class KubeWidget extends ApiObject {}
/**
 * @schema io.k8s.api.apps.v1.Widget
 */
export interface KubeWidgetProps {
    /** @schema io.k8s.api.apps.v1.Widget#metadata */
    readonly metadata?: ObjectMeta;
    /** @schema io.k8s.api.apps.v1.Widget#spec */
    readonly spec: WidgetSpec;
}
/**
 * @schema io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta
 */
export interface ObjectMeta {
    /** @schema io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta#labels */
    readonly labels?: { [key: string]: string; };
    /** @schema io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta#creationTimestamp */
    readonly creationTimestamp?: Date;
}
/**
 * @schema io.k8s.api.apps.v1.WidgetSpec
 */
export interface WidgetSpec {
    /** @schema io.k8s.api.apps.v1.WidgetSpec#replicas */
    readonly replicas?: number;
    /** @schema io.k8s.api.apps.v1.WidgetSpec#$ref */
    readonly ref?: string;
    /** @schema io.k8s.api.apps.v1.WidgetSpec#port */
    readonly port: IntOrString;
    /** @schema io.k8s.api.apps.v1.WidgetSpec#size */
    readonly size?: Quantity;
    /** @schema io.k8s.api.apps.v1.WidgetSpec#raw */
    readonly raw?: any;
    /** @schema io.k8s.api.apps.v1.WidgetSpec#data */
    readonly data?: { [key: string]: string; };
    /** @schema io.k8s.api.apps.v1.WidgetSpec#modes */
    readonly modes?: string[];
    /** @schema io.k8s.api.apps.v1.WidgetSpec#enabled */
    readonly enabled?: boolean;
}
`;

const probe: FieldProbe = {
  numeric: (id, field) => (id === 'io.k8s.api.apps.v1.WidgetSpec' && field === 'replicas' ? { type: 'integer', format: 'int32' } : undefined),
  string: (_id, field) => (field === '$ref' ? { enum: ['a', 'b'] } : undefined),
  stringMapValue: (_id, field) => (field === 'data' ? { format: 'byte' } : undefined),
  stringListItem: (_id, field) => (field === 'modes' ? { enum: ['ReadWriteOnce'] } : undefined),
};

const generate = (text = dts) =>
  definitionsFromCdk8sImport({
    dtsText: text,
    gvks: new Map([['KubeWidget', { apiVersion: 'apps/v1', kind: 'Widget' }]]),
    probe,
    kubernetesVersion: '1.28',
    source: 'test',
  });

describe('definitionsFromCdk8sImport', () => {
  it('maps each top-level kind to its definition', () => {
    expect(generate().kinds).toEqual({ 'apps/v1 Widget': 'io.k8s.api.apps.v1.Widget' });
  });

  it('uses the JSON names from @schema tags and keeps required-ness', () => {
    const spec = generate().definitions['io.k8s.api.apps.v1.WidgetSpec']!;
    expect(Object.keys(spec.properties as object)).toEqual(['$ref', 'data', 'enabled', 'modes', 'port', 'raw', 'replicas', 'size']);
    expect(spec.required).toEqual(['port']);
  });

  it('adds apiVersion and kind to top-level kinds as optional, single-value fields', () => {
    const widget = generate().definitions['io.k8s.api.apps.v1.Widget']!;
    expect((widget.properties as Record<string, unknown>).apiVersion).toEqual({ enum: ['apps/v1'], type: 'string' });
    expect((widget.properties as Record<string, unknown>).kind).toEqual({ enum: ['Widget'], type: 'string' });
    expect(widget.required).toEqual(['spec']);
  });

  it('translates TypeScript types to schema types, with the facts the probe knows', () => {
    const props = generate().definitions['io.k8s.api.apps.v1.WidgetSpec']!.properties as Record<string, unknown>;
    expect(props).toEqual({
      $ref: { enum: ['a', 'b'], type: 'string' },
      data: { additionalProperties: { format: 'byte', type: 'string' }, type: 'object' },
      enabled: { type: 'boolean' },
      modes: { items: { enum: ['ReadWriteOnce'], type: 'string' }, type: 'array' },
      port: { $ref: '#/definitions/io.k8s.apimachinery.pkg.util.intstr.IntOrString' },
      raw: {},
      replicas: { format: 'int32', type: 'integer' },
      size: { $ref: '#/definitions/io.k8s.apimachinery.pkg.api.resource.Quantity' },
    });
  });

  it('makes timestamps nullable date-time strings', () => {
    const meta = generate().definitions['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']!.properties as Record<string, unknown>;
    expect(meta.creationTimestamp).toEqual({ format: 'date-time', nullable: true, type: 'string' });
  });

  it('fails on a type it cannot translate', () => {
    const bad = `/** @schema x.Y */ export interface Y { /** @schema x.Y#a */ readonly a?: Unknown; }`;
    expect(() => generate(bad)).toThrow(/^unsupported type: Unknown$/);
    const literal = `/** @schema x.Y */ export interface Y { /** @schema x.Y#a */ readonly a?: { b: string }; }`;
    expect(() => generate(literal)).toThrow(/^unsupported type literal: \{ b: string \}$/);
  });
});
