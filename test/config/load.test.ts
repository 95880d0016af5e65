import { mkdtemp, mkdir, writeFile, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadEnvironment, parseEnvironment } from '../../src/config/load.ts';
import { LockstepError, formatProblem } from '../../src/util/errors.ts';

const VALID = `apiVersion: lockstep.dev/v1alpha1
kind: Environment
name: production
stage: production
clusters:
  - name: prod-1
    server: https://prod.example.com:6443
images:
  api: ghcr.io/acme/api:1.2.3@sha256:${'a'.repeat(64)}
replicas:
  default: 2
`;

function problems(text: string, file = 'environments/production.yaml'): string[] {
  try {
    parseEnvironment(text, file);
  } catch (e) {
    if (e instanceof LockstepError) return e.problems.map(formatProblem);
    throw e;
  }
  return [];
}

describe('parseEnvironment', () => {
  it('returns a frozen config with defaults filled in', () => {
    const env = parseEnvironment(VALID, 'environments/production.yaml');
    expect(env.replicas).toEqual({ default: 2, workloads: {} });
    expect(env.policies.defaultMode).toBe('Audit');
    expect(Object.isFrozen(env) && Object.isFrozen(env.replicas)).toBe(true);
  });

  it('fails when a key is unknown, naming the line and suggesting the right key', () => {
    expect(problems(VALID.replace('replicas:', 'replicaz:'))).toEqual(['environments/production.yaml:10:1: /replicaz: unknown key "replicaz"; did you mean "replicas"?']);
  });

  it('fails when replicas is a string, with the value received and a fix', () => {
    expect(problems(VALID.replace('default: 2', 'default: "three"'))).toEqual([
      'environments/production.yaml:11:12: /replicas/default: must be a whole number, got "three"; write a number without quotes, e.g. 3',
    ]);
  });

  it('fails when an image uses :latest', () => {
    const text = VALID.replace(/api: .*/, 'api: ghcr.io/acme/api:latest');
    expect(problems(text)[0]).toMatch(/^environments\/production\.yaml:9:8: \/images\/api: .*:latest.*; pin a version tag and its digest/);
  });

  it('fails when an image has neither tag nor digest', () => {
    expect(problems(VALID.replace(/api: .*/, 'api: ghcr.io/acme/api'))[0]).toMatch(/\/images\/api: .*(latest|no tag)/);
  });

  it('fails when the YAML is invalid, naming line and column', () => {
    expect(problems('name: [unclosed\n')[0]).toMatch(/^environments\/production\.yaml:\d+:\d+: invalid YAML: /);
  });

  it('fails when a key is duplicated', () => {
    expect(problems(VALID + 'replicas:\n  default: 3\n')[0]).toMatch(/invalid YAML: Map keys must be unique.*; remove one of the duplicate keys/);
  });

  it('reports every problem at once', () => {
    const text = VALID.replace('stage: production', 'stage: prod').replace('default: 2', 'default: -1');
    const found = problems(text);
    expect(found).toHaveLength(2);
    expect(found[0]).toMatch(/\/stage: must be one of "dev", "staging", "production", got "prod"/);
    expect(found[1]).toMatch(/\/replicas\/default: must be ≥ 0, got -1/);
  });

  it('fails when the name does not match the file', () => {
    expect(problems(VALID, 'environments/staging.yaml')).toEqual(['environments/staging.yaml:3:7: /name: name "production" does not match the file name; set name: staging or rename the file']);
  });

  it('fails when a staging or production environment accepts the local development key', () => {
    expect(problems(VALID + 'signing:\n  allowDevKey: true\n')[0]).toMatch(/\/signing\/allowDevKey: the local development key cannot sign a production release/);
  });

  it('fails on keys that reach object prototypes', () => {
    expect(problems(VALID + '__proto__:\n  polluted: true\n')[0]).toMatch(/\/__proto__: key "__proto__" is not allowed/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('fails on alias bombs instead of expanding them', () => {
    const bomb = 'a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n';
    expect(problems(bomb)[0]).toMatch(/(cannot expand the document|Excessive alias count)/);
  });

  it('fails when the bytes are not UTF-8', () => {
    expect(() => parseEnvironment(new Uint8Array([0x6e, 0x61, 0xff, 0xfe]), 'environments/x.yaml')).toThrow(/environments\/x\.yaml: file is not valid UTF-8/);
  });

  it('reads CRLF files like LF files', () => {
    expect(parseEnvironment(VALID.replace(/\n/g, '\r\n'), 'environments/production.yaml')).toEqual(parseEnvironment(VALID, 'environments/production.yaml'));
  });
});

describe('loadEnvironment', () => {
  async function repo(files: Record<string, string>): Promise<string> {
    const root = await mkdtemp(join(tmpdir(), 'lockstep-env-'));
    await mkdir(join(root, 'environments'));
    for (const [name, text] of Object.entries(files)) await writeFile(join(root, 'environments', name), text);
    return root;
  }

  it('pins tagged images through environments/images.lock.yaml', async () => {
    const root = await repo({
      'production.yaml': VALID.replace(/api: .*/, 'api: ghcr.io/acme/api:1.2.3'),
      'images.lock.yaml': `apiVersion: lockstep.dev/v1alpha1\nkind: ImagesLock\nimages:\n  - image: ghcr.io/acme/api:1.2.3\n    digest: sha256:${'b'.repeat(64)}\n`,
    });
    const env = await loadEnvironment(root, 'production');
    expect(env.images.api).toBe(`ghcr.io/acme/api@sha256:${'b'.repeat(64)}`);
    expect(env.imagesLock?.file).toBe('environments/images.lock.yaml');
  });

  it('fails when a production image is neither pinned nor locked', async () => {
    const root = await repo({ 'production.yaml': VALID.replace(/api: .*/, 'api: ghcr.io/acme/api:1.2.3') });
    await expect(loadEnvironment(root, 'production')).rejects.toThrow(/environments\/production\.yaml:9:8: \/images\/api: image "ghcr.io\/acme\/api:1.2.3" must be pinned by digest in production.*run `lockstep images pin`/);
  });

  it('keeps tags in dev when the lock does not know them', async () => {
    const root = await repo({ 'dev.yaml': VALID.replace('name: production', 'name: dev').replace('stage: production', 'stage: dev').replace(/api: .*/, 'api: ghcr.io/acme/api:1.2.3') });
    expect((await loadEnvironment(root, 'dev')).images.api).toBe('ghcr.io/acme/api:1.2.3');
  });

  it('fails when the environment file does not exist, listing the ones that do', async () => {
    const root = await repo({ 'production.yaml': VALID });
    await expect(loadEnvironment(root, 'qa')).rejects.toThrow(/environments\/qa\.yaml: no such environment file; use one of: production/);
  });

  it('loads the example platform environments', async () => {
    const root = await mkdtemp(join(tmpdir(), 'lockstep-env-'));
    await cp(join(import.meta.dirname, '../../environments'), join(root, 'environments'), { recursive: true });
    for (const name of ['dev', 'staging', 'production']) {
      const env = await loadEnvironment(root, name);
      expect(Object.values(env.images).every((i) => i.includes('@sha256:'))).toBe(true);
    }
  });
});
