import { mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ApiObject, App } from 'cdk8s';
import { afterEach, describe, expect, it } from 'vitest';
import { Platform, TenantNamespace, Unit } from '../../constructs/index.ts';
import { benchInputs, buildLockstepPlatform } from '../../src/bench/platform.ts';
import { benchSpec, type BenchSpec } from '../../src/bench/spec.ts';
import { withOneAgentChanged } from '../../src/bench/stages.ts';
import { OutputCache } from '../../src/synth/cache.ts';
import type { SynthInputs } from '../../src/synth/inputs.ts';
import { renderEnvironment } from '../../src/synth/render.ts';
import { loadInputs } from '../../src/synth/inputs.ts';
import { toYaml } from '../../src/synth/serialize.ts';
import { buildExamplePlatform } from '../../src/platform/index.ts';
import jsYaml from 'js-yaml';
import { keptCount, serializeObjects, writeSynthOutput } from '../../src/synth/synth.ts';
import { codeFingerprint, confirmRestoredUnits, stableJson, UnitCache, unitSalt } from '../../src/synth/unit-cache.ts';
import { FsWorkers } from '../../src/util/fs-workers.ts';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});
async function scratch(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'unit-cache-test-'));
  dirs.push(d);
  return d;
}

type Tweak = (inputs: SynthInputs) => SynthInputs;

/**
 * One synth of the bench platform into `<root>/out`, with the output and unit caches under `root`,
 * as synthesize() does it. With `workers`, manifests are proven and the output listed in the
 * background; without, each unit's manifests are checked before it is restored.
 */
async function synth(root: string, spec: BenchSpec, options: { cache?: boolean; tweak?: Tweak; workers?: FsWorkers; code?: string } = {}) {
  const target = join(root, 'out');
  const plain = (options.tweak ?? ((i) => i))(benchInputs(spec, root));
  const cache = options.cache === false ? undefined : OutputCache.load(join(root, 'cache.json'), target);
  const units = cache ? UnitCache.load(join(root, 'units'), unitSalt(plain, options.code), target, options.workers) : undefined;
  const listing = options.workers?.listFiles(target);
  listing?.catch(() => undefined);
  const inputs = units ? { ...plain, units } : plain;
  const render = (i: SynthInputs) => renderEnvironment(i, (j) => buildLockstepPlatform(spec, j));
  const first = render(inputs);
  const restoredAtFirst = units?.stats.restored ?? 0;
  const rendering = await confirmRestoredUnits(first, units, (refusing) => render({ ...inputs, units: refusing }));
  const used = rendering.inputs.units as UnitCache | undefined;
  const serialized = serializeObjects(rendering.objects, cache, used);
  await writeSynthOutput(target, serialized.files, serialized, rendering.objects, { cache, units: used, ...(listing ? { listing } : {}) });
  // Date the output-cache index a second later, as a real run's is (the cache's racy rule).
  if (cache) {
    const later = new Date((await stat(join(root, 'cache.json'))).mtimeMs + 1000);
    await utimes(join(root, 'cache.json'), later, later);
  }
  return { rendering, serialized, units: used, restoredAtFirst };
}

async function tree(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) out.set(relative(dir, join(e.parentPath, e.name)), await readFile(join(e.parentPath, e.name), 'utf8'));
  }
  return out;
}

const spec = benchSpec(120); // three tenants of 50, 50 and 20 agents

describe('incremental synth through units', () => {
  it('builds only the tenant whose agent changed, and writes the same bytes as a cold run', async () => {
    const warm = await scratch();
    await synth(warm, spec);
    const changed = withOneAgentChanged(spec);
    const again = await synth(warm, changed);
    expect(again.units!.stats).toEqual({ restored: 2, built: 1 });
    expect(keptCount(again.serialized)).toBe(again.rendering.objects.length - 1);

    const cold = await scratch();
    await synth(cold, changed, { cache: false });
    expect(await tree(join(warm, 'out'))).toEqual(await tree(join(cold, 'out')));
  });

  it('gives restored objects the same JSON and construct paths as built ones', async () => {
    const root = await scratch();
    const first = await synth(root, spec);
    const second = await synth(root, spec);
    expect(second.units!.stats).toEqual({ restored: 3, built: 0 });
    expect(second.rendering.objects.map((o) => [o.path, o.constructPath])).toEqual(first.rendering.objects.map((o) => [o.path, o.constructPath]));
    // Parsed back from the manifests: the same data, keys in the same order.
    expect(JSON.stringify(second.rendering.objects.map((o) => o.json))).toBe(JSON.stringify(first.rendering.objects.map((o) => o.json)));
  });

  it('rebuilds every unit when the environment changes', async () => {
    const root = await scratch();
    await synth(root, spec);
    const tweak: Tweak = (i) => ({ ...i, env: { ...i.env, config: { ...i.env.config, audit: { ...i.env.config.audit, retentionDays: 400 } } } });
    const again = await synth(root, spec, { tweak });
    expect(again.units!.stats).toEqual({ restored: 0, built: 3 });
    expect(await readFile(join(root, 'out/manifests/_cluster/namespace_tenant-0002.yaml'), 'utf8')).toContain('400d');
  });

  it('rebuilds every unit when the code changes', () => {
    const inputs = benchInputs(spec, '/nowhere');
    expect(unitSalt(inputs, 'code-a')).not.toBe(unitSalt(inputs, 'code-b'));
    expect(unitSalt(inputs, 'code-a')).toBe(unitSalt(inputs, 'code-a'));
    expect(codeFingerprint()).toMatch(/^[0-9a-f]{64}$/);
  });

  it('after a code change builds every unit, yet keeps the manifests whose objects came out the same', async () => {
    const root = await scratch();
    const first = await synth(root, spec, { code: 'code-a' });
    const inode = async (p: string) => (await stat(join(root, 'out', p))).ino;
    const before = await Promise.all(first.rendering.objects.map((o) => inode(o.path)));
    const again = await synth(root, spec, { code: 'code-b' });
    expect(again.units!.stats).toEqual({ restored: 0, built: 3 });
    // Not one manifest serialized or rewritten: the previous unit records vouched for every file.
    expect(keptCount(again.serialized)).toBe(again.rendering.objects.length);
    expect(await Promise.all(again.rendering.objects.map((o) => inode(o.path)))).toEqual(before);
  });

  it('records objects of units in the unit cache and only the others in the output cache', async () => {
    const root = await scratch();
    const first = await synth(root, spec);
    const loose = first.rendering.objects.filter((o) => o.unit === undefined);
    expect(loose.length).toBeGreaterThan(0);
    expect(loose.length).toBeLessThan(first.rendering.objects.length / 10);
    expect(OutputCache.load(join(root, 'cache.json'), join(root, 'out')).size).toBe(loose.length);
    // Every unit record is dated after its manifests' last change (so none is racy next time).
    const text = await readFile(join(root, 'units/index.json'), 'utf8');
    const index = JSON.parse(text) as { units: Record<string, { files: string; recordedMs: number }> };
    expect(Object.keys(index.units)).toHaveLength(3);
    // Written a unit at a time, the same text as one JSON.stringify of the whole index.
    expect(text).toBe(JSON.stringify(index));
    for (const u of Object.values(index.units)) for (const line of u.files.split('\n')) expect(Number(line.split('\t')[3])).toBeLessThan(u.recordedMs);
  });

  it('builds a unit again when one of its manifests was edited by hand or removed', async () => {
    const root = await scratch();
    await synth(root, spec);
    const edited = join(root, 'out/manifests/tenant-0001/deployment_gateway.yaml');
    const removed = join(root, 'out/manifests/tenant-0003/service_gateway.yaml');
    const original = [await readFile(edited, 'utf8'), await readFile(removed, 'utf8')];
    await writeFile(edited, original[0]!.replace('replicas: 2', 'replicas: 9'));
    await rm(removed);
    const again = await synth(root, spec);
    expect(again.units!.stats).toEqual({ restored: 1, built: 2 });
    expect([await readFile(edited, 'utf8'), await readFile(removed, 'utf8')]).toEqual(original);
  });

  it('with background proof, restores on the index word and builds again a unit whose manifest was touched', async () => {
    const workers = new FsWorkers(1);
    try {
      const root = await scratch();
      await synth(root, spec, { workers });
      const edited = join(root, 'out/manifests/tenant-0002/deployment_gateway.yaml');
      const stray = join(root, 'out/manifests/tenant-0002/stray.yaml');
      const original = await readFile(edited, 'utf8');
      await writeFile(edited, original.replace('replicas: 2', 'replicas: 9'));
      await writeFile(stray, 'kind: Stray\n');
      const again = await synth(root, spec, { workers });
      // All three were restored at first; the proof found tenant-0002's edit and it was built.
      expect(again.restoredAtFirst).toBe(3);
      expect(again.units!.stats).toEqual({ restored: 2, built: 1 });
      expect(await readFile(edited, 'utf8')).toBe(original);
      // The background listing saw the stray file, so the in-place update removed it.
      await expect(stat(stray)).rejects.toThrow(/ENOENT/);
      const third = await synth(root, spec, { workers });
      expect(third.units!.stats).toEqual({ restored: 3, built: 0 });
    } finally {
      await workers.close();
    }
  });

  it('reports an object rendered now that clashes with an object of a restored unit', async () => {
    const root = await scratch();
    await synth(root, spec);
    const plain = benchInputs(spec, root);
    const units = UnitCache.load(join(root, 'units'), unitSalt(plain), join(root, 'out'));
    const rendering = renderEnvironment({ ...plain, units }, (i) => {
      const built = buildLockstepPlatform(spec, i);
      new ApiObject(built.platform, 'stray-namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'tenant-0002' } });
      return built;
    });
    expect(units.stats.restored).toBe(3);
    expect(rendering.problems.map((p) => p.message)).toEqual(['renders /Namespace//tenant-0002, which bench/stray-namespace already renders']);
  });

  it('replays the settings a restored unit read, so none is reported unused', async () => {
    const root = await scratch();
    const tweak: Tweak = (i) => ({ ...i, env: { ...i.env, config: { ...i.env.config, replicas: { default: 2, workloads: { 'agent-00001': 4 } } } } });
    const first = await synth(root, spec, { tweak });
    expect(first.rendering.problems).toEqual([]);
    const again = await synth(root, spec, { tweak });
    expect(again.units!.stats.restored).toBe(3);
    expect(again.rendering.problems).toEqual([]);
  });
});

describe('Unit', () => {
  it('builds its constructs inline when there is no store', () => {
    const platform = new Platform(new App(), 'dev');
    const unit = new Unit(platform, 'team-a', { inputs: { name: 'team-a' }, build: (scope, i) => new TenantNamespace(scope, i.name) });
    expect(unit.restored).toBeUndefined();
    expect(unit.node.findAll().some((c) => c instanceof TenantNamespace)).toBe(true);
  });

  it('refuses a unit inside another unit', () => {
    const platform = new Platform(new App(), 'dev');
    expect(() => new Unit(platform, 'outer', { inputs: {}, build: (scope) => new Unit(scope, 'inner', { inputs: {}, build: () => undefined }) })).toThrow(/units do not nest/);
  });

  it('refuses inputs that are not plain JSON, naming where', () => {
    const platform = new Platform(new App(), 'dev');
    expect(() => new Unit(platform, 'a', { inputs: { when: new Date(0) }, build: () => undefined })).toThrow(/inputs\.when is a Date object/);
    expect(() => new Unit(platform, 'b', { inputs: { n: [1, NaN] }, build: () => undefined })).toThrow(/inputs\.n\[1\] is NaN/);
    expect(() => new Unit(platform, 'c', { inputs: { f: () => 1 }, build: () => undefined })).toThrow(/inputs\.f is a function/);
  });
});

describe('stableJson', () => {
  it('sorts keys at every level, so key order does not change a fingerprint', () => {
    expect(stableJson({ b: 1, a: { d: [2, { y: 1, x: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"x":2,"y":1}]},"b":1}');
    expect(stableJson({ a: undefined, b: 1 })).toBe('{"b":1}');
  });
});

describe('restored JSON', () => {
  it('parses back from every manifest of the example platform to the same data, keys in order', async () => {
    const inputs = await loadInputs(join(import.meta.dirname, '../..'), 'production');
    const rendering = renderEnvironment(inputs, buildExamplePlatform);
    expect(rendering.objects.length).toBeGreaterThan(100);
    for (const o of rendering.objects) expect(JSON.stringify(jsYaml.load(toYaml(o.json)))).toBe(JSON.stringify(o.json));
  });
});
