/**
 * No secrets in the rendering.
 *
 * `dist/` is committed to git and travels with every release, so nothing in it may be secret:
 * - Secret objects are refused outright, with or without `data`/`stringData`. A Secret with data
 *   leaks it; one without data is a placeholder another controller fights over. Secrets are made in
 *   the cluster (ExternalSecrets, SealedSecrets, the CSI driver) and workloads reference them by name.
 * - PEM private keys are refused wherever they appear (a ConfigMap, an annotation, an env value).
 *
 * Messages name the object and the data keys, never the values.
 */
import { describeObject, type KubeJson } from '../k8s/objects.ts';
import type { Problem } from '../util/errors.ts';

/** What the gate needs of a rendered object (a `RenderedObject` fits). */
export interface GateObject {
  readonly json: KubeJson;
  readonly path?: string;
  readonly constructPath?: string;
}

const SECRET_FIX =
  'create the Secret in the cluster instead (an ExternalSecret from your secret store, or a SealedSecret) and reference it by name (env.valueFrom.secretKeyRef, envFrom.secretRef, volumes[].secret)';

// Any PEM private key: PKCS#8, PKCS#1 RSA, SEC1 EC, OpenSSH, and cosign's encrypted keys.
const PRIVATE_KEY_PEM = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/;

function where(o: GateObject): Pick<Problem, 'file' | 'constructPath'> {
  return { ...(o.path !== undefined ? { file: o.path } : {}), ...(o.constructPath !== undefined ? { constructPath: o.constructPath } : {}) };
}

function isSecret(json: KubeJson): boolean {
  return json.kind === 'Secret' && (json.apiVersion === 'v1' || json.apiVersion === undefined);
}

/** JSON pointers of every string that holds a PEM private key, searched iteratively (no recursion limit). */
function privateKeyPointers(value: unknown): string[] {
  const out: string[] = [];
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length > 0) {
    const [v, pointer] = stack.pop()!;
    if (typeof v === 'string') {
      if (PRIVATE_KEY_PEM.test(v)) out.push(pointer);
    } else if (Array.isArray(v)) {
      v.forEach((x, i) => stack.push([x, `${pointer}/${i}`]));
    } else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) stack.push([x, `${pointer}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`]);
    }
  }
  return out.sort();
}

/** Problems for every Secret object and every PEM private key in `objects`. */
export function checkNoSecrets(objects: readonly GateObject[]): Problem[] {
  const problems: Problem[] = [];
  for (const o of objects) {
    const json = o.json;
    if (isSecret(json)) {
      const keys = [...Object.keys(json.data ?? {}), ...Object.keys(json.stringData ?? {})].sort();
      problems.push({
        ...where(o),
        code: 'secrets/no-secret-objects',
        message: keys.length
          ? `${describeObject(json)} would commit secret data (keys ${keys.join(', ')}) to dist/ and every release`
          : `${describeObject(json)} is rendered; Lockstep renders no Secret objects, with or without data`,
        fix: SECRET_FIX,
      });
      continue;
    }
    for (const pointer of privateKeyPointers(json)) {
      problems.push({
        ...where(o),
        pointer,
        code: 'secrets/private-key',
        message: `${describeObject(json)} contains a PEM private key`,
        fix: 'never render key material: mount it from a Secret created in the cluster (ExternalSecrets or SealedSecrets)',
      });
    }
  }
  return problems;
}
