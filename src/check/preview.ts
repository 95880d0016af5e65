/**
 * Preview-mode policies are not cluster objects: synth writes them to
 * `dist/<env>/policies/preview/validatingpolicy_<name>.yaml`, outside `manifests/`, so Argo CD
 * (which reads `manifests/`) never applies them and `lockstep check` still evaluates them.
 *
 * Wiring (synth): `for (const [path, text] of previewPolicyFiles(rendering.platform)) files.set(path, text);`
 */
import type { IConstruct } from 'constructs';
import { previewPolicies } from '../../constructs/policy/admission-policy.ts';
import { toYaml } from '../synth/serialize.ts';
import { PREVIEW_POLICY_DIR } from './load.ts';

/** Files to write under `dist/<env>/` for the Preview-mode policies of a construct tree. */
export function previewPolicyFiles(root: IConstruct): Map<string, string> {
  const files = new Map<string, string>();
  for (const p of previewPolicies(root)) files.set(`${PREVIEW_POLICY_DIR}/validatingpolicy_${p.name}.yaml`, toYaml(p.document));
  return files;
}
