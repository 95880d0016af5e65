import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderCheckout } from '../../../src/review/diff/render-checkout.ts';
import { isRunningCheckout, renderInChild } from '../../../src/review/diff/side.ts';

const REPO = join(import.meta.dirname, '../../..');
const temps: string[] = [];

async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

afterAll(async () => {
  for (const d of temps) await rm(d, { recursive: true, force: true });
});

describe('renderCheckout', () => {
  it('renders an environment without gates, with repository-relative source lines', async () => {
    const r = await renderCheckout(REPO, ['dev']);
    const env = r.environments[0]!;
    expect(r.available).toContain('dev');
    if ('error' in env) throw new Error(env.error.join('\n'));
    expect(env.stage).toBe('dev');
    const deployment = env.objects.find((o) => o.json.kind === 'Deployment')!;
    expect(deployment.constructPath).toMatch(/^dev\//);
    expect(deployment.source?.file).toMatch(/^src\/platform\/[a-z-]+\.ts$/);
  });

  it('reports an environment the checkout does not have', async () => {
    const r = await renderCheckout(REPO, ['qa']);
    expect(r.environments).toEqual([{ name: 'qa', error: ['environments/qa.yaml does not exist'] }]);
  });

  it('reports a checkout without Lockstep\'s renderer', async () => {
    const dir = await tempDir('lockstep-empty-');
    expect((await renderCheckout(dir, ['dev'])).environments).toEqual([{ name: 'dev', error: ['src/synth/inputs.ts does not exist, so this revision has no Lockstep renderer to run'] }]);
  });
});

describe('isRunningCheckout', () => {
  it('recognises the checkout this code runs from', async () => {
    expect(await isRunningCheckout(REPO)).toBe(true);
    expect(await isRunningCheckout(tmpdir())).toBe(false);
  });
});

describe('renderInChild', () => {
  it('renders another checkout with its own code in a child process', async () => {
    const dir = await brokenCheckout("throw new Error('broken module');\n");
    const r = await renderInChild(dir, ['dev'], tmpdir());
    expect(r.environments).toEqual([{ name: 'dev', error: [expect.stringMatching(/^src\/synth\/inputs\.ts does not load: broken module/)] }]);
  });

  it('fails when the child process fails, quoting its error', async () => {
    const dir = await brokenCheckout("process.stderr.write('error: out of memory\\n');\nprocess.exit(3);\n");
    const err = await renderInChild(dir, ['dev'], tmpdir()).catch((e) => e);
    expect(err.message).toMatch(/^rendering .*lockstep-broken-\w+ in a child process failed \(exit code 3\): out of memory; check that the checkout has node_modules/);
    expect(err.exitCode).toBe(2);
  });
});

async function brokenCheckout(code: string): Promise<string> {
  const dir = await tempDir('lockstep-broken-');
  for (const f of ['src/synth/inputs.ts', 'src/synth/render.ts', 'src/platform/index.ts', 'src/config/load.ts']) {
    await mkdir(join(dir, f, '..'), { recursive: true });
    await writeFile(join(dir, f), code);
  }
  return dir;
}
