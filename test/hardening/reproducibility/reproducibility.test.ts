/**
 * Reproducibility: two builds of the same commit, in different directories, time zones, locales and
 * umasks (separate processes of the real CLI), give byte-identical dist/ trees, signatures aside
 * (ECDSA signatures are randomized; the signed statement inside the attestation is compared).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = join(import.meta.dirname, '../../..');
const BIN = join(REPO, 'src/cli/bin.js');
const COMMIT = 'c'.repeat(40);

interface Machine {
  readonly dir: string;
  readonly tz: string;
  readonly locale: string;
  readonly umask: string;
}

/** Runs the CLI in its own process with the machine's time zone, locale and umask. */
function lockstep(m: Machine, root: string, ...args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('/bin/sh', ['-c', `umask ${m.umask} && exec "$0" "$@"`, process.execPath, BIN, ...args, '--root', root, '--quiet'], {
      cwd: root,
      env: { PATH: process.env.PATH, TZ: m.tz, LANG: m.locale, LC_ALL: m.locale, HOME: root },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

const SIGNATURES = /(^|\/)release\.(sigstore|intoto)\.json$/;

/** path → sha256 of every file under dist/, signature files left out. */
async function distDigests(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const e of await readdir(join(root, 'dist'), { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const rel = join(e.parentPath, e.name).slice(root.length + 1);
    if (SIGNATURES.test(rel)) continue;
    out.set(rel, createHash('sha256').update(await readFile(join(root, rel))).digest('hex'));
  }
  return out;
}

/** The in-toto statement signed into the attestation (deterministic, unlike the signature). */
async function attestedStatement(root: string, env: string): Promise<string> {
  const envelope = JSON.parse(await readFile(join(root, 'dist', env, 'release.intoto.json'), 'utf8')) as { payload: string };
  return Buffer.from(envelope.payload, 'base64').toString('utf8');
}

const machines: Machine[] = [];

describe('two builds on different machines', () => {
  beforeAll(async () => {
    const base = await mkdtemp(join(tmpdir(), 'lockstep-repro-'));
    machines.push({ dir: join(base, 'a'), tz: 'UTC', locale: 'C', umask: '0022' });
    machines.push({ dir: join(base, 'builds', 'elsewhere', 'b-with-a-longer-name'), tz: 'Pacific/Chatham', locale: 'tr_TR.UTF-8', umask: '0077' });
    for (const m of machines) {
      await mkdir(m.dir, { recursive: true });
      for (const d of ['environments', 'sboms', 'policies']) await cp(join(REPO, d), join(m.dir, d), { recursive: true });
      for (const args of [['synth'], ['check'], ['sign', '--env', 'dev', '--source-commit', COMMIT]]) {
        const r = await lockstep(m, m.dir, ...args);
        if (r.code !== 0) throw new Error(`lockstep ${args.join(' ')} (${m.tz}, ${m.locale}, umask ${m.umask}): exit ${r.code}\n${r.stderr}`);
      }
    }
  }, 180_000);

  afterAll(async () => {
    if (machines[0]) await rm(join(machines[0].dir, '..'), { recursive: true, force: true });
  });

  it('write the same release.json, byte for byte', async () => {
    const [a, b] = await Promise.all(machines.map((m) => readFile(join(m.dir, 'dist/dev/release.json'))));
    expect(b!.equals(a!)).toBe(true);
  });

  it('write the same files under dist/ for every environment, signatures aside', async () => {
    const [a, b] = await Promise.all(machines.map((m) => distDigests(m.dir)));
    expect(a!.size).toBeGreaterThan(500);
    const differing = [...new Set([...a!.keys(), ...b!.keys()])].filter((p) => a!.get(p) !== b!.get(p));
    expect(differing).toEqual([]);
  });

  it('attest the same statement (provenance over release.json and every manifest)', async () => {
    const [a, b] = await Promise.all(machines.map((m) => attestedStatement(m.dir, 'dev')));
    expect(b).toBe(a);
  });

  it('differ in file modes only as their umasks say (the digests cover bytes, not modes)', async () => {
    const [a, b] = await Promise.all(machines.map((m) => stat(join(m.dir, 'dist/dev/release.json'))));
    expect(a!.mode & 0o077).not.toBe(0);
    expect(b!.mode & 0o077).toBe(0);
  });
});
