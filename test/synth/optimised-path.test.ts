import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiObject, App, Chart, JsonPatch } from 'cdk8s';
import jsYaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { KubeObject } from '../../constructs/core/kube-object.ts';
import { sortKeysDeep } from '../../constructs/core/sort.ts';
import { synthWithCdk8s } from '../../src/cdk8s-app.ts';
import { buildExamplePlatform } from '../../src/platform/index.ts';
import { loadInputs } from '../../src/synth/inputs.ts';
import { renderEnvironment } from '../../src/synth/render.ts';
import { toYaml, toYamlReference } from '../../src/synth/serialize.ts';

const REPO = join(import.meta.dirname, '../..');
const ENVIRONMENTS = ['dev', 'staging', 'production'];

/** KubeObject.toJson as it was before the fast path: cdk8s's metadata, one deep sort, identity keys first. */
function referenceJson(o: KubeObject): Record<string, unknown> {
  const body = (o as unknown as { renderBody: () => Record<string, unknown> }).renderBody();
  const data = { ...body, apiVersion: o.apiVersion, kind: o.kind, metadata: o.metadata.toJson() };
  const json = sortKeysDeep(data) as Record<string, unknown>;
  const result: Record<string, unknown> = {};
  for (const k of ['apiVersion', 'kind', 'metadata', ...Object.keys(json)]) if (k in json && !(k in result)) result[k] = json[k];
  return result;
}

describe('the optimised synth path', () => {
  it('renders every object of the example platform exactly as the unoptimised path (same keys, same order)', async () => {
    let count = 0;
    for (const env of ENVIRONMENTS) {
      const { platform } = buildExamplePlatform(await loadInputs(REPO, env));
      for (const c of platform.node.findAll()) {
        if (!(c instanceof KubeObject)) continue;
        const o = c as KubeObject;
        expect({ path: o.node.path, json: JSON.stringify(o.toJson()) }).toEqual({ path: o.node.path, json: JSON.stringify(referenceJson(o)) });
        count++;
      }
    }
    expect(count).toBeGreaterThan(100);
  });

  it('serializes every object of the example platform to the bytes js-yaml writes', async () => {
    for (const env of ENVIRONMENTS) {
      const inputs = await loadInputs(REPO, env);
      const r = renderEnvironment(inputs, buildExamplePlatform);
      for (const o of r.objects) expect({ path: o.path, yaml: toYaml(o.json) }).toEqual({ path: o.path, yaml: toYamlReference(o.json) });
    }
  });

  it('renders the objects plain cdk8s synth renders (its YAML quotes differently, so parsed objects are compared)', async () => {
    const out = await mkdtemp(join(tmpdir(), 'lockstep-cdk8s-'));
    await synthWithCdk8s(REPO, out, ['dev']);
    const viaCdk8s: string[] = [];
    for (const f of await readdir(join(out, 'dev'))) {
      for (const doc of jsYaml.loadAll(await readFile(join(out, 'dev', f), 'utf8'))) if (doc) viaCdk8s.push(JSON.stringify(sortKeysDeep(doc)));
    }
    const r = renderEnvironment(await loadInputs(REPO, 'dev'), buildExamplePlatform);
    const viaLockstep = r.objects.map((o) => JSON.stringify(sortKeysDeep(jsYaml.load(toYaml(o.json)))));
    expect(viaLockstep.sort()).toEqual(viaCdk8s.sort());
  });

  it('keeps cdk8s semantics where the fast path does not apply (custom resolvers, finalizers, JSON patches)', () => {
    const app = new App({ resolvers: [{ resolve: (ctx) => (ctx.value === 'swap-me' ? ctx.replaceValue('swapped') : undefined) }] });
    const chart = new Chart(app, 'c');
    const custom = new KubeObject(chart, 'custom', { apiVersion: 'v1', kind: 'ConfigMap', name: 'swap-me', labels: { b: '2', a: '1' }, body: () => ({ data: { z: '1', a: '2' } }) });
    expect(JSON.stringify(custom.toJson())).toBe(JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { labels: { a: '1', b: '2' }, name: 'swapped' }, data: { a: '2', z: '1' } }));
    const plain = new Chart(new App(), 'p');
    const withFinalizer = new KubeObject(plain, 'f', { apiVersion: 'v1', kind: 'ConfigMap', name: 'f', body: () => ({}) });
    withFinalizer.metadata.addFinalizers('x.example/keep');
    expect(withFinalizer.toJson()).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { finalizers: ['x.example/keep'], name: 'f' } });
    const patched = new KubeObject(plain, 'p', { apiVersion: 'v1', kind: 'ConfigMap', name: 'p', body: () => ({ data: { a: '1' } }) });
    ApiObject.of(patched).addJsonPatch(JsonPatch.add('/data/b', '2'));
    expect(JSON.stringify(patched.toJson())).toBe(JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'p' }, data: { a: '1', b: '2' } }));
  });
});
