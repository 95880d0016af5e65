import { registerPolicySchemas } from '../check/shape.ts';
import { checkPodSecurity } from './pod-security/index.ts';
import { checkNoSecrets } from './secrets.ts';
import { createSchemaValidator, type SchemaValidator } from './schema/index.ts';
import type { Gate } from '../synth/synth.ts';
import type { Problem } from '../util/errors.ts';

/**
 * The object gates synth runs after its built-in ones: every object against the Kubernetes 1.28
 * schema (strict: unknown fields are errors) and custom resources against their CRDs; every pod
 * template against the restricted Pod Security Standard at the level its namespace enforces; no
 * Secret objects and no private keys in the rendering.
 */
export function defaultGates(options: { extendSchemas?: (v: SchemaValidator) => void } = {}): Gate[] {
  return [
    (r) => {
      const validator = createSchemaValidator();
      registerPolicySchemas(validator);
      options.extendSchemas?.(validator);
      const problems: Problem[] = [];
      for (const o of r.objects) {
        if (o.json.kind === 'CustomResourceDefinition') problems.push(...validator.registerCrd(o.json, { constructPath: o.constructPath, file: o.path }));
      }
      for (const o of r.objects) problems.push(...validator.validate(o.json, { constructPath: o.constructPath, file: o.path }));
      return problems;
    },
    (r) => {
      const levels = new Map<string, string>();
      for (const o of r.objects) {
        if (o.json.kind === 'Namespace') levels.set(o.json.metadata.name, o.json.metadata.labels?.['pod-security.kubernetes.io/enforce'] ?? 'restricted');
      }
      const problems: Problem[] = [];
      for (const o of r.objects) {
        const ns = o.json.metadata?.namespace as string | undefined;
        const level = (ns && levels.get(ns)) || 'restricted';
        if (level === 'privileged') continue;
        problems.push(...checkPodSecurity(o.json, level as 'restricted' | 'baseline', { constructPath: o.constructPath, file: o.path }));
      }
      return problems;
    },
    // dist/ is committed: no Secret objects and no private keys, ever.
    (r) => checkNoSecrets(r.objects),
  ];
}
