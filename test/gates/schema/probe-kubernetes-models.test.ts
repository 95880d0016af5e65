import { describe, expect, it } from 'vitest';
import { validate as deploymentSpec } from 'kubernetes-models/_schemas/IoK8sApiAppsV1DeploymentSpec';
import { validate as container } from 'kubernetes-models/_schemas/IoK8sApiCoreV1Container';
import { validate as secret } from 'kubernetes-models/_schemas/IoK8sApiCoreV1Secret';
import { validate as pvcSpec } from 'kubernetes-models/_schemas/IoK8sApiCoreV1PersistentVolumeClaimSpec';
import { validate as schemaProps } from 'kubernetes-models/_schemas/IoK8sApiextensionsApiserverPkgApisApiextensionsV1JSONSchemaProps';
import { kubernetesModelsProbe, referenceSchemaName, type ReferenceValidator } from '../../../src/gates/schema/probe-kubernetes-models.ts';

const validators = new Map<string, ReferenceValidator>([
  ['io.k8s.api.apps.v1.DeploymentSpec', deploymentSpec as ReferenceValidator],
  ['io.k8s.api.core.v1.Container', container as ReferenceValidator],
  ['io.k8s.api.core.v1.Secret', secret as ReferenceValidator],
  ['io.k8s.api.core.v1.PersistentVolumeClaimSpec', pvcSpec as ReferenceValidator],
  ['io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps', schemaProps as ReferenceValidator],
]);
const probe = kubernetesModelsProbe((id) => validators.get(id));

describe('referenceSchemaName', () => {
  it('turns an OpenAPI id into the kubernetes-models module name', () => {
    expect(referenceSchemaName('io.k8s.api.apps.v1.DeploymentSpec')).toBe('IoK8sApiAppsV1DeploymentSpec');
    expect(referenceSchemaName('io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps')).toBe('IoK8sApiextensionsApiserverPkgApisApiextensionsV1JSONSchemaProps');
  });
});

describe('kubernetesModelsProbe', () => {
  it('finds integer fields and their int32 format', () => {
    expect(probe.numeric('io.k8s.api.apps.v1.DeploymentSpec', 'replicas')).toEqual({ type: 'integer', format: 'int32' });
  });

  it('finds real numbers', () => {
    expect(probe.numeric('io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps', 'maximum')).toEqual({ type: 'number' });
  });

  it('finds enums of string fields and string list items', () => {
    expect(probe.string('io.k8s.api.core.v1.Container', 'imagePullPolicy')).toEqual({ enum: ['Always', 'IfNotPresent', 'Never'] });
    expect(probe.stringListItem('io.k8s.api.core.v1.PersistentVolumeClaimSpec', 'accessModes')).toEqual({ enum: expect.arrayContaining(['ReadWriteOnce']) });
  });

  it('finds the byte format of Secret data values', () => {
    expect(probe.stringMapValue('io.k8s.api.core.v1.Secret', 'data')).toEqual({ format: 'byte' });
    expect(probe.stringMapValue('io.k8s.api.core.v1.Secret', 'stringData')).toBeUndefined();
  });

  it('says nothing about fields or definitions it does not know', () => {
    expect(probe.numeric('io.k8s.api.apps.v1.DeploymentSpec', 'noSuchField')).toBeUndefined();
    expect(probe.string('io.k8s.api.core.v1.Container', 'image')).toBeUndefined();
    expect(probe.numeric('io.k8s.api.apps.v1.Nothing', 'replicas')).toBeUndefined();
  });
});
