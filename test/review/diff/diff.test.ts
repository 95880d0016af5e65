/**
 * End to end on a throwaway git repository: a copy of this repository's platform, committed, then
 * changed. Few tests, because each renders both sides (seconds each); everything else is unit-tested.
 */
import { cp, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { $ } from 'zx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.ts';
import { asDiffError } from '../../../src/cli/commands/diff.ts';
import { LockstepError } from '../../../src/util/errors.ts';

const REPO = join(import.meta.dirname, '../../..');
let root: string;
let tempRepo: string;

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main([...args, '--root', root, '--quiet'], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: {} });
  return { code, stdout, stderr };
}

async function commit(message: string) {
  await $({ cwd: root, quiet: true })`git add -A`;
  await $({ cwd: root, quiet: true })`git -c user.name=test -c user.email=test@example.com commit -q -m ${message}`;
}

/** Edits a file of the temp repository by exact string replacement (failing loudly if absent). */
async function edit(file: string, from: string, to: string) {
  const text = await readFile(join(root, file), 'utf8');
  if (!text.includes(from)) throw new Error(`${file} does not contain ${JSON.stringify(from)}`);
  await writeFile(join(root, file), text.replace(from, to));
}

beforeAll(async () => {
  root = tempRepo = await mkdtemp(join(tmpdir(), 'lockstep-diff-e2e-'));
  for (const d of ['environments', 'sboms', 'src', 'constructs']) await cp(join(REPO, d), join(root, d), { recursive: true });
  for (const f of ['package.json', 'tsconfig.json']) await cp(join(REPO, f), join(root, f));
  await symlink(join(REPO, 'node_modules'), join(root, 'node_modules'), 'dir');
  await writeFile(join(root, '.gitignore'), 'node_modules\n');
  await $({ cwd: root, quiet: true })`git init -q`;
  await commit('base');
});

afterAll(async () => {
  await rm(tempRepo, { recursive: true, force: true });
});

describe('lockstep diff on a git repository', () => {
  it('exits 0 when nothing changed', async () => {
    const r = await cli(['diff', '--base', 'HEAD', '--env', 'staging']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/no changes in staging\n$/);
  });

  it('shows exactly the Deployment whose replicas changed in environments/staging.yaml', async () => {
    const original = await readFile(join(root, 'environments/staging.yaml'), 'utf8');
    await edit('environments/staging.yaml', '    project-ai-core: 2\n', '    project-ai-core: 5\n');
    try {
      const r = await cli(['diff', '--base', 'HEAD', '--format', 'json']);
      expect(r.code).toBe(1);
      const json = JSON.parse(r.stdout);
      const changed = json.environments.flatMap((e: any) => [...e.objects.added, ...e.objects.removed, ...e.objects.changed].map((o: any) => [e.name, o.kind, o.namespace, o.name, o.pointers]));
      expect(changed).toEqual([['staging', 'Deployment', 'project-ai-core', 'project-ai-core', ['/spec/replicas']]]);
      expect(json.environments.flatMap((e: any) => e.findings)).toEqual([]);
    } finally {
      await writeFile(join(root, 'environments/staging.yaml'), original);
    }
  });

  it('fails when an environment does not exist at the base, with exit code 2', async () => {
    const staging = await readFile(join(root, 'environments/staging.yaml'), 'utf8');
    await writeFile(join(root, 'environments/qa.yaml'), staging.replace('name: staging', 'name: qa'));
    try {
      const r = await cli(['diff', '--base', 'HEAD', '--env', 'qa']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^error: base \(HEAD\): environment qa does not exist at HEAD \([0-9a-f]{12}\); it is new in this change; diff the other environments with --env \(dev, production, staging\)\n$/);
    } finally {
      await rm(join(root, 'environments/qa.yaml'));
    }
  });

  it('fails when the head does not render, naming the environment, with exit code 2', async () => {
    const original = await readFile(join(root, 'environments/dev.yaml'), 'utf8');
    await edit('environments/dev.yaml', 'stage: dev', 'stage: qa');
    try {
      const r = await cli(['diff', '--base', 'HEAD', '--env', 'dev']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^error: head \(working tree\): environment dev does not render: environments\/dev\.yaml:\d+:\d+: \/stage: must be one of/);
    } finally {
      await writeFile(join(root, 'environments/dev.yaml'), original);
    }
  });

  it('classifies an RBAC, network, Pod Security and image change against HEAD~1', async () => {
    await edit('src/platform/gastown.ts', "{ verbs: ['get'], resources: [ApiResource.PODS_LOG] },", "{ verbs: ['get'], resources: [ApiResource.PODS_LOG] }, { verbs: ['get'], resources: [ApiResource.SECRETS] },");
    await edit(
      'src/platform/kgents.ts',
      '  return { namespace: ns, agents };',
      "  agents.critic!.connections.allowExternal([NetworkPort.tcp(443)]);\n  ApiObject.of(agents.planner!.node.findChild('Deployment')).addJsonPatch(JsonPatch.replace('/spec/template/spec/containers/0/securityContext/privileged', true));\n  return { namespace: ns, agents };",
    );
    await edit('src/platform/kgents.ts', "import { Construct } from 'constructs';", "import { Construct } from 'constructs';\nimport { ApiObject, JsonPatch } from 'cdk8s';");
    await edit('environments/images.lock.yaml', 'sha256:96921bbeebba50fc67184048218e24da5575820f996c19ed54fea2f39a57a719', `sha256:${'ab'.repeat(32)}`);
    await commit('risky');

    const r = await cli(['diff', '--base', 'HEAD~1', '--format', 'json']);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    const staging = json.environments.find((e: any) => e.name === 'staging');
    const brief = (f: any) => [f.class, `${f.object.kind} ${f.object.namespace}/${f.object.name}`, f.constructPath, f.source?.file];
    expect(staging.findings.map(brief)).toEqual([
      ['rbac-broadened', 'Role gastown-polecats/gastown-operator-manager', 'staging/gastown/gastown-operator-system/gastown-operator/Role-gastown-polecats/Resource', 'src/platform/gastown.ts'],
      ['network-opened', 'NetworkPolicy kgents-agents/critic', 'staging/kgents/kgents-agents/critic/NetworkPolicy', 'src/platform/kgents.ts'],
      ['security-weakened', 'Deployment kgents-agents/planner', 'staging/kgents/kgents-agents/planner/Deployment', 'src/platform/kgents.ts'],
      ['image-changed', 'Deployment kgents-agents/critic', 'staging/kgents/kgents-agents/critic/Deployment', 'src/platform/kgents.ts'],
      ['image-changed', 'Deployment kgents-agents/planner', 'staging/kgents/kgents-agents/planner/Deployment', 'src/platform/kgents.ts'],
      ['image-changed', 'Deployment kgents-agents/summarizer', 'staging/kgents/kgents-agents/summarizer/Deployment', 'src/platform/kgents.ts'],
    ]);
    expect(staging.findings.map((f: any) => f.message)).toEqual([
      'now grants get on secrets (any name: the resourceNames restriction was removed)',
      expect.stringMatching(/^opens egress to 0\.0\.0\.0\/0 except .* on TCP\/443$/),
      'container logic: privileged: true (full access to the node)',
      expect.stringMatching(/^container logic: ghcr\.io\/kgents\/agent: new digest sha256:96921bbeebba… → sha256:abababababab…; no SBOM annotation/),
      expect.anything(),
      expect.anything(),
    ]);
    expect(staging.findings[2].pointer).toBe('/spec/template/spec/containers/0/securityContext/privileged');
    const production = json.environments.find((e: any) => e.name === 'production');
    expect(production.findings.filter((f: any) => f.class === 'production-touched')).toHaveLength(production.objects.changed.length);
    expect((await $({ cwd: root, quiet: true })`git worktree list`).stdout.trim().split('\n')).toHaveLength(1);
  });

  it('renders a head revision in a worktree too, as a Markdown comment', async () => {
    const r = await cli(['diff', '--base', 'HEAD~1', '--head', 'HEAD', '--env', 'staging', '--format', 'markdown']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^<!-- lockstep-diff -->\n## Lockstep diff\n\nBase `HEAD~1` \(`[0-9a-f]{12}`\) → head `HEAD` \(`[0-9a-f]{12}`\)\./);
    expect(r.stdout).toContain('#### 🛡️ security-weakened (1)');
    expect(r.stdout).toContain('```mermaid\nflowchart LR\n');
    expect(r.stdout).toMatch(/n_\S*critic\S* -\.->\|"443\/TCP"\| n_\S*0_0_0_0_0\S*/);
  });
});

describe('lockstep diff command line', () => {
  it('fails when the format or the maximum length is wrong, with exit code 2', async () => {
    root = REPO;
    expect(await cli(['diff', '--format', 'html'])).toMatchObject({ code: 2, stderr: 'error: unknown format "html"; use one of: text, markdown, json\n' });
    expect(await cli(['diff', '--format', 'markdown', '--max-length', '10'])).toMatchObject({ code: 2, stderr: 'error: --max-length must be a whole number of at least 2000, got "10"; e.g. --max-length 65536\n' });
  });

  it('fails when an environment is unknown at the head, naming the known ones', async () => {
    root = REPO;
    expect(await cli(['diff', '--env', 'nope'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/^error: unknown environment "nope"; use one of: dev, production, staging\n$/) });
  });

  it('fails with exit code 2 whatever went wrong, since 1 means "changed"', () => {
    expect(asDiffError(new Error('disk full'))).toMatchObject({ exitCode: 2, message: 'diff failed: disk full; run again with --debug for the stack trace' });
    expect(asDiffError(new LockstepError({ message: 'bad environment' })).exitCode).toBe(2);
  });
});
