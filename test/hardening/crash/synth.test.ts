import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileCli, REPO } from './compile.ts';
import { calibrate, COMMIT_A, describeTorn, must, randomKills, scratchRepo, SEED, structuralOps, summary, trials, TRIALS, type Calibration, type Scenario, type TrialResult } from './harness.ts';

describe('lockstep synth under SIGKILL', () => {
  let cli: { dir: string; main: string };
  let scenario: Scenario;
  let calibration: Calibration;

  beforeAll(async () => {
    cli = await compileCli();
    const template = await scratchRepo(REPO);
    await must(template, 'synth', '--env', 'dev');
    await must(template, 'check', '--env', 'dev');
    await must(template, 'sign', '--env', 'dev', '--source-commit', COMMIT_A);
    // Old: dev rendered and signed. New: rendered again after dev.yaml moves the LLM gateway (five
    // ConfigMaps change), with the old release files carried over (synth does not sign).
    const file = join(template, 'environments/dev.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace('https://llm-gateway.dev.example.com', 'https://llm-gateway-2.dev.example.com'));
    scenario = { name: 'synth', template, argv: ['synth', '--env', 'dev'], verifyArgv: ['verify', '--env', 'dev'] };
    calibration = await calibrate(cli.main, scenario);
  }, 120_000);

  afterAll(async () => {
    await rm(cli.dir, { recursive: true, force: true });
    if (scenario) await rm(scenario.template, { recursive: true, force: true });
  });

  function expectAllOrNothing(results: readonly TrialResult[]): void {
    expect(describeTorn(results)).toEqual([]);
    // Old: the signed rendering, whose input dev.yaml changed since: verify names that input only.
    // New: an unsigned rendering under the old release: verify names the changed manifests.
    const wrong = results.filter((r) =>
      r.state === 'old'
        ? r.verify.code !== 1 || !/environments\/dev\.yaml: sha256 changed/.test(r.verify.stderr) || /dist\/dev\/manifests/.test(r.verify.stderr)
        : r.verify.code !== 1 || !/dist\/dev\/manifests\/[^:]+\.yaml: sha256 changed/.test(r.verify.stderr),
    );
    expect(wrong.map((r) => `${JSON.stringify(r.kill)} ${r.state}: ${r.verify.stderr}`)).toEqual([]);
  }

  it('changes the rendering (the two states differ in manifests)', () => {
    expect(calibration.oldState).not.toBe(calibration.newState);
    expect([...calibration.newFiles.keys()].filter((p) => calibration.newFiles.get(p) !== calibration.oldFiles.get(p)).some((p) => p.startsWith('dist/dev/manifests/'))).toBe(true);
  });

  it(`leaves the old or the new dist/dev after ${TRIALS} kills at random moments, and verify gives the state's reason`, async () => {
    const results = await trials(cli.main, scenario, calibration, randomKills(calibration, TRIALS, SEED));
    console.log(summary('synth', `random, seed ${SEED}, window ${Math.round(calibration.durationMs)} ms`, results));
    expectAllOrNothing(results);
  }, 170_000);

  it('leaves the old or the new dist/dev when killed before each rename and removal', async () => {
    const points = structuralOps(calibration.ops, /\.lockstep\/cache\//);
    const results = await trials(cli.main, scenario, calibration, points.map((atOp) => ({ atOp })));
    console.log(summary('synth', `before each of ${points.length} renames and removals (of ${calibration.ops.length} writes)`, results));
    expectAllOrNothing(results);
    expect(new Set(results.map((r) => r.state))).toEqual(new Set(['old', 'new']));
  }, 170_000);
});
