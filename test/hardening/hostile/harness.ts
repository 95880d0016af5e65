/**
 * Runs the hostile-input corpus (`test/fixtures/hostile/cases.yaml`) against the real CLI.
 *
 * Each case builds a scratch repository (base fixture + the case's files, edits, generated files and
 * symlinks), snapshots its file tree, spawns `node src/cli/bin.js <args> --quiet --root <scratch>`
 * with a hard timeout, and reports what happened. The test file turns the outcome into assertions:
 * exit code, one `error:` line per problem matching the case's regex, no stack frames, nothing
 * written.
 *
 * Inputs that would mean committing megabytes (files over the 4 MiB limit, alias bombs with huge
 * expansions, documents nested hundreds deep) are generated here at test time.
 */
import { spawn } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { cp, lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { parse } from 'yaml';
import { generateKeyPair } from '../../../src/supply-chain/signing/keys.ts';
import { signBlob } from '../../../src/supply-chain/signing/blob.ts';

export const REPO = join(import.meta.dirname, '../../..');
export const CORPUS = join(REPO, 'test/fixtures/hostile');
export const BIN = join(REPO, 'src/cli/bin.js');
/** Password of the encrypted test key generated for the signing cases. */
export const KEY_PASSWORD = 'correct-horse-battery-staple';

export interface Edit {
  readonly file: string;
  readonly replace: string;
  readonly with: string;
}

export interface Generated {
  readonly file: string;
  /** huge: a valid YAML file padded past `bytes`; deep: `depth` nested maps under `under`; aliases: a billion-laughs document. */
  readonly kind: 'huge' | 'deep' | 'deep-flow' | 'aliases' | 'invalid-utf8' | 'crlf' | 'truncate';
  readonly bytes?: number;
  readonly depth?: number;
  /** For invalid-utf8 / crlf / truncate: the base or fixture file to derive from. */
  readonly from?: string;
}

export interface HostileCase {
  readonly id: string;
  readonly kind: string;
  readonly description: string;
  /** Fixture sets copied into the scratch repository: `env` (environments/dev.yaml), `keys` (test keys and a signed blob). */
  readonly base?: readonly string[];
  readonly files?: Readonly<Record<string, string>>;
  readonly edits?: readonly Edit[];
  readonly generate?: readonly Generated[];
  /** link path (in the repository) → target; `$OUTSIDE/x` targets a folder outside the repository. */
  readonly symlinks?: Readonly<Record<string, string>>;
  /** Files placed in the folder outside the repository. */
  readonly outside?: Readonly<Record<string, string>>;
  readonly args: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly exit: number;
  /** Regex one error line must match (after `error: ` for stderr). */
  readonly error: string;
  /** Where the error is reported: stderr (`error: …` lines, the default) or stdout (`policy test`'s Errors: list). */
  readonly stream?: 'stderr' | 'stdout';
}

export interface Outcome {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
  readonly before: ReadonlyMap<string, string>;
  readonly after: ReadonlyMap<string, string>;
  readonly root: string;
}

export async function loadCases(): Promise<HostileCase[]> {
  return parse(await readFile(join(CORPUS, 'cases.yaml'), 'utf8')) as HostileCase[];
}

/** Test keys and a signed blob, generated once per run (no private key is committed). */
export async function makeKeyFixtures(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const pair = await generateKeyPair(KEY_PASSWORD);
  await writeFile(join(dir, 'cosign.key'), pair.privatePem);
  await writeFile(join(dir, 'cosign.pub'), pair.publicPem);
  const ed = generateKeyPairSync('ed25519');
  await writeFile(join(dir, 'ed25519.key'), ed.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  await writeFile(join(dir, 'ed25519.pub'), ed.publicKey.export({ type: 'spki', format: 'pem' }));
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  await writeFile(join(dir, 'rsa.key'), rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  await writeFile(join(dir, 'rsa.pub'), rsa.publicKey.export({ type: 'spki', format: 'pem' }));
  const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
  await writeFile(join(dir, 'p384.pub'), p384.publicKey.export({ type: 'spki', format: 'pem' }));
  const blob = Buffer.from('hello from the hostile corpus\n');
  await writeFile(join(dir, 'blob.txt'), blob);
  const { loadPrivateKey } = await import('../../../src/supply-chain/signing/keys.ts');
  const key = await loadPrivateKey(pair.privatePem, KEY_PASSWORD);
  const signed = signBlob(blob, key);
  await writeFile(join(dir, 'blob.sigstore.json'), `${JSON.stringify(signed.bundle)}\n`);
}

function hugeYaml(bytes: number): string {
  const line = `# ${'x'.repeat(100)}\n`;
  return `apiVersion: lockstep.dev/v1alpha1\n${line.repeat(Math.ceil(bytes / line.length))}`;
}

function deepYaml(depth: number, flow: boolean): string {
  if (flow) return `apiVersion: lockstep.dev/v1alpha1\nkind: Environment\nname: ${'['.repeat(depth)}1${']'.repeat(depth)}\n`;
  let text = 'apiVersion: lockstep.dev/v1alpha1\nkind: Environment\nname: dev\nnetwork:\n';
  for (let i = 0; i < depth; i++) text += `${'  '.repeat(i + 1)}k${i}:\n`;
  return `${text}${'  '.repeat(depth + 1)}leaf: 1\n`;
}

function aliasBomb(): string {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  const names = 'bcdefghi';
  let prev = 'a';
  for (const n of names) {
    lines.push(`${n}: &${n} [*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev}]`);
    prev = n;
  }
  return `apiVersion: lockstep.dev/v1alpha1\nkind: Environment\nname: dev\nbomb:\n${lines.map((l) => `  ${l}`).join('\n')}\n`;
}

async function generate(root: string, keysDir: string, g: Generated): Promise<void> {
  const target = join(root, g.file);
  await mkdir(dirname(target), { recursive: true });
  const source = async () => {
    const from = g.from ?? g.file;
    return readFile(from.startsWith('keys/') ? join(keysDir, from.slice(5)) : join(root, from));
  };
  switch (g.kind) {
    case 'huge':
      return writeFile(target, hugeYaml(g.bytes ?? 4 * 1024 * 1024 + 1));
    case 'deep':
    case 'deep-flow':
      return writeFile(target, deepYaml(g.depth ?? 200, g.kind === 'deep-flow'));
    case 'aliases':
      return writeFile(target, aliasBomb());
    case 'invalid-utf8': {
      const text = await source();
      const i = text.indexOf('\n', Math.floor(text.length / 2));
      return writeFile(target, Buffer.concat([text.subarray(0, i), Buffer.from(' # \xff\xfe', 'latin1'), text.subarray(i)]));
    }
    case 'crlf':
      return writeFile(target, (await source()).toString('utf8').replace(/\r?\n/g, '\r\n'));
    case 'truncate': {
      const text = await source();
      return writeFile(target, text.subarray(0, g.bytes ?? Math.floor(text.length / 2)));
    }
  }
}

/** Builds the scratch repository of a case; returns its root and the outside folder. */
export async function prepare(c: HostileCase, keysDir: string): Promise<{ root: string; outside: string }> {
  const scratch = await mkdtemp(join(tmpdir(), `hostile-${c.id}-`));
  const root = join(scratch, 'repo');
  const outside = join(scratch, 'outside');
  await mkdir(root);
  await mkdir(outside);
  for (const b of c.base ?? []) {
    if (b === 'keys') await cp(keysDir, join(root, 'keys'), { recursive: true });
    else await cp(join(CORPUS, 'base', b), root, { recursive: true });
  }
  for (const [path, text] of Object.entries(c.outside ?? {})) {
    await mkdir(dirname(join(outside, path)), { recursive: true });
    await writeFile(join(outside, path), text);
  }
  for (const [path, text] of Object.entries(c.files ?? {})) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
  for (const e of c.edits ?? []) {
    const path = join(root, e.file);
    const text = await readFile(path, 'utf8');
    if (!text.includes(e.replace)) throw new Error(`case ${c.id}: ${e.file} does not contain ${JSON.stringify(e.replace)}`);
    await writeFile(path, text.replace(e.replace, e.with));
  }
  for (const g of c.generate ?? []) await generate(root, keysDir, g);
  for (const [link, target] of Object.entries(c.symlinks ?? {})) {
    await mkdir(dirname(join(root, link)), { recursive: true });
    await symlink(target.replace('$OUTSIDE', outside), join(root, link));
  }
  return { root, outside };
}

/** Path → content hash (or link target) of every entry under `dir`, without following links. */
export async function snapshot(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  for (const e of entries) {
    const full = join(e.parentPath, e.name);
    const rel = relative(dir, full);
    const st = await lstat(full);
    if (st.isSymbolicLink()) out.set(rel, `link:${await readlink(full)}`);
    else if (st.isDirectory()) out.set(rel, 'dir');
    else out.set(rel, `${st.mode.toString(8)}:${createHash('sha256').update(await readFile(full)).digest('hex')}`);
  }
  return new Map([...out.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Spawns the real CLI; kills it after `timeoutMs`. */
export function runCli(args: readonly string[], options: { env?: Readonly<Record<string, string>>; timeoutMs?: number } = {}): Promise<{ code: number | null; stdout: string; stderr: string; timedOut: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: REPO,
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? tmpdir(), ...(options.env ?? {}) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 10_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
  });
}

export async function runCase(c: HostileCase, keysDir: string, timeoutMs = 10_000): Promise<Outcome> {
  const { root } = await prepare(c, keysDir);
  const before = await snapshot(root);
  const args = c.args.map((a) => a.replace('$ROOT', root));
  const r = await runCli([...args, '--quiet', '--root', root], { ...(c.env ? { env: c.env } : {}), timeoutMs });
  const after = await snapshot(root);
  return { ...r, before, after, root };
}

/** Runs `items` through `fn` with at most `limit` in flight. */
export async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export async function removeScratch(root: string): Promise<void> {
  await rm(dirname(root), { recursive: true, force: true });
}
