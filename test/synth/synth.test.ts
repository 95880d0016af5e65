import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { buildExamplePlatform } from '../../src/platform/index.ts';
import { synthesize } from '../../src/synth/synth.ts';
import { defaultGates } from '../../src/gates/index.ts';
import { recoverDirectory } from '../../src/util/atomic.ts';
import { LockstepError } from '../../src/util/errors.ts';

const run = promisify(execFile);
const REPO = join(import.meta.dirname, '../..');
const BIN = join(REPO, 'src/cli/bin.js');

/** A scratch copy of the repository's inputs, so tests never touch the committed dist/. */
async function scratch(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'lockstep-synth-'));
  await cp(join(REPO, 'environments'), join(root, 'environments'), { recursive: true });
  await cp(join(REPO, 'sboms'), join(root, 'sboms'), { recursive: true });
  return root;
}

async function tree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) out[relative(dir, join(e.parentPath, e.name))] = await readFile(join(e.parentPath, e.name), 'utf8');
  }
  return out;
}

const synth = (root: string, environments = ['dev', 'staging', 'production']) =>
  synthesize({ root, environments, define: buildExamplePlatform, gates: defaultGates() });

describe('synth', () => {
  it('writes one file per object under dist/<env>/manifests, the namespace in the path', async () => {
    const root = await scratch();
    await synth(root, ['dev']);
    const files = Object.keys(await tree(join(root, 'dist/dev')));
    expect(files).toContain('manifests/project-ai-eca/deployment_project-ai-eca.yaml');
    expect(files).toContain('manifests/_cluster/customresourcedefinition_rigs.gastown.gastown.io.yaml');
    expect(files).toEqual(expect.arrayContaining(['objects.json', 'images.json', 'sbom.cdx.json']));
  });

  it('renders byte-identical output twice, and in another time zone, locale and umask', async () => {
    const a = await scratch();
    await synth(a);
    const b = await scratch();
    await run('sh', ['-c', `umask 077 && node ${BIN} synth --quiet`], { cwd: b, env: { ...process.env, TZ: 'Pacific/Chatham', LANG: 'tr_TR.UTF-8', LC_ALL: 'tr_TR.UTF-8' } });
    expect(await tree(join(b, 'dist'))).toEqual(await tree(join(a, 'dist')));
    await synth(a);
    expect(await tree(join(b, 'dist'))).toEqual(await tree(join(a, 'dist')));
  });

  it('matches the committed dist/ (the rendered manifests always match the code)', async () => {
    const root = await scratch();
    await synth(root);
    for (const env of ['dev', 'staging', 'production']) {
      const fresh = await tree(join(root, 'dist', env));
      const committed = await tree(join(REPO, 'dist', env));
      for (const [path, text] of Object.entries(fresh)) expect({ path, text: committed[path] }).toEqual({ path, text });
    }
  });

  it('fails with every problem and writes nothing when an environment is broken', async () => {
    const root = await scratch();
    await synth(root);
    const before = await tree(join(root, 'dist'));
    const prod = join(root, 'environments/production.yaml');
    await writeFile(prod, (await readFile(prod, 'utf8')).replace('default: 2', 'default: "three"'));
    const staging = join(root, 'environments/staging.yaml');
    await writeFile(staging, (await readFile(staging, 'utf8')).replace('llmProviders:', 'llmProvider:'));
    const err = await synth(root).catch((e) => e);
    expect(err).toBeInstanceOf(LockstepError);
    expect(err.message).toMatch(/environments\/production\.yaml:\d+:\d+: \/replicas\/default: must be a whole number, got "three"/);
    expect(err.message).toMatch(/environments\/staging\.yaml: \/egress\/llmProviders: the platform needs the egress list "llmProviders"/);
    expect(await tree(join(root, 'dist'))).toEqual(before);
  });

  it('fails in production when an image has no SBOM, naming the workload and the image', async () => {
    const root = await scratch();
    const { rm } = await import('node:fs/promises');
    await rm(join(root, 'sboms/ghcr.io/kgents/dgent'), { recursive: true });
    const err = await synth(root, ['production']).catch((e) => e);
    expect(err).toBeInstanceOf(LockstepError);
    expect(err.message).toMatch(/production\/kgents\/kgents-agents\/planner: production requires an SBOM for every image, and none is in sboms\/ for container d-gent \(ghcr\.io\/kgents\/dgent@sha256:[0-9a-f]{64}\)/);
    expect(await synth(root, ['dev'])).toHaveLength(1);
  });

  it('keeps files of later stages (reports, signatures) when it replaces dist/<env>', async () => {
    const root = await scratch();
    await synth(root, ['dev']);
    await mkdir(join(root, 'dist/dev/reports'), { recursive: true });
    await writeFile(join(root, 'dist/dev/reports/junit.xml'), '<testsuites/>');
    await synth(root, ['dev']);
    expect(await readFile(join(root, 'dist/dev/reports/junit.xml'), 'utf8')).toBe('<testsuites/>');
  });

  it('restores the previous output when a run died between the two renames of the swap', async () => {
    const root = await scratch();
    await synth(root, ['dev']);
    const before = await tree(join(root, 'dist/dev'));
    await rename(join(root, 'dist/dev'), join(root, 'dist/.dev.old-deadbeef'));
    await mkdir(join(root, 'dist/.dev.staging-cafebabe'));
    await recoverDirectory(join(root, 'dist/dev'));
    expect(await tree(join(root, 'dist/dev'))).toEqual(before);
    expect((await readdir(join(root, 'dist'))).filter((e) => e.startsWith('.'))).toEqual([]);
  });
});
