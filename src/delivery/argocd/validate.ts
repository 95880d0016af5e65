/**
 * Validates generated Argo CD objects against the Argo CD CRD schemas shipped by
 * `@kubernetes-models/argo-cd` (generated from Argo CD's own types).
 *
 * Those validators check types, required fields and enums but accept unknown fields; unknown fields
 * cannot occur here because the objects are built against the same package's TypeScript interfaces
 * (`IApplication`, `IAppProject`), so the compiler rejects them.
 */
import { AppProject, Application, ApplicationSet } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1';
import type { KubeJson } from '../../k8s/objects.ts';
import type { Problem } from '../../util/errors.ts';

interface AjvError {
  readonly instancePath?: string;
  readonly keyword?: string;
  readonly message?: string;
  readonly params?: Record<string, unknown>;
}

const MODELS: Readonly<Record<string, new (data: any) => { validate(): void }>> = {
  AppProject,
  Application,
  ApplicationSet,
};

function valueAt(obj: unknown, pointer: string): unknown {
  let cur: unknown = obj;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** Problems of one object; `file` is its repository-relative path, e.g. `argocd/dev/application_dev-dev-1.yaml`. */
export function validateArgoCdObject(json: KubeJson, file: string): Problem[] {
  if (json.apiVersion !== 'argoproj.io/v1alpha1' || !MODELS[json.kind]) {
    return [{ file, message: `is ${json.apiVersion} ${json.kind}, which is not an Argo CD object this generator validates`, fix: 'generate an Application, AppProject or ApplicationSet (argoproj.io/v1alpha1)', code: 'argocd/schema' }];
  }
  const Model = MODELS[json.kind]!;
  try {
    new Model(json).validate();
    return [];
  } catch (e) {
    const errors = ((e as { errors?: AjvError[] }).errors ?? []) as AjvError[];
    if (errors.length === 0) return [{ file, message: `fails the Argo CD ${json.kind} schema: ${(e as Error).message}`, code: 'argocd/schema' }];
    return errors.map((err) => {
      const pointer = err.instancePath ?? '';
      const missing = err.keyword === 'required' ? String(err.params?.missingProperty ?? '') : undefined;
      const message = missing !== undefined ? `is missing the required field ${JSON.stringify(missing)}` : `${err.message ?? 'is invalid'}, got ${JSON.stringify(valueAt(json, pointer)) ?? 'nothing'}`;
      return {
        file,
        pointer,
        message: `${message} (Argo CD ${json.kind} schema)`,
        fix: 'correct the environment setting that produces this field',
        code: 'argocd/schema',
      };
    });
  }
}
