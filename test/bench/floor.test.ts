import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildPlainObjects, serializePlain, writePlainFiles } from '../../src/bench/floor.ts';
import { annotateBenchSboms, benchInputs, buildLockstepPlatform, renderPolicyObjects } from '../../src/bench/platform.ts';
import { benchSpec } from '../../src/bench/spec.ts';
import { objectKey } from '../../src/k8s/objects.ts';
import { renderEnvironment } from '../../src/synth/render.ts';

describe('the floor', () => {
  it("builds exactly Lockstep's objects as plain data (same JSON bytes), including a gateway-only namespace", () => {
    const spec = benchSpec(51);
    const inputs = benchInputs(spec, '/nonexistent-bench-root');
    const built = buildLockstepPlatform(spec, inputs);
    annotateBenchSboms(built.platform, inputs);
    const lockstep = renderEnvironment(inputs, () => ({ platform: built.platform, context: built.context })).objects.map((o) => o.json);
    const plain = buildPlainObjects(spec, renderPolicyObjects(spec, inputs));
    const byKey = (list: Record<string, any>[]) => new Map(list.map((o) => [objectKey(o), JSON.stringify(o)]));
    expect(plain).toHaveLength(lockstep.length);
    expect(byKey(plain)).toEqual(byKey(lockstep));
  });

  it('serializes one JSON text per object at the path Lockstep writes it to', () => {
    const spec = benchSpec(2);
    const files = serializePlain(buildPlainObjects(spec, []));
    expect(files.size).toBe(6 * 2 + 5);
    expect(JSON.parse(files.get('manifests/tenant-0001/deployment_agent-00001.yaml')!).kind).toBe('Deployment');
  });

  it('writes every file under the target directory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bench-floor-test-'));
    try {
      await writePlainFiles(join(dir, 'out'), new Map([
        ['manifests/a/x.yaml', '1'],
        ['manifests/b/y.yaml', '2'],
      ]));
      expect((await readdir(join(dir, 'out/manifests'))).sort()).toEqual(['a', 'b']);
      expect(await readFile(join(dir, 'out/manifests/b/y.yaml'), 'utf8')).toBe('2');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
