import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';

const REPO = join(import.meta.dirname, '../..');

async function cli(args: string[], cwd = REPO) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd, env: {} });
  return { code, stdout, stderr };
}

describe('lockstep CLI', () => {
  it('lists the commands with --help', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Commands:\n\s+build\s+The main job/);
  });

  it('has --help on every command', async () => {
    for (const c of ['build', 'synth', 'policy test', 'conformance']) {
      const r = await cli([...c.split(' '), '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^lockstep ${c} — `));
      expect(r.stdout).toMatch(/Exit codes: 0 success, 1 failure, 2 usage error/);
    }
  });

  it('exits 2 for an unknown command, an unknown flag or a missing argument', async () => {
    expect(await cli(['frobnicate'])).toMatchObject({ code: 2, stderr: 'error: unknown command "frobnicate"; run "lockstep --help" for the list of commands\n' });
    expect(await cli(['synth', '--colour'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/^error: lockstep synth: Unknown option '--colour'/) });
    expect(await cli(['policy', 'test'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/needs exactly one DIR/) });
  });

  it('exits 2 for an unknown environment, naming the known ones', async () => {
    expect(await cli(['synth', '--env', 'qa'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/unknown environment "qa"; use one of: dev, production, staging/) });
  });

  it('prints one line per problem and no stack trace for a broken environment', async () => {
    const root = await mkdtemp(join(tmpdir(), 'lockstep-cli-'));
    await cp(join(REPO, 'environments'), join(root, 'environments'), { recursive: true });
    const prod = join(root, 'environments/production.yaml');
    await writeFile(prod, (await readFile(prod, 'utf8')).replace('stage: production', 'stage: production\nunknownKey: 1'));
    const r = await cli(['synth', '--env', 'production', '--quiet'], root);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: environments/production.yaml:7:1: /unknownKey: unknown key "unknownKey"; allowed keys: apiVersion, kind, name, stage, clusters, network, images, replicas, resources, endpoints, egress, policies, approvals, audit, supplyChain, signing, delivery, promotion\n');
  });

  it('prints the version', async () => {
    expect((await cli(['--version'])).stdout).toMatch(/^lockstep \d+\.\d+\.\d+\n$/);
  });
});
