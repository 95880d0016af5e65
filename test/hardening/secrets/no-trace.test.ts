/**
 * Key material and passwords never reach logs, dist/, reports or locks: the whole signing path
 * (generate-key-pair, synth, check, sign, promote, public-key, sign-blob, and the failure paths with
 * --debug) runs with a distinctive COSIGN_PASSWORD, then every file written and every byte printed
 * is searched for the password, the encrypted key PEM, its base64 lines, and the decrypted key in
 * every encoding.
 */
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.ts';
import { loadPrivateKey } from '../../../src/supply-chain/signing/keys.ts';

const REPO = join(import.meta.dirname, '../../..');
const COMMIT = 'b'.repeat(40);
const PASSWORD = 'Tr0ub4dor&3-hunter2-correct-horse';
let root: string;
let printed = '';

async function cli(args: string[], env: Record<string, string> = { COSIGN_PASSWORD: PASSWORD }) {
  let stdout = '';
  let stderr = '';
  const code = await main([...args, '--root', root], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: { ...env, PATH: '' } });
  printed += stdout + stderr;
  return { code, stdout, stderr };
}

/** Every file under `dir` (repository-relative) except the private key itself. */
async function writtenFiles(dir: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const rel = relative(dir, join(e.parentPath, e.name));
    if (rel === 'k.key') continue;
    out.set(rel, await readFile(join(dir, rel)));
  }
  return out;
}

/** The strings that must appear nowhere: password, key PEM, its base64 body lines, the raw key. */
async function secretNeedles(): Promise<string[]> {
  const pem = await readFile(join(root, 'k.key'), 'utf8');
  const body = pem.split('\n').filter((l) => l && !l.startsWith('-----'));
  const key = await loadPrivateKey(pem, PASSWORD);
  const pkcs8 = key.export({ type: 'pkcs8', format: 'der' });
  const d = key.export({ format: 'jwk' }).d!;
  const dRaw = Buffer.from(d, 'base64url');
  return [
    PASSWORD,
    pem.trim(),
    ...body.filter((l) => l.length >= 40),
    body.join(''),
    pkcs8.toString('base64'),
    key.export({ type: 'pkcs8', format: 'pem' }).toString().split('\n')[1]!,
    d,
    dRaw.toString('base64'),
    dRaw.toString('hex'),
  ];
}

describe('no secrets in output', () => {
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'lockstep-no-trace-'));
    for (const d of ['environments', 'sboms', 'policies']) await cp(join(REPO, d), join(root, d), { recursive: true });
    expect((await cli(['generate-key-pair', '--output-key-prefix', 'k'])).code).toBe(0);
    expect((await cli(['synth'])).code).toBe(0);
    expect((await cli(['check', '--env', 'staging'])).code).toBe(0);
    expect((await cli(['sign', '--env', 'staging', '--key', 'k.key', '--source-commit', COMMIT])).code).toBe(0);
    const promoted = await cli(['promote', '--from', 'staging', '--to', 'production', '--approver', 'alice', '--approver', 'bob', '--key', 'k.key', '--source-commit', COMMIT]);
    expect(promoted.code, promoted.stderr).toBe(0);
    expect((await cli(['public-key', '--key', 'k.key', '--output-file', 'k2.pub'])).code).toBe(0);
    expect((await cli(['sign-blob', '--key', 'k.key', '--bundle', 'blob.sigstore.json', '--output-signature', 'blob.sig', 'environments/dev.yaml'])).code).toBe(0);
    // Failure paths, with stack traces on: a wrong password must not be echoed either.
    expect((await cli(['sign', '--env', 'staging', '--key', 'k.key', '--source-commit', COMMIT, '--debug'], { COSIGN_PASSWORD: `${PASSWORD}-wrong` })).code).toBe(1);
    expect((await cli(['sign-blob', '--key', 'k.key', '--debug', 'environments/dev.yaml'], { COSIGN_PASSWORD: `${PASSWORD}-wrong` })).code).toBe(1);
    expect((await cli(['public-key', '--key', 'k.key', '--debug', '--json'])).code).toBe(0);
  }, 300_000);

  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('wrote the files the search covers: releases, reports, the production lock and its signature', async () => {
    const files = [...(await writtenFiles(root)).keys()];
    expect(files).toEqual(expect.arrayContaining(['dist/staging/release.json', 'dist/staging/release.sigstore.json', 'environments/production.lock.yaml', 'dist/production/release.intoto.json', 'k.pub', 'blob.sig']));
    expect(files.some((f) => f.startsWith('dist/staging/reports/'))).toBe(true);
  });

  it('leaves no trace of the password or the private key in any written file', async () => {
    const needles = await secretNeedles();
    // The search can fail: the key file itself (left out below) is full of hits.
    const keyText = await readFile(join(root, 'k.key'), 'utf8');
    expect(needles.filter((n) => keyText.includes(n)).length).toBeGreaterThan(3);
    const hits: string[] = [];
    for (const [file, bytes] of await writtenFiles(root)) {
      const text = bytes.toString('latin1');
      needles.forEach((n, i) => text.includes(n) && hits.push(`${file} contains secret #${i}`));
    }
    expect(hits).toEqual([]);
  });

  it('leaves no trace of the password or the private key in stdout or stderr', async () => {
    expect(printed).toMatch(/wrong password/); // the failure paths really ran
    const needles = await secretNeedles();
    expect(needles.filter((n) => printed.includes(n)).map((n) => needles.indexOf(n))).toEqual([]);
    expect(printed).not.toMatch(/PRIVATE KEY-----/);
  });
});
