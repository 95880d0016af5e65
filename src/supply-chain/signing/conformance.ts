import type { SuiteResult } from '../../conformance/suite-result.ts';
/**
 * Replays third-party fixtures (never copied into the repository) through this module:
 * - sigstore-conformance `bundle-verify` cases signed with a managed key (happy paths must verify,
 *   `_fail` cases must fail, as the suite's README says), in both of cosign's offline modes;
 * - the keyless sigstore-conformance and sigstore-js bundles, as far as they can be checked offline
 *   with a key: the bundle parses, and its signature verifies with the leaf certificate's key (the
 *   certificate chain and identity are not checked: that is keyless verification, out of scope);
 * - cosign's own encrypted-key test vectors (password "hello").
 */
import { X509Certificate, type KeyObject } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { signBlob, verifyBlob } from './blob.ts';
import { parseBundle, type Bundle } from './bundle.ts';
import { verifyBlobCommand } from './commands.ts';
import { verifyBlobAttestation } from './attestation.ts';
import { verifyDsse, type DsseEnvelope } from './dsse.ts';
import { loadPrivateKey, loadPublicKey, publicKeyPem } from './keys.ts';
import { problemCode } from './problems.ts';

export type { SuiteResult } from '../../conformance/suite-result.ts';

class Tally {
  readonly result: SuiteResult;
  constructor(suite: string) {
    this.result = { suite, passed: 0, failed: 0, skipped: 0, failures: [] };
  }
  /** Runs a case that must succeed. */
  async pass(name: string, fn: () => unknown): Promise<void> {
    try {
      await fn();
      this.result.passed++;
    } catch (e) {
      this.fail(`${name}: expected success, got: ${(e as Error).message}`);
    }
  }
  /** Runs a case that must fail; `code` (when given) is the expected problem code. */
  async reject(name: string, fn: () => unknown, code?: string): Promise<void> {
    try {
      await fn();
    } catch (e) {
      const got = problemCode(e);
      if (code === undefined || got === code) {
        this.result.passed++;
        return;
      }
      this.fail(`${name}: failed as expected but with ${got ?? 'an unexpected error'} instead of ${code}: ${(e as Error).message}`);
      return;
    }
    this.fail(`${name}: expected a failure, but it verified`);
  }
  fail(message: string): void {
    this.result.failed++;
    this.result.failures.push(message);
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function listDir(path: string): Promise<string[] | undefined> {
  try {
    return (await readdir(path)).sort();
  } catch {
    return undefined;
  }
}

async function bundleHasTlog(file: string): Promise<boolean> {
  try {
    const doc = JSON.parse(await readFile(file, 'utf8')) as { verificationMaterial?: { tlogEntries?: unknown[] } };
    return (doc.verificationMaterial?.tlogEntries?.length ?? 0) > 0;
  } catch {
    return true; // unreadable: let the verification itself report it
  }
}

function leafCertificateKey(bundle: Bundle): KeyObject {
  const m = bundle.verificationMaterial.content;
  const der =
    m.$case === 'certificate' ? m.certificate.rawBytes : m.$case === 'x509CertificateChain' ? m.x509CertificateChain.certificates[0]?.rawBytes : undefined;
  if (der === undefined) throw new Error('bundle has no certificate');
  return new X509Certificate(Buffer.from(der)).publicKey;
}

function envelopeOf(bundle: Bundle): DsseEnvelope {
  if (bundle.content.$case !== 'dsseEnvelope') throw new Error('bundle has no DSSE envelope');
  const e = bundle.content.dsseEnvelope;
  return {
    payloadType: e.payloadType,
    payload: Buffer.from(e.payload).toString('base64'),
    signatures: e.signatures.map((s) => ({ keyid: s.keyid, sig: Buffer.from(s.sig).toString('base64') })),
  };
}

/** Checks a keyless bundle with its certificate's key: must verify, and must fail once changed. */
async function checkWithCertificateKey(t: Tally, name: string, bundle: Bundle, artifact: Buffer | undefined): Promise<void> {
  const key = publicKeyPem(leafCertificateKey(bundle));
  if (bundle.content.$case === 'messageSignature') {
    const sig = Buffer.from(bundle.content.messageSignature.signature).toString('base64');
    if (artifact === undefined) {
      t.result.skipped++;
      return;
    }
    await t.pass(`${name} [signature with certificate key]`, () => verifyBlob({ data: artifact, publicKey: key, signature: sig, insecureIgnoreTlog: true }));
    const changed = Buffer.from(artifact);
    changed[0] = (changed[0] ?? 0) ^ 1;
    await t.reject(`${name} [changed artifact]`, () => verifyBlob({ data: changed, publicKey: key, signature: sig, insecureIgnoreTlog: true }), 'signing/signature-mismatch');
    return;
  }
  const envelope = envelopeOf(bundle);
  await t.pass(`${name} [DSSE signature with certificate key]`, () => verifyDsse(envelope, key));
  await t.reject(`${name} [changed payloadType]`, () => verifyDsse({ ...envelope, payloadType: `${envelope.payloadType}x` }, key), 'signing/signature-mismatch');
  if (artifact !== undefined) {
    await t.pass(`${name} [subject claim matches artifact]`, () => {
      const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as { predicateType: string };
      return verifyBlobAttestation({ envelope, publicKey: key, type: statement.predicateType, blob: artifact, insecureIgnoreTlog: true });
    });
  }
}

export async function conformanceSigstoreBundles(fixturesRoot: string): Promise<SuiteResult> {
  const t = new Tally('sigstore-bundles');
  const bundlesDir = join(fixturesRoot, 'supply-chain', 'bundles');
  const confDir = join(bundlesDir, 'sigstore-conformance');
  const publicGoodRoot = join(bundlesDir, 'public-good-trusted_root.json');
  const cases = await listDir(confDir);
  if (cases === undefined) {
    t.fail(`missing fixture directory ${confDir}`);
    return t.result;
  }
  const defaultArtifact = join(confDir, 'a.txt');
  for (const name of cases) {
    const dir = join(confDir, name);
    const bundleFile = join(dir, 'bundle.sigstore.json');
    if (!(await isFile(bundleFile))) continue;
    const expectFail = name.endsWith('_fail');
    const artifact = (await isFile(join(dir, 'artifact'))) ? join(dir, 'artifact') : defaultArtifact;
    const keyFile = (await isFile(join(dir, 'key.pub'))) ? join(dir, 'key.pub') : undefined;
    const keySigned = keyFile !== undefined || name.startsWith('managed-key');
    if (keySigned) {
      const ownRoot = join(dir, 'trusted_root.json');
      const trustedRoot = (await isFile(ownRoot)) ? ownRoot : publicGoodRoot;
      const modes: { label: string; opts: { insecureIgnoreTlog?: boolean; trustedRoot?: string } }[] = [
        { label: 'insecure-ignore-tlog', opts: { insecureIgnoreTlog: true } },
        { label: 'tlog checked with trusted root', opts: { trustedRoot } },
      ];
      const hasTlog = await bundleHasTlog(bundleFile);
      for (const m of modes) {
        if (!hasTlog && m.opts.trustedRoot !== undefined) {
          t.result.skipped++; // nothing logged: the trusted-root mode has nothing to check
          continue;
        }
        const run = () => verifyBlobCommand({ ...(keyFile !== undefined ? { key: keyFile } : {}), bundle: bundleFile, file: artifact, ...m.opts });
        if (expectFail) await t.reject(`${name} [${m.label}]`, run);
        else await t.pass(`${name} [${m.label}]`, run);
      }
      continue;
    }
    // keyless: only what a key can show offline
    let bundle: Bundle;
    try {
      const parsed = parseBundle(await readFile(bundleFile, 'utf8'), bundleFile);
      if (parsed.format !== 'sigstore') throw new Error('not a Sigstore bundle');
      bundle = parsed.bundle;
      t.result.passed++;
    } catch (e) {
      t.fail(`${name} [parse]: ${(e as Error).message}`);
      continue;
    }
    if (expectFail) {
      t.result.skipped++; // a keyless _fail case fails for certificate or identity reasons we do not check
      continue;
    }
    await checkWithCertificateKey(t, name, bundle, await readFile(artifact));
  }

  const jsDir = join(bundlesDir, 'sigstore-js');
  for (const name of (await listDir(jsDir)) ?? []) {
    if (!name.endsWith('.sigstore')) continue;
    const file = join(jsDir, name);
    let bundle: Bundle;
    try {
      const parsed = parseBundle(await readFile(file, 'utf8'), file);
      if (parsed.format !== 'sigstore') throw new Error('not a Sigstore bundle');
      bundle = parsed.bundle;
      t.result.passed++;
    } catch (e) {
      t.fail(`sigstore-js/${name} [parse]: ${(e as Error).message}`);
      continue;
    }
    await checkWithCertificateKey(t, `sigstore-js/${name}`, bundle, undefined);
  }
  return t.result;
}

export async function conformanceCosignKeys(fixturesRoot: string): Promise<SuiteResult> {
  const t = new Tally('cosign-keys');
  const dir = join(fixturesRoot, 'supply-chain', 'cosign-keys');
  const files = await listDir(dir);
  if (files === undefined) {
    t.fail(`missing fixture directory ${dir}`);
    return t.result;
  }
  const password = 'hello';
  for (const name of files) {
    const file = join(dir, name);
    const pem = await readFile(file, 'utf8');
    if (name.endsWith('.pub')) {
      await t.pass(`${name} [loads as P-256 public key]`, () => loadPublicKey(pem, { file }));
      continue;
    }
    if (!name.endsWith('.key')) continue;
    // cosign's keys_test.go: pemcosigneckey holds a SEC1 key, which LoadPrivateKey must reject.
    if (name.includes('eckey')) {
      await t.reject(`${name} [SEC1 inside is rejected]`, () => loadPrivateKey(pem, password, { file }), 'signing/malformed-key');
    } else {
      await t.pass(`${name} [decrypts with "${password}" and signs]`, async () => {
        const key = await loadPrivateKey(pem, password, { file });
        const blob = Buffer.from('lockstep conformance');
        verifyBlob({ data: blob, publicKey: publicKeyPem(key), bundle: signBlob(blob, key).bundle, insecureIgnoreTlog: true });
      });
    }
    await t.reject(`${name} [wrong password]`, () => loadPrivateKey(pem, `${password}x`, { file }), 'signing/wrong-password');
  }
  return t.result;
}
