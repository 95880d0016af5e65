/**
 * Schema validation of SBOM files, offline.
 *
 * - CycloneDX: `@cyclonedx/cyclonedx-library`'s `JsonStrictValidator`, which validates against the
 *   schemas the library bundles (`res/schema/bom-1.x.SNAPSHOT.schema.json`, 1.2–1.7) with Ajv. It needs
 *   the optional peers ajv, ajv-formats and ajv-formats-draft2019; all three are installed (the last
 *   one arrives through @kubernetes-models/validate, not as a direct dependency).
 * - SPDX 2.3: Ajv with the compact hand-written schema in `spdx-schema.ts` (no npm package ships
 *   the SPDX document schema).
 */
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { Ajv } from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { LockstepError } from '../../util/errors.ts';
import type { Problem } from '../../util/errors.ts';
import { parseSbomJson } from './read.ts';
import { SPDX_2_3_COMPACT_SCHEMA } from './spdx-schema.ts';

let spdxValidator: ValidateFunction | undefined;
/** One validator per spec version: each compiles its schema once, on first use. */
const cyclonedxValidators = new Map<string, Validation.JsonStrictValidator>();

function compiledSpdx(): ValidateFunction {
  spdxValidator ??= new Ajv({ allErrors: true, strict: false }).compile(SPDX_2_3_COMPACT_SCHEMA);
  return spdxValidator;
}

/** Ajv errors as Problems: pointer = instance path, message with the allowed values when it helps. */
export function ajvProblems(errors: readonly ErrorObject[] | null | undefined, file: string, fix: string, code: string): Problem[] {
  return (errors ?? []).map((e) => {
    const allowed = Array.isArray((e.params as { allowedValues?: unknown }).allowedValues)
      ? ` (allowed: ${((e.params as { allowedValues: unknown[] }).allowedValues).slice(0, 8).map((v) => JSON.stringify(v)).join(', ')}${((e.params as { allowedValues: unknown[] }).allowedValues).length > 8 ? ', …' : ''})`
      : '';
    return { file, pointer: e.instancePath, message: `${e.message ?? 'is invalid'}${allowed}`, fix, code };
  });
}

/** Validates a parsed SPDX JSON document against the compact SPDX 2.3 schema. */
export function validateSpdxDocument(doc: unknown, file: string): Problem[] {
  const validate = compiledSpdx();
  if (validate(doc)) return [];
  return ajvProblems(validate.errors, file, 'regenerate the SBOM with `syft scan IMAGE -o spdx-json@2.3`', 'sbom/spdx-schema');
}

/** Validates CycloneDX JSON text against the library's bundled schema for `specVersion`. */
export async function validateCyclonedxText(text: string, specVersion: string, file: string): Promise<Problem[]> {
  let result: unknown;
  try {
    let validator = cyclonedxValidators.get(specVersion);
    if (!validator) {
      validator = new Validation.JsonStrictValidator(specVersion as Spec.Version);
      cyclonedxValidators.set(specVersion, validator);
    }
    result = await validator.validate(text);
  } catch (e) {
    if (e instanceof Validation.MissingOptionalDependencyError) {
      return [{
        file,
        message: `cannot validate CycloneDX: ${e.message}`,
        fix: 'install the optional dependencies of @cyclonedx/cyclonedx-library: ajv, ajv-formats, ajv-formats-draft2019',
        code: 'sbom/validator-missing',
      }];
    }
    if (e instanceof Validation.NotImplementedError) {
      return [{ file, pointer: '/specVersion', message: `no CycloneDX schema for version ${JSON.stringify(specVersion)}`, fix: 'regenerate with `syft scan IMAGE -o cyclonedx-json@1.6`', code: 'sbom/unsupported-version' }];
    }
    throw e;
  }
  if (result === null) return [];
  return ajvProblems(result as ErrorObject[], file, 'regenerate the SBOM with `syft scan IMAGE -o cyclonedx-json@1.6`', 'sbom/cyclonedx-schema');
}

/**
 * Validates an SBOM file's bytes: format detection first, then the schema of its format and
 * version. Returns every problem found (empty when valid); never throws for a bad document.
 */
export async function validateSbom(bytes: Uint8Array | string, file: string): Promise<Problem[]> {
  let parsed: ReturnType<typeof parseSbomJson>;
  try {
    parsed = parseSbomJson(bytes, file);
  } catch (e) {
    if (e instanceof LockstepError) return [...e.problems];
    throw e;
  }
  if (parsed.format === 'cyclonedx-json') {
    const text = typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('utf8');
    return validateCyclonedxText(text, parsed.specVersion, file);
  }
  if (parsed.specVersion !== '2.3') {
    return [{
      file,
      pointer: '/spdxVersion',
      message: `SPDX ${parsed.specVersion} documents are read but not schema-validated; Lockstep validates SPDX 2.3`,
      fix: 'regenerate the SBOM with `syft scan IMAGE -o spdx-json@2.3`',
      code: 'sbom/spdx-version',
    }];
  }
  return validateSpdxDocument(parsed.doc, file);
}
