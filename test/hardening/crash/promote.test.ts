import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileCli, REPO } from './compile.ts';
import { calibrate, cli as run, COMMIT_A, COMMIT_B, describeTorn, must, PASSWORD, randomKills, scratchRepo, SEED, structuralOps, summary, trials, TRIALS, type Calibration, type Scenario, type TrialResult } from './harness.ts';

const PROMOTE = ['promote', '--from', 'staging', '--to', 'production', '--approver', 'alice', '--approver', 'bob', '--key', 'k.key'];
const VERIFY = ['verify', '--env', 'production', '--key', 'k.pub'];

describe('lockstep promote under SIGKILL', () => {
  let cli: { dir: string; main: string };
  let scenario: Scenario;
  let calibration: Calibration;
  let before: string;

  beforeAll(async () => {
    cli = await compileCli();
    const template = await scratchRepo(REPO);
    await must(template, 'generate-key-pair', '--output-key-prefix', 'k');
    await must(template, 'synth', '--env', 'staging', '--env', 'production');
    await must(template, 'check', '--env', 'staging');
    await must(template, 'sign', '--env', 'staging', '--key', 'k.key', '--source-commit', COMMIT_A);
    await must(template, ...PROMOTE, '--source-commit', COMMIT_A);
    // Old: production promoted once. New: promoted again with one more replica of project-ai-core
    // (other manifests, a new release, a lock whose history holds the old one).
    const file = join(template, 'environments/production.yaml');
    before = await readFile(file, 'utf8');
    await writeFile(file, before.replace('    project-ai-core: 3', '    project-ai-core: 4'));
    scenario = {
      name: 'promote',
      template,
      argv: [...PROMOTE, '--source-commit', COMMIT_B],
      env: { COSIGN_PASSWORD: PASSWORD, LOCKSTEP_TEST_NOW: '2025-06-01T12:00:00.000Z' },
      verifyArgv: VERIFY,
    };
    calibration = await calibrate(cli.main, scenario);
  }, 170_000);

  afterAll(async () => {
    await rm(cli.dir, { recursive: true, force: true });
    if (scenario) await rm(scenario.template, { recursive: true, force: true });
  });

  async function expectAllOrNothing(results: readonly TrialResult[]): Promise<void> {
    expect(describeTorn(results)).toEqual([]);
    expect(results.filter((r) => r.journalLeftovers.length > 0).map((r) => r.journalLeftovers)).toEqual([]);
    // New: the promoted release verifies. Old: it verified before production.yaml changed; verify
    // now names that input, and the old release still verifies once the edit is undone.
    const wrong = results.filter((r) =>
      r.state === 'new' ? r.verify.code !== 0 : r.verify.code !== 1 || !/environments\/production\.yaml: sha256 changed/.test(r.verify.stderr) || /dist\/production\/manifests/.test(r.verify.stderr),
    );
    expect(wrong.map((r) => `${JSON.stringify(r.kill)} ${r.state}: ${r.verify.stderr}`)).toEqual([]);
  }

  it('knows the old release verifies with its own inputs (the baseline of every old-state trial)', async () => {
    const file = join(scenario.template, 'environments/production.yaml');
    const edited = await readFile(file, 'utf8');
    await writeFile(file, before);
    const r = await run(scenario.template, ...VERIFY, '--quiet');
    await writeFile(file, edited);
    expect(r).toMatchObject({ code: 0, stderr: '' });
  });

  it(`leaves the old or the new release and lock after ${TRIALS} kills at random moments, and verify agrees`, async () => {
    const results = await trials(cli.main, scenario, calibration, randomKills(calibration, TRIALS, SEED));
    console.log(summary('promote', `random, seed ${SEED}, window ${Math.round(calibration.durationMs)} ms`, results));
    await expectAllOrNothing(results);
  }, 170_000);

  it('leaves the old or the new release and lock when killed before each rename, removal and lock', async () => {
    // The scratch rendering under the transaction's work/ directory is discarded whole before the
    // commit point (random kills land there most of the time); these points are the live tree's.
    const points = structuralOps(calibration.ops, /\/work\//);
    const results = await trials(cli.main, scenario, calibration, points.map((atOp) => ({ atOp })));
    console.log(summary('promote', `before each of ${points.length} renames, removals and locks outside the scratch rendering (of ${calibration.ops.length} writes)`, results));
    await expectAllOrNothing(results);
    expect(new Set(results.map((r) => r.state))).toEqual(new Set(['old', 'new']));
  }, 170_000);
});
