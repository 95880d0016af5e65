/**
 * CustomResourceDefinition (apiextensions.k8s.io/v1): the checks the API server applies to the CRD
 * itself that a schema cannot express, and the per-version schemas its instances are checked against.
 */
import type { Problem } from '../../util/errors.ts';
import type { JsonSchema } from './generate-definitions.ts';

export interface CrdVersionSchema {
  readonly apiVersion: string;
  readonly kind: string;
  readonly scope: 'Namespaced' | 'Cluster';
  readonly schema: JsonSchema;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
/** DNS-1123 subdomain, as the API server requires for the group. */
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const KIND_NAME = /^[A-Z][A-Za-z0-9]*$/;

/** `CustomResourceDefinition widgets.example.com` */
export function crdIdentity(crd: Json): string {
  const name = isObject(crd.metadata) && typeof crd.metadata.name === 'string' ? crd.metadata.name : '(unnamed)';
  return `CustomResourceDefinition ${name}`;
}

/**
 * Checks a CRD object beyond its schema: names, scope, versions, exactly one storage version, and the
 * structural-schema rule that every field declares a type.
 */
export function checkCrd(crd: Json): Problem[] {
  const problems: Problem[] = [];
  const who = crdIdentity(crd);
  const add = (pointer: string, code: string, message: string, fix: string): void => {
    problems.push({ pointer, code: `crd/${code}`, message: `${who}: ${message}`, fix });
  };
  const spec = isObject(crd.spec) ? crd.spec : {};
  const names = isObject(spec.names) ? spec.names : {};
  const group = spec.group;

  if (typeof group !== 'string' || !DNS_SUBDOMAIN.test(group) || !group.includes('.')) {
    add('/spec/group', 'group', `spec.group must be a DNS subdomain with at least one dot, got ${JSON.stringify(group)}`,
      'use a domain you own, e.g. "widgets.example.com" → group "example.com"');
  }
  if (spec.scope !== 'Namespaced' && spec.scope !== 'Cluster') {
    add('/spec/scope', 'scope', `spec.scope must be "Namespaced" or "Cluster", got ${JSON.stringify(spec.scope)}`,
      'set scope: Namespaced (or Cluster for cluster-wide objects)');
  }
  const plural = names.plural;
  if (typeof plural !== 'string' || !DNS_LABEL.test(plural)) {
    add('/spec/names/plural', 'names', `spec.names.plural must be a lowercase DNS label, got ${JSON.stringify(plural)}`,
      'set plural to the lowercase plural of the kind, e.g. "widgets"');
  }
  if (names.singular !== undefined && (typeof names.singular !== 'string' || !DNS_LABEL.test(names.singular))) {
    add('/spec/names/singular', 'names', `spec.names.singular must be a lowercase DNS label, got ${JSON.stringify(names.singular)}`,
      'set singular to the lowercase kind, e.g. "widget"');
  }
  if (typeof names.kind !== 'string' || !KIND_NAME.test(names.kind)) {
    add('/spec/names/kind', 'names', `spec.names.kind must be a CamelCase name, got ${JSON.stringify(names.kind)}`,
      'set kind, e.g. "Widget"');
  }
  const name = isObject(crd.metadata) ? crd.metadata.name : undefined;
  if (typeof plural === 'string' && typeof group === 'string' && name !== `${plural}.${group}`) {
    add('/metadata/name', 'name', `metadata.name must be "<plural>.<group>" = "${plural}.${group}", got ${JSON.stringify(name)}`,
      `set metadata.name: ${plural}.${group}`);
  }

  const versions = Array.isArray(spec.versions) ? spec.versions : [];
  if (versions.length === 0) {
    add('/spec/versions', 'versions', 'spec.versions must list at least one version', 'add a version with served: true, storage: true and a schema');
  }
  const seen = new Set<string>();
  let storage = 0;
  versions.forEach((v: unknown, i: number) => {
    if (!isObject(v)) return;
    const vName = v.name;
    if (typeof vName !== 'string' || !DNS_LABEL.test(vName)) {
      add(`/spec/versions/${i}/name`, 'versions', `version name must be a lowercase DNS label like "v1alpha1", got ${JSON.stringify(vName)}`, 'rename the version');
    } else if (seen.has(vName)) {
      add(`/spec/versions/${i}/name`, 'versions', `version "${vName}" is listed twice`, 'remove the duplicate');
    } else {
      seen.add(vName);
    }
    if (v.storage === true) storage++;
    const schema = isObject(v.schema) ? v.schema.openAPIV3Schema : undefined;
    if (!isObject(schema)) {
      add(`/spec/versions/${i}/schema/openAPIV3Schema`, 'schema', `version ${JSON.stringify(vName)} has no schema.openAPIV3Schema (required by apiextensions.k8s.io/v1)`,
        'add an openAPIV3Schema with type: object');
      return;
    }
    if (schema.type !== 'object') {
      add(`/spec/versions/${i}/schema/openAPIV3Schema/type`, 'structural', `the root of the schema must have type: object, got ${JSON.stringify(schema.type)}`, 'set type: object at the root');
    }
    for (const pointer of untypedNodes(schema, `/spec/versions/${i}/schema/openAPIV3Schema`)) {
      add(`${pointer}/type`, 'structural', 'a structural schema must declare a type here', 'add type (or x-kubernetes-int-or-string / x-kubernetes-preserve-unknown-fields: true)');
    }
  });
  if (versions.length > 0 && storage !== 1) {
    add('/spec/versions', 'storage-version', `exactly one version must have storage: true, found ${storage}`,
      storage === 0 ? 'set storage: true on the version the API server should persist' : 'keep storage: true on one version only');
  }
  return problems;
}

/** Property, item and additionalProperties nodes that declare no type (junctor branches may omit it). */
function untypedNodes(node: Json, pointer: string): string[] {
  const found: string[] = [];
  const visit = (n: Json, p: string, isRoot: boolean): void => {
    const exempt = n['x-kubernetes-int-or-string'] === true || n['x-kubernetes-preserve-unknown-fields'] === true;
    if (!isRoot && n.type === undefined && !exempt) found.push(p);
    if (isObject(n.properties)) {
      for (const [k, v] of Object.entries(n.properties)) if (isObject(v)) visit(v, `${p}/properties/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, false);
    }
    if (isObject(n.items)) visit(n.items, `${p}/items`, false);
    if (isObject(n.additionalProperties)) visit(n.additionalProperties, `${p}/additionalProperties`, false);
  };
  visit(node, pointer, true);
  return found;
}

/** The served versions of a CRD with their schemas; versions without a schema are left out. */
export function crdVersionSchemas(crd: Json): CrdVersionSchema[] {
  const spec = isObject(crd.spec) ? crd.spec : {};
  const names = isObject(spec.names) ? spec.names : {};
  if (typeof spec.group !== 'string' || typeof names.kind !== 'string') return [];
  const scope = spec.scope === 'Cluster' ? 'Cluster' : 'Namespaced';
  const out: CrdVersionSchema[] = [];
  for (const v of Array.isArray(spec.versions) ? spec.versions : []) {
    if (!isObject(v) || v.served === false || typeof v.name !== 'string') continue;
    const schema = isObject(v.schema) ? v.schema.openAPIV3Schema : undefined;
    if (!isObject(schema)) continue;
    out.push({ apiVersion: `${spec.group}/${v.name}`, kind: names.kind, scope, schema });
  }
  return out;
}
