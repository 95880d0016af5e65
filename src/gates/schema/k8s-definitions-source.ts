/**
 * Builds the Kubernetes 1.28 definitions document from the installed packages (see
 * generate-definitions.ts for why these two sources). Used by the regenerate entry point and by the
 * test that keeps the vendored file in step with node_modules.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { definitionsFromCdk8sImport, type DefinitionsDocument, type GroupVersionKind } from './generate-definitions.ts';
import { kubernetesModelsProbe, referenceSchemaName, type ReferenceValidator } from './probe-kubernetes-models.ts';

const require = createRequire(import.meta.url);

function packageRoot(name: string, knownFile: string): string {
  const resolved = require.resolve(`${name}/${knownFile}`);
  return resolved.slice(0, resolved.length - knownFile.length - 1);
}

async function loadReferenceValidators(): Promise<Map<string, ReferenceValidator>> {
  const validators = new Map<string, ReferenceValidator>();
  for (const pkg of ['kubernetes-models', '@kubernetes-models/apimachinery']) {
    const dir = join(dirname(require.resolve(`${pkg}/package.json`)), '_schemas');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.js')).sort()) {
      const name = file.slice(0, -3);
      const mod = (await import(`${pkg}/_schemas/${name}`)) as { validate: ReferenceValidator };
      validators.set(name, mod.validate);
    }
  }
  return validators;
}

export async function buildKubernetes128Definitions(): Promise<DefinitionsDocument> {
  const plusDir = packageRoot('cdk8s-plus-28', 'lib/imports/k8s.js');
  const dtsText = readFileSync(join(plusDir, 'lib/imports/k8s.d.ts'), 'utf8');
  const plusVersion = (JSON.parse(readFileSync(join(plusDir, 'package.json'), 'utf8')) as { version: string }).version;
  const modelsVersion = (require('kubernetes-models/package.json') as { version: string }).version;

  const { k8s } = (await import('cdk8s-plus-28')) as unknown as { k8s: Record<string, unknown> };
  const gvks = new Map<string, GroupVersionKind>();
  for (const [name, value] of Object.entries(k8s)) {
    const gvk = typeof value === 'function' ? (value as { GVK?: GroupVersionKind }).GVK : undefined;
    if (gvk) gvks.set(name, { apiVersion: gvk.apiVersion, kind: gvk.kind });
  }

  const byReferenceName = await loadReferenceValidators();
  return definitionsFromCdk8sImport({
    dtsText,
    gvks,
    probe: kubernetesModelsProbe((id) => byReferenceName.get(referenceSchemaName(id))),
    kubernetesVersion: '1.28',
    source:
      `structure: cdk8s-plus-28@${plusVersion} lib/imports/k8s.d.ts (cdk8s import k8s@1.28.0); ` +
      `integer/number, int32/int64, byte and enum facts probed from kubernetes-models@${modelsVersion} validators`,
  });
}

/** The vendored file's exact text for a document. */
export function serializeDefinitions(doc: DefinitionsDocument): string {
  return JSON.stringify(doc) + '\n';
}
