import { cp, mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultGates } from '../../src/gates/index.ts';
import { buildExamplePlatform } from '../../src/platform/index.ts';
import { cacheKey, OutputCache } from '../../src/synth/cache.ts';
import { outputCacheFile, synthesize } from '../../src/synth/synth.ts';

const REPO = join(import.meta.dirname, '../..');
const DEPLOYMENT = 'manifests/project-ai-eca/deployment_project-ai-eca.yaml';

async function scratch(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'lockstep-cache-'));
  await cp(join(REPO, 'environments'), join(root, 'environments'), { recursive: true });
  await cp(join(REPO, 'sboms'), join(root, 'sboms'), { recursive: true });
  return root;
}

async function files(dir: string): Promise<Map<string, { text: string; ino: number }>> {
  const out = new Map<string, { text: string; ino: number }>();
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const p = join(e.parentPath, e.name);
    out.set(relative(dir, p), { text: await readFile(p, 'utf8'), ino: (await stat(p)).ino });
  }
  return out;
}

const texts = (m: Map<string, { text: string }>) => Object.fromEntries([...m].map(([p, f]) => [p, f.text]));

async function changeOneAgent(root: string): Promise<void> {
  const file = join(root, 'environments/production.yaml');
  const text = await readFile(file, 'utf8');
  expect(text).toContain('project-ai-eca: 2');
  await writeFile(file, text.replace('project-ai-eca: 2', 'project-ai-eca: 5'));
}

const synth = (root: string, options: { cache?: boolean; progress?: (l: string) => void } = {}) =>
  synthesize({ root, environments: ['production'], define: buildExamplePlatform, gates: defaultGates(), ...options });

describe('cacheKey', () => {
  it('is the same for equal objects and differs when a value changes', () => {
    expect(cacheKey({ a: 1, b: ['x'] })).toBe(cacheKey({ a: 1, b: ['x'] }));
    expect(cacheKey({ a: 1 })).not.toBe(cacheKey({ a: 2 }));
  });

  it('is absent for values whose JSON does not determine their YAML (-0, NaN, Infinity, non-plain objects)', () => {
    for (const v of [{ a: -0 }, { a: NaN }, { a: [Infinity] }, { d: new Date(0) }, { f: () => 1 }, { b: 1n }]) expect(cacheKey(v)).toBeUndefined();
  });
});

describe('OutputCache', () => {
  it('is empty for a missing, malformed or foreign index', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lockstep-cache-index-'));
    expect(OutputCache.load(join(dir, 'missing.json'), dir).size).toBe(0);
    await writeFile(join(dir, 'bad.json'), '{not json');
    expect(OutputCache.load(join(dir, 'bad.json'), dir).size).toBe(0);
    await writeFile(join(dir, 'other.json'), JSON.stringify({ format: 'something else', target: dir, entries: [['a', 'k', 1, 1, 1, 1]] }));
    expect(OutputCache.load(join(dir, 'other.json'), dir).size).toBe(0);
  });
});

describe('incremental synth', () => {
  it('after one agent changed, rewrites only its manifest, and the output equals a cold run', async () => {
    const warm = await scratch();
    await synth(warm);
    const before = await files(join(warm, 'dist/production'));
    await changeOneAgent(warm);
    const lines: string[] = [];
    await synth(warm, { progress: (l) => lines.push(l) });
    const after = await files(join(warm, 'dist/production'));

    const cold = await scratch();
    await changeOneAgent(cold);
    await synth(cold, { cache: false });
    expect(texts(after)).toEqual(texts(await files(join(cold, 'dist/production'))));

    const rewritten = [...after].filter(([p, f]) => before.get(p)?.ino !== f.ino).map(([p]) => p);
    expect(rewritten).toEqual([DEPLOYMENT]);
    expect(after.get(DEPLOYMENT)!.text).toContain('replicas: 5');
    expect(lines.some((l) => /writing \d+ files to dist\/production, \d+ unchanged manifests kept/.test(l))).toBe(true);
  });

  it('does not trust the cache for a manifest edited by hand, even with the same size', async () => {
    const root = await scratch();
    await synth(root);
    const path = join(root, 'dist/production', DEPLOYMENT);
    const original = await readFile(path, 'utf8');
    await writeFile(path, original.replace('replicas: 2', 'replicas: 7'));
    await synth(root);
    expect(await readFile(path, 'utf8')).toBe(original);
  });

  it('keeps its index outside dist/, under .lockstep/cache/', async () => {
    const root = await scratch();
    await synth(root);
    expect(outputCacheFile(root, 'dist', 'production')).toBe(join(root, '.lockstep/cache/synth/dist/production.json'));
    expect(OutputCache.load(outputCacheFile(root, 'dist', 'production'), join(root, 'dist/production')).size).toBeGreaterThan(100);
    expect((await readdir(join(root, 'dist'))).filter((e) => e.startsWith('.'))).toEqual([]);
  });

  it('with the cache off, neither reads nor writes .lockstep/cache', async () => {
    const root = await scratch();
    await synth(root, { cache: false });
    await expect(stat(join(root, '.lockstep'))).rejects.toThrow(/ENOENT/);
  });
});
