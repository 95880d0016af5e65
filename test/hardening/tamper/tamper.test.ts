/**
 * The tamper matrix: every kind of file a production release consists of (or is checked against),
 * times four edits (modify one byte, delete, add a file next to it, reorder), must make
 * `lockstep verify` fail with a message naming the file. The detection rate is printed.
 */
import { cp, mkdtemp, readdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.ts';

const REPO = join(import.meta.dirname, '../../..');
const COMMIT = 'a'.repeat(40);
const PROMOTE = ['promote', '--from', 'staging', '--to', 'production', '--approver', 'alice', '--approver', 'bob', '--key', 'k.key', '--source-commit', COMMIT];
const VERIFY = ['verify', '--env', 'production', '--key', 'k.pub'];

async function cli(root: string, ...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main([...args, '--root', root, '--quiet'], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: { COSIGN_PASSWORD: 'test-password', PATH: process.env.PATH } });
  return { code, stdout, stderr };
}

type Edit = 'modify' | 'delete' | 'add' | 'reorder';
const EDITS: readonly Edit[] = ['modify', 'delete', 'add', 'reorder'];

/** Flips the lowest bit of the middle byte. */
function flipByte(bytes: Buffer): Buffer {
  const out = Buffer.from(bytes);
  const i = Math.floor(out.length / 2);
  out[i] = out[i]! ^ 1;
  return out;
}

/** Swaps the first two different adjacent lines, or reverses the top-level keys of one-line JSON. */
function reorder(text: string): string {
  const lines = text.split('\n');
  if (lines.filter((l) => l !== '').length > 2) {
    const i = lines.findIndex((l, k) => k > 0 && lines[k + 1] !== undefined && l !== lines[k + 1] && lines[k + 1] !== '');
    [lines[i], lines[i + 1]] = [lines[i + 1]!, lines[i]!];
    return lines.join('\n');
  }
  const doc = JSON.parse(text) as Record<string, unknown>;
  return `${JSON.stringify(Object.fromEntries(Object.entries(doc).reverse()))}\n`;
}

/** The file next to `rel` that `add` creates: a copy under another name (for an SBOM: the other format). */
function addedPath(rel: string): string {
  if (rel.startsWith('sboms/')) return rel.endsWith('.cdx.json') ? rel.replace(/\.cdx\.json$/, '.spdx.json') : rel.replace(/\.spdx\.json$/, '.cdx.json');
  const ext = extname(rel);
  return join(dirname(rel), `${basename(rel, ext)}.extra${ext}`);
}

async function apply(root: string, rel: string, edit: Edit): Promise<string> {
  const path = join(root, rel);
  const bytes = await readFile(path);
  if (edit === 'modify') await writeFile(path, flipByte(bytes));
  if (edit === 'delete') await unlink(path);
  if (edit === 'add') await writeFile(join(root, addedPath(rel)), bytes);
  if (edit === 'reorder') {
    const changed = reorder(bytes.toString('utf8'));
    if (changed === bytes.toString('utf8')) throw new Error(`reorder does not change ${rel}`);
    await writeFile(path, changed);
  }
  return edit === 'add' ? addedPath(rel) : rel;
}

let pristine: string;
let targets: string[];
const outcomes: { file: string; edit: Edit; detected: boolean; message: string }[] = [];

describe('lockstep verify against a tampered production release', () => {
  beforeAll(async () => {
    pristine = await mkdtemp(join(tmpdir(), 'lockstep-tamper-'));
    for (const d of ['environments', 'sboms', 'policies']) await cp(join(REPO, d), join(pristine, d), { recursive: true });
    for (const args of [['generate-key-pair', '--output-key-prefix', 'k'], ['synth', '--env', 'staging', '--env', 'production'], ['check', '--env', 'staging'], ['sign', '--env', 'staging', '--key', 'k.key', '--source-commit', COMMIT], PROMOTE]) {
      const r = await cli(pristine, ...args);
      if (r.code !== 0) throw new Error(`lockstep ${args.join(' ')}: ${r.stderr}`);
    }
    const release = JSON.parse(await readFile(join(pristine, 'dist/production/release.json'), 'utf8')) as { images: { sbom?: { path: string } }[] };
    const sbom = release.images.find((i) => i.sbom)!.sbom!.path;
    const manifest = (await readdir(join(pristine, 'dist/production/manifests/kgents-agents'))).sort()[0]!;
    targets = [
      `dist/production/manifests/kgents-agents/${manifest}`,
      ...['release.json', 'release.sigstore.json', 'release.intoto.json', 'objects.json', 'images.json', 'sbom.cdx.json', 'reports/policy-report.yaml', 'reports/results.sarif', 'reports/junit.xml'].map((f) => `dist/production/${f}`),
      'environments/production.lock.yaml',
      'environments/production.lock.sigstore.json',
      sbom,
    ];
  }, 120_000);

  afterAll(async () => {
    const detected = outcomes.filter((o) => o.detected).length;
    console.log(`tamper matrix: ${outcomes.length} cases, ${detected} detected (${((100 * detected) / Math.max(outcomes.length, 1)).toFixed(1)}%)`);
    for (const o of outcomes.filter((x) => !x.detected)) console.log(`  not detected: ${o.edit} ${o.file}`);
    await rm(pristine, { recursive: true, force: true });
  });

  it('verifies the untouched release', async () => {
    expect(await cli(pristine, ...VERIFY)).toMatchObject({ code: 0, stderr: '' });
  });

  it('ignores the HTML report, which is not part of the release (build writes it after signing)', async () => {
    const root = await mkdtemp(join(tmpdir(), 'lockstep-tamper-case-'));
    await cp(pristine, root, { recursive: true });
    await writeFile(join(root, 'dist/production/reports/report.html'), '<p>rendered after signing</p>\n');
    const r = await cli(root, ...VERIFY);
    await rm(root, { recursive: true, force: true });
    expect(r).toMatchObject({ code: 0, stderr: '' });
  });

  /** Applies `change` to a copy of the pristine release and returns verify's stderr. */
  async function verifyAfter(change: (root: string) => Promise<void>): Promise<{ code: number; stderr: string }> {
    const root = await mkdtemp(join(tmpdir(), 'lockstep-tamper-case-'));
    await cp(pristine, root, { recursive: true });
    await change(root);
    const r = await cli(root, ...VERIFY);
    await rm(root, { recursive: true, force: true });
    return r;
  }

  it('says a signature file was rewritten when its keys are reordered', async () => {
    const r = await verifyAfter((root) => apply(root, 'dist/production/release.sigstore.json', 'reorder').then(() => {}));
    expect(r.stderr).toMatch(/^error: dist\/production\/release\.sigstore\.json: is not in the form lockstep and cosign write \(keys reordered, whitespace added, or fields renamed or added\)/m);
  });

  it('says the key hint names another key when it is edited', async () => {
    const r = await verifyAfter(async (root) => {
      const file = join(root, 'dist/production/release.sigstore.json');
      const doc = JSON.parse(await readFile(file, 'utf8'));
      doc.verificationMaterial.publicKey.hint = 'A'.repeat(43) + '=';
      await writeFile(file, `${JSON.stringify(doc)}\n`);
    });
    expect(r.stderr).toMatch(/^error: dist\/production\/release\.sigstore\.json: \/verificationMaterial\/publicKey\/hint: names key A{43}=, but the signature verifies with /m);
  });

  it('says which file is extra when one is added to dist/production', async () => {
    const r = await verifyAfter((root) => writeFile(join(root, 'dist/production/notes.txt'), 'x\n'));
    expect(r.stderr).toMatch(/^error: dist\/production\/notes\.txt: extra file not in the release \(made after signing\?\)/m);
  });

  it('says a second SBOM of an image is ambiguous', async () => {
    const sbom = targets.at(-1)!;
    const r = await verifyAfter((root) => apply(root, sbom, 'add').then(() => {}));
    expect(r.stderr).toMatch(new RegExp(`^error: ${addedPath(sbom).replace(/[.]/g, '\\.')}: a second SBOM of \\S+, next to the released ${sbom.replace(/[.]/g, '\\.')}`, 'm'));
  });

  it('fails when the lock of a promoted environment is deleted', async () => {
    const r = await verifyAfter((root) => unlink(join(root, 'environments/production.lock.yaml')));
    expect(r.stderr).toMatch(/^error: environments\/production\.lock\.yaml: missing, but dist\/production holds a release and production is promoted from staging/m);
  });

  it('fails when a file named like the lock lies next to it', async () => {
    const r = await verifyAfter((root) => writeFile(join(root, 'environments/production.lock.yml'), 'x: 1\n'));
    expect(r.stderr).toMatch(/^error: environments\/production\.lock\.yml: is not a file lockstep writes next to the lock of production/m);
  });

  it('names the lock signature when it no longer parses', async () => {
    const r = await verifyAfter((root) => writeFile(join(root, 'environments/production.lock.sigstore.json'), '{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json"}\n'));
    expect(r.stderr).toMatch(/^error: environments\/production\.lock\.sigstore\.json: is not a valid Sigstore bundle: /m);
  });

  for (const edit of EDITS) {
    it(`fails and names the file for every ${edit} of a release file, the lock, its signature and an SBOM`, async () => {
      const missed: string[] = [];
      for (const rel of targets) {
        const root = await mkdtemp(join(tmpdir(), 'lockstep-tamper-case-'));
        await cp(pristine, root, { recursive: true });
        const named = await apply(root, rel, edit);
        const r = await cli(root, ...VERIFY);
        await rm(root, { recursive: true, force: true });
        const detected = r.code === 1 && r.stderr.split('\n').some((l) => l.startsWith(`error: ${named}`) || l.startsWith(`error: ${rel}`));
        outcomes.push({ file: rel, edit, detected, message: r.stderr });
        if (!detected) missed.push(`${edit} ${rel} (as ${named}): exit ${r.code}\n${r.stderr}`);
      }
      expect(missed).toEqual([]);
    }, 120_000);
  }
});
