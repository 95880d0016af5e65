/**
 * The ajv instance the schema gate compiles into: Kubernetes formats and vendor keywords registered.
 */
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = addFormatsModule.default;

/** Kubernetes resource.Quantity: "500m", "1Gi", "1e3", "0.5" (apimachinery's quantity regexp). */
const QUANTITY = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+|[KMGTPE]i|[numkMGTPE])?$/;
const CIDR =
  /^(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\/(?:3[0-2]|[12]?\d)$|^[0-9a-fA-F:.]*:[0-9a-fA-F:.]*\/(?:12[0-8]|1[01]\d|[1-9]?\d)$/;
const MAC = /^(?:[0-9a-fA-F]{2}[:-]){5}[0-9a-fA-F]{2}$|^(?:[0-9a-fA-F]{2}[:-]){7}[0-9a-fA-F]{2}$/;
const uuidVersion = (v: number): RegExp =>
  new RegExp(`^[0-9a-f]{8}-?[0-9a-f]{4}-?${v}[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$`, 'i');
/** Go-style durations as go-openapi's strfmt accepts them: "30s", "1h30m", "2 d". */
const GO_DURATION = /^\s*-?(?:\d+(?:\.\d+)?\s*(?:ns|us|µs|ms|s|m|h|d|w)\s*)+$/;

export function createKubernetesAjv(): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    // parentSchema and data on each error: used for "did you mean" and for the value received.
    verbose: true,
    // Kubernetes schemas are OpenAPI, not pure JSON Schema: union types, `nullable`, vendor keywords.
    strict: false,
    allowUnionTypes: true,
    logger: false,
    // `default` is never applied: Lockstep reports, it does not mutate the manifest.
    useDefaults: false,
  });
  addFormats(ajv, ['date-time', 'date', 'uri', 'email', 'hostname', 'ipv4', 'ipv6', 'uuid', 'byte', 'password', 'int32', 'int64', 'float', 'double']);
  ajv.addFormat('quantity', QUANTITY);
  ajv.addFormat('datetime', ajv.formats['date-time'] ?? true);
  ajv.addFormat('cidr', CIDR);
  ajv.addFormat('mac', MAC);
  ajv.addFormat('uuid3', uuidVersion(3));
  ajv.addFormat('uuid4', uuidVersion(4));
  ajv.addFormat('uuid5', uuidVersion(5));
  ajv.addFormat('duration', GO_DURATION);
  ajv.addFormat('bsonobjectid', /^[0-9a-fA-F]{24}$/);
  ajv.addFormat('hexcolor', /^#?(?:[0-9a-fA-F]{3}){1,2}$/);
  ajv.addFormat('rgbcolor', /^rgb\(\s*\d{1,3}\s*,\s*\d{1,3}\s*,\s*\d{1,3}\s*\)$/);
  // Rare in CRDs; accepted as-is rather than re-implementing checksum rules.
  for (const lenient of ['isbn', 'isbn10', 'isbn13', 'creditcard', 'ssn']) ajv.addFormat(lenient, true);
  ajv.addVocabulary([
    'x-kubernetes-int-or-string',
    'x-kubernetes-preserve-unknown-fields',
    'x-kubernetes-embedded-resource',
    'x-kubernetes-list-type',
    'x-kubernetes-list-map-keys',
    'x-kubernetes-map-type',
    'x-kubernetes-validations',
    'x-kubernetes-group-version-kind',
    'x-kubernetes-patch-strategy',
    'x-kubernetes-patch-merge-key',
    'x-kubernetes-unions',
    'example',
    'externalDocs',
  ]);
  return ajv;
}
