export {
  createSchemaValidator,
  kubernetes128Definitions,
  objectIdentity,
  type RegisteredSchema,
  type SchemaValidator,
  type SchemaValidatorOptions,
  type ValidationContext,
} from './validator.ts';
export { checkCrd, crdVersionSchemas, type CrdVersionSchema } from './crd.ts';
export { toStrictSchema, KNOWN_FORMATS, type StrictOptions } from './strict.ts';
export { closest, editDistance } from './closest.ts';
export type { DefinitionsDocument, JsonSchema } from './generate-definitions.ts';
