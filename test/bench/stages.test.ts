import { mkdtemp, readdir, readFile, rm, stat, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { benchSpec, expectedKinds } from '../../src/bench/spec.ts';
import { changedAgent, runCdk8sPlus, runFloor, runLockstep, stagesToRun, type RunContext } from '../../src/bench/stages.ts';

/** A clock that advances one second per reading: every stage lasts exactly 1 s. */
function steppingClock(): () => number {
  let t = 0;
  return () => (t += 1000);
}

async function withContext<T>(agents: number, fn: (ctx: RunContext) => Promise<T>): Promise<T> {
  const scratchDir = await mkdtemp(join(tmpdir(), 'bench-stages-test-'));
  try {
    return await fn({ spec: benchSpec(agents), now: steppingClock(), cpu: steppingClock(), scratchDir, peakRssMb: () => 123 });
  } finally {
    await rm(scratchDir, { recursive: true, force: true });
  }
}

describe('stagesToRun', () => {
  it('adds the stages a selected stage needs, in pipeline order', () => {
    expect(stagesToRun(['write'])).toEqual(['build', 'sbom', 'render', 'serialize', 'write']);
    expect(stagesToRun(['policies', 'build'])).toEqual(['build', 'sbom', 'render', 'policies']);
    expect(stagesToRun(['sign'])).toEqual(['build', 'sbom', 'render', 'serialize', 'sign']);
  });
});

describe('runLockstep', () => {
  it('times every stage and reports only the selected ones as selected', async () => {
    const r = await withContext(3, (ctx) => runLockstep(ctx, ['write']));
    expect(r.stages.map((s) => [s.stage, s.seconds, s.cpuSeconds, s.selected])).toEqual([
      ['build', 1, 1, false],
      ['sbom', 1, 1, false],
      ['render', 1, 1, false],
      ['serialize', 1, 1, false],
      ['write', 1, 1, true],
    ]);
    expect(r.objects).toBe(Object.values(expectedKinds(3)).reduce((a, b) => a + b, 0) + (r.kinds.ValidatingPolicy ?? 0));
    expect(r.peakRssMb).toBe(123);
  });

  it('runs the whole pipeline, writes one file per object and evaluates the policies', async () => {
    await withContext(3, async (ctx) => {
      const r = await runLockstep(ctx);
      expect(r.stages.map((s) => s.stage)).toEqual(['build', 'sbom', 'render', 'serialize', 'schema', 'gates', 'policies', 'sign', 'write']);
      expect(r.check?.findings).toBe(0);
      expect(r.check?.rules).toBeGreaterThanOrEqual(r.check!.policies);
      expect(r.bytes).toBeGreaterThan(0);
      const written = await readdir(join(ctx.scratchDir, 'bench/manifests'), { recursive: true, withFileTypes: true });
      expect(written.filter((e) => e.isFile())).toHaveLength(r.objects);
    });
  });
});

describe('the baselines', () => {
  it('measure the same object count as Lockstep', async () => {
    const [lockstep, floor, plus] = await withContext(3, async (ctx) => [await runLockstep({ ...ctx, now: steppingClock() }, ['render']), await runFloor(ctx), await runCdk8sPlus(ctx)]);
    expect(floor.kinds).toEqual(lockstep.kinds);
    expect(plus.kinds).toEqual(lockstep.kinds);
    expect(floor.stages.map((s) => s.stage)).toEqual(['build', 'serialize', 'write']);
    expect(plus.stages.map((s) => s.stage)).toEqual(['build', 'synth']);
  });
});

describe('runLockstep, incremental', () => {
  it('re-runs over the previous output with one agent changed, keeping every other manifest', async () => {
    await withContext(120, async (ctx) => {
      const full = await runLockstep(ctx, ['build', 'render', 'serialize', 'write']);
      expect(full.reused).toBe(0);
      // A small run writes its files and the cache index within one clock tick, and the cache does
      // not trust files as new as its index (the racy rule): date the index a second later, as a
      // real run's index is.
      const index = join(ctx.scratchDir, '.lockstep/cache/synth/bench.json');
      const later = new Date((await stat(index)).mtimeMs + 1000);
      await utimes(index, later, later);
      const again = await runLockstep({ ...ctx, now: steppingClock() }, ['build', 'render', 'serialize', 'write'], { changeOneAgent: true });
      expect(again.incremental).toBe(true);
      expect(again.reused).toBe(full.objects - 1);
      // Only the changed agent's tenant was built; the other two came from the unit cache.
      expect(ctx.spec.namespaces).toHaveLength(3);
      expect(again.unitsRestored).toBe(2);
      const { namespace, name } = changedAgent(ctx.spec);
      expect(await readFile(join(ctx.scratchDir, `bench/manifests/${namespace}/deployment_${name}.yaml`), 'utf8')).toContain('replicas: 3');
    });
  });
});
