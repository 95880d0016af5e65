import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rm } from 'node:fs/promises';
import { compileCli, REPO } from './compile.ts';
import { calibrate, COMMIT_A, COMMIT_B, describeTorn, must, randomKills, structuralOps, scratchRepo, SEED, summary, trials, TRIALS, type Calibration, type Scenario, type TrialResult } from './harness.ts';

describe('lockstep sign under SIGKILL', () => {
  let cli: { dir: string; main: string };
  let scenario: Scenario;
  let calibration: Calibration;

  beforeAll(async () => {
    cli = await compileCli();
    const template = await scratchRepo(REPO);
    await must(template, 'synth', '--env', 'dev');
    await must(template, 'check', '--env', 'dev');
    await must(template, 'sign', '--env', 'dev', '--source-commit', COMMIT_A);
    // Old: dev signed for commit A. New: signed again for commit B (a new release.json, bundle, attestation).
    scenario = { name: 'sign', template, argv: ['sign', '--env', 'dev', '--source-commit', COMMIT_B], verifyArgv: ['verify', '--env', 'dev'] };
    calibration = await calibrate(cli.main, scenario);
  }, 120_000);

  afterAll(async () => {
    await rm(cli.dir, { recursive: true, force: true });
    if (scenario) await rm(scenario.template, { recursive: true, force: true });
  });

  function expectAllOrNothing(results: readonly TrialResult[]): void {
    expect(describeTorn(results)).toEqual([]);
    expect(results.filter((r) => r.journalLeftovers.length > 0).map((r) => r.journalLeftovers)).toEqual([]);
    // Old and new are both complete signed releases: verify passes on every trial.
    expect(results.filter((r) => r.verify.code !== 0).map((r) => `${JSON.stringify(r.kill)} ${r.state}: ${r.verify.stderr}`)).toEqual([]);
  }

  it(`leaves the old or the new signed release after ${TRIALS} kills at random moments, and verify passes`, async () => {
    const results = await trials(cli.main, scenario, calibration, randomKills(calibration, TRIALS, SEED));
    console.log(`${summary('sign', `random, seed ${SEED}, window ${Math.round(calibration.durationMs)} ms`, results)}`);
    expectAllOrNothing(results);
  }, 170_000);

  it('leaves the old or the new signed release when killed before each rename, removal and lock', async () => {
    const points = structuralOps(calibration.ops);
    const results = await trials(cli.main, scenario, calibration, points.map((atOp) => ({ atOp })));
    console.log(`${summary('sign', `before each of ${points.length} renames, removals and locks (of ${calibration.ops.length} writes)`, results)}`);
    expectAllOrNothing(results);
    // Both outcomes occur: the journal is rolled back before its commit point and forward after it.
    expect(new Set(results.map((r) => r.state))).toEqual(new Set(['old', 'new']));
  }, 170_000);
});
