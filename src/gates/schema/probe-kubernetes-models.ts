/**
 * A `FieldProbe` backed by kubernetes-models' precompiled validators.
 *
 * Why probing: kubernetes-models ships only generated ajv code, no schema data, so the one way to
 * read "is this field int32? an enum? base64?" out of it is to hand each validator a single bad value
 * and look at the error it reports for that field.
 */
import type { FieldProbe } from './generate-definitions.ts';

interface ReferenceError {
  readonly instancePath: string;
  readonly keyword: string;
  readonly params: Record<string, unknown>;
}

/** One compiled validator as kubernetes-models exports it (ajv standalone shape). */
export interface ReferenceValidator {
  (data: unknown): boolean;
  errors?: ReferenceError[] | null;
}

/**
 * Module name of the kubernetes-models schema for an OpenAPI id:
 * `io.k8s.api.apps.v1.DeploymentSpec` → `IoK8sApiAppsV1DeploymentSpec`.
 */
export function referenceSchemaName(definitionId: string): string {
  return definitionId
    .split(/[.-]/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

function pointerSegment(field: string): string {
  return field.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** `validatorFor` returns kubernetes-models' validator for an OpenAPI id, if it has one. */
export function kubernetesModelsProbe(validatorFor: (definitionId: string) => ReferenceValidator | undefined): FieldProbe {
  function errorsFor(definitionId: string, field: string, value: unknown, below = ''): ReferenceError[] | undefined {
    const validate = validatorFor(definitionId);
    if (!validate) return undefined;
    validate({ [field]: value });
    const path = `/${pointerSegment(field)}${below}`;
    return (validate.errors ?? []).filter((e) => e.instancePath === path);
  }

  return {
    numeric(definitionId, field) {
      const fraction = errorsFor(definitionId, field, 1.5);
      if (!fraction) return undefined;
      const isInteger = fraction.some((e) => e.keyword === 'type' && e.params.type === 'integer');
      if (!isInteger) {
        // Either a real `number` field or one the reference does not know; a string tells them apart.
        const text = errorsFor(definitionId, field, 'x') ?? [];
        return text.some((e) => e.keyword === 'type' && e.params.type === 'number') ? { type: 'number' } : undefined;
      }
      const big32 = errorsFor(definitionId, field, 2 ** 31) ?? [];
      if (big32.some((e) => e.keyword === 'format')) return { type: 'integer', format: 'int32' };
      const big64 = errorsFor(definitionId, field, 2 ** 64) ?? [];
      if (big64.some((e) => e.keyword === 'format')) return { type: 'integer', format: 'int64' };
      return { type: 'integer' };
    },
    string(definitionId, field) {
      const errors = errorsFor(definitionId, field, '\u0000');
      if (!errors) return undefined;
      const enumError = errors.find((e) => e.keyword === 'enum');
      if (enumError) return { enum: enumError.params.allowedValues as string[] };
      const formatError = errors.find((e) => e.keyword === 'format');
      if (formatError) return { format: formatError.params.format as string };
      return undefined;
    },
    stringMapValue(definitionId, field) {
      const errors = errorsFor(definitionId, field, { k: '\u0000' }, '/k');
      const formatError = errors?.find((e) => e.keyword === 'format');
      return formatError ? { format: formatError.params.format as string } : undefined;
    },
    stringListItem(definitionId, field) {
      const errors = errorsFor(definitionId, field, ['\u0000'], '/0');
      const enumError = errors?.find((e) => e.keyword === 'enum');
      return enumError ? { enum: enumError.params.allowedValues as string[] } : undefined;
    },
  };
}
